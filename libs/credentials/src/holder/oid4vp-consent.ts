import { requestedScopes, selectForDcql, type DcqlFormat, type ParsedDcqlQuery } from '../query/dcql.js';
import type { ClaimPath } from '../trust/claim-path.js';
import type { MayAskAnswer, VerifierRegistration, VerifierStanding } from '../trust/verifier-scope.js';

/**
 * What the wallet decides before it asks the citizen: whether the chain lets this verifier ask this (the same
 * registration rule the verifier applies when it creates a request), which held credentials answer the DCQL
 * query, and exactly which claims would leave the wallet and which stay hidden.
 */

/** Why the wallet refuses a request on the citizen's behalf, before asking anything. */
export type WalletRefusalCode =
  | 'verifier_not_registered'
  | 'verifier_withdrawn'
  | 'verifier_expired'
  | 'verifier_not_yet_valid'
  /** The wallet's copy of the registry could not be read: it cannot vouch, so it does not present. */
  | 'registry_unavailable'
  /** The query names a credential type outside the catalog, so no registration can cover it. */
  | 'type_unknown'
  | 'request_beyond_registration';

/** The part of a VerifierMirror the check reads. */
export interface RegistrationSource {
  standing(verifierDid: string, at: number): VerifierStanding;
  mayAsk(verifierDid: string, credentialType: string, claimPaths: readonly ClaimPath[], at: number): MayAskAnswer;
}

export type RegistrationCheck =
  | { allowed: true; registration: VerifierRegistration }
  | { allowed: false; code: WalletRefusalCode; registration?: VerifierRegistration; /** Over-asking: `type: path` asked beyond the registration. */ beyond?: string[] };

const STANDING_CODES: Record<string, WalletRefusalCode> = {
  not_registered: 'verifier_not_registered',
  withdrawn: 'verifier_withdrawn',
  expired: 'verifier_expired',
  not_yet_valid: 'verifier_not_yet_valid',
  unknown: 'registry_unavailable',
};

/**
 * Whether `verifierDid` has a registration in force at `at` (Unix seconds) that covers every credential query
 * of `query`: type and each claim path. Never throws.
 */
export function checkRegistration(source: RegistrationSource, verifierDid: string, query: ParsedDcqlQuery, at: number): RegistrationCheck {
  const standing = source.standing(verifierDid, at);
  if (!standing.inForce) return { allowed: false, code: STANDING_CODES[standing.reason] ?? 'verifier_not_registered' };
  const registration = standing.registration;
  const beyond: string[] = [];
  for (const scope of requestedScopes(query)) {
    if (!scope.type) return { allowed: false, code: 'type_unknown', registration };
    const answer = source.mayAsk(verifierDid, scope.type, scope.paths, at);
    if (answer.allowed) continue;
    if (answer.reason === 'type_not_allowed') beyond.push(`${scope.type}: *`);
    else if (answer.reason === 'claim_not_allowed') beyond.push(...(answer.claims ?? []).map((p) => `${scope.type}: ${p.join('.') || '*'}`));
    else return { allowed: false, code: STANDING_CODES[answer.reason] ?? 'verifier_not_registered', registration };
  }
  return beyond.length > 0 ? { allowed: false, code: 'request_beyond_registration', registration, beyond } : { allowed: true, registration };
}

/** A credential the wallet holds, as the planner sees it. */
export interface HeldForPresentation {
  format: DcqlFormat;
  type: string;
  /** Every subject claim the holder could disclose (all disclosures of an SD-JWT VC; a JWT VC's credentialSubject without `id`). */
  claims: Record<string, unknown>;
}

/** One credential to present: which claims leave the wallet and which stay in it. */
export interface PlannedPresentation {
  credentialQueryId: string;
  /** Index into the held credentials given. */
  held: number;
  format: DcqlFormat;
  type: string;
  /** Claim paths to disclose (SD-JWT VC), as the query names them relative to the credential's claims. */
  disclosePaths: ClaimPath[];
  /** Top-level claim names that leave: the disclosed ones (SD-JWT VC), or all of them (a JWT VC is shown whole). */
  leaving: string[];
  /** Top-level claim names that stay hidden (SD-JWT VC only). */
  hidden: string[];
}

export type PresentationPlan = { ok: true; presentations: PlannedPresentation[] } | { ok: false; missing: string[] };

/**
 * Picks one held credential per credential query with the shared DCQL matcher and works out what leaves: for an
 * SD-JWT VC only the asked claims (the first claim set satisfied), for a JWT VC the whole credential subject.
 */
export function planPresentation(query: ParsedDcqlQuery, held: readonly HeldForPresentation[]): PresentationPlan {
  const selected = selectForDcql(query, held.map((h) => ({ format: h.format, type: h.type, claims: h.claims })));
  if (!selected.ok) return selected;
  const presentations = selected.selections.map((s): PlannedPresentation => {
    const credential = held[s.candidate]!;
    const all = Object.keys(credential.claims);
    if (credential.format !== 'dc+sd-jwt') {
      return { credentialQueryId: s.credentialQueryId, held: s.candidate, format: credential.format, type: credential.type, disclosePaths: [], leaving: all, hidden: [] };
    }
    // No claims in the query asks for the whole credential (OID4VP 1.0 §6.1).
    const paths = s.paths ? s.paths.filter((p): p is string[] => p.every((segment) => typeof segment === 'string')) : all.map((k) => [k]);
    const leaving = [...new Set(paths.map((p) => p[0]!).filter((k) => all.includes(k)))];
    return {
      credentialQueryId: s.credentialQueryId,
      held: s.candidate,
      format: 'dc+sd-jwt',
      type: credential.type,
      disclosePaths: paths,
      leaving,
      hidden: all.filter((k) => !leaving.includes(k)),
    };
  });
  return { ok: true, presentations };
}
