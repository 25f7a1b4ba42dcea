import { parseStatusEntries, type StatusListEntry } from '../../status/status-entry.js';
import { DEFAULT_LIMITS, REGISTERED_CLAIMS, SD_JWT_VC_TYP, STATUS_MEMBER } from './constants.js';
import { rebuildClaims } from './disclosures.js';
import { MemberBudget, decodeCompactJws, isObject } from './encoding.js';
import { holderJwk, type EcPublicJwk } from './holder-key.js';

/** What an SD-JWT VC says about itself, read without checking the issuer's signature. */
export interface DecodedSdJwtVc {
  issuer: string;
  kid?: string;
  vct: string;
  holderKey?: EcPublicJwk;
  issuedAt?: string;
  validFrom?: string;
  validUntil?: string;
  statusEntries: StatusListEntry[];
  /** Every claim its disclosures reveal (all of them in an issued credential), registered claims left out. */
  claims: Record<string, unknown>;
}

const iso = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? new Date(value * 1000).toISOString() : undefined);

/**
 * Reads an SD-JWT VC the caller already holds (a wallet showing its own credentials) with the same strict,
 * bounded decoding as {@link verifySdJwtVc}, but WITHOUT checking the issuer signature: for display only,
 * never to trust. `undefined` when it is not a well-formed `dc+sd-jwt` whose disclosures all match. Never throws.
 */
export function decodeSdJwtVc(sdJwt: unknown): DecodedSdJwtVc | undefined {
  if (typeof sdJwt !== 'string' || sdJwt.length > DEFAULT_LIMITS.maxLength || !sdJwt.includes('~')) return undefined;
  const parts = sdJwt.split('~');
  const disclosures = parts.slice(1, -1);
  if (disclosures.length > DEFAULT_LIMITS.maxDisclosures) return undefined;
  const budget = new MemberBudget(DEFAULT_LIMITS.maxMembers);
  const decoded = decodeCompactJws(parts[0]!, DEFAULT_LIMITS, budget);
  if (!decoded.ok) return undefined;
  const { header, payload } = decoded.jws;
  if (header.typ !== SD_JWT_VC_TYP || typeof payload.iss !== 'string' || typeof payload.vct !== 'string') return undefined;
  const rebuilt = rebuildClaims(payload, disclosures, DEFAULT_LIMITS, budget);
  if (!rebuilt.ok) return undefined;
  const statusList = isObject(payload.status) ? payload.status[STATUS_MEMBER] : undefined;
  const status = parseStatusEntries(statusList);
  const holderKey = isObject(payload.cnf) ? holderJwk(payload.cnf.jwk) : undefined;
  const times = { issuedAt: iso(payload.iat), validFrom: iso(payload.nbf), validUntil: iso(payload.exp) };
  return {
    issuer: payload.iss,
    ...(typeof header.kid === 'string' ? { kid: header.kid } : {}),
    vct: payload.vct,
    ...(holderKey ? { holderKey } : {}),
    ...Object.fromEntries(Object.entries(times).filter(([, v]) => v !== undefined)),
    statusEntries: 'entries' in status ? (statusList as StatusListEntry[]) : [],
    claims: Object.fromEntries(Object.entries(rebuilt.claims).filter(([name]) => !REGISTERED_CLAIMS.includes(name))),
  };
}
