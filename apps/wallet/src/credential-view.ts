import { normalizeCredential } from 'did-jwt-vc';
import {
  StatusMirror,
  entriesStatus,
  getCredentialType,
  sdJwtVcClaimView,
  syncedMirror,
  valueLabel,
  withValidity,
  type ChainConfig,
  type HeldStatus,
} from '../../../libs/credentials/src/index.js';
import type { Lang } from './i18n.js';
import type { StoredCredential } from './store/wallet-store.js';

/** What the wallet shows of one credential. */
export interface CredentialView {
  id: string;
  format: StoredCredential['format'];
  type: string;
  typeLabel: string;
  issuer: string;
  issuerName?: string;
  subject: string;
  validFrom?: string;
  validUntil?: string;
  status: HeldStatus;
  claims: Array<{ key: string; label: string; value: string }>;
}

/**
 * Reads every status list of the registry from chain into a mirror (whole lists, never a single entry, so the
 * node cannot tell which credential the citizen looked at).
 */
export async function loadStatusMirror(chain: ChainConfig): Promise<StatusMirror | undefined> {
  // undefined when the chain cannot be read: status then shows as unknown
  return syncedMirror(chain, (provider) => new StatusMirror({ provider, registry: chain.statusRegistry, chainId: chain.chainId, fromBlock: chain.deployBlock }));
}

/** Status from the mirror of a credential's entries (a JWT VC's `credentialStatus`, an SD-JWT VC's `status`). */
const statusOf = (entries: unknown, issuer: string, chain: ChainConfig, mirror?: StatusMirror) => entriesStatus(entries, issuer, chain.chainId, mirror);
const statusWithValidity = withValidity;

const display = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

/**
 * An SD-JWT VC's view: every claim of its own disclosures with the catalog's labels (from libs holder/), the
 * holder key as its subject, status from the mirror like a JWT VC's.
 */
function viewSdJwtVc(stored: StoredCredential, lang: Lang, chain: ChainConfig, mirror: StatusMirror | undefined, now: Date): CredentialView {
  const view = sdJwtVcClaimView(stored.jwt, lang);
  const validFrom = view?.validFrom ?? view?.issuedAt;
  return {
    id: stored.id,
    format: 'dc+sd-jwt',
    type: stored.type,
    typeLabel: view?.typeLabel ?? stored.type,
    issuer: stored.issuer,
    issuerName: stored.issuerName?.[lang] ?? stored.issuerName?.en ?? Object.values(stored.issuerName ?? {})[0],
    subject: view?.holderKey ? `cnf.jwk ${view.holderKey.crv}` : '-',
    validFrom,
    validUntil: view?.validUntil,
    status: view ? statusWithValidity(statusOf(view.statusEntries, stored.issuer, chain, mirror), validFrom, view.validUntil, now) : 'unknown',
    claims: (view?.claims ?? []).map(({ key, label, value, valueLabel: words }) => ({ key, label, value: words ?? display(value) })),
  };
}

/** Builds the view of a stored credential, with labels in `lang` and status from `mirror`. */
export function viewCredential(stored: StoredCredential, lang: Lang, chain: ChainConfig, mirror: StatusMirror | undefined, now = new Date()): CredentialView {
  if (stored.format === 'dc+sd-jwt') return viewSdJwtVc(stored, lang, chain, mirror, now);
  const vc = normalizeCredential(stored.jwt) as unknown as Record<string, unknown> & {
    credentialSubject: Record<string, unknown>;
    issuanceDate?: string;
    expirationDate?: string;
  };
  const definition = getCredentialType(stored.type);
  const labels = definition?.labels[lang];
  const status = statusWithValidity(statusOf(vc.credentialStatus, stored.issuer, chain, mirror), vc.issuanceDate, vc.expirationDate, now);
  const { id: subject, ...claims } = vc.credentialSubject;
  return {
    id: stored.id,
    format: 'jwt_vc_json',
    type: stored.type,
    typeLabel: labels?.name ?? stored.type,
    issuer: stored.issuer,
    issuerName: stored.issuerName?.[lang] ?? stored.issuerName?.en ?? Object.values(stored.issuerName ?? {})[0],
    subject: String(subject),
    validFrom: vc.issuanceDate,
    validUntil: vc.expirationDate,
    status,
    claims: Object.entries(claims).map(([key, value]) => ({
      key,
      label: labels?.fields[key] ?? key,
      value: valueLabel(definition, lang, key, value) ?? display(value),
    })),
  };
}
