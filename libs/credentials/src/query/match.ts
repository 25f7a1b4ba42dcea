import { holdsClaim, type RequestedClaim } from './claim-path.js';

/** One credential a presentation request asks for. */
export interface RequestedCredential {
  /** Credential type name, e.g. `NationalIdCredential`. */
  type: string;
  /**
   * Claims that must be present in the credential: dotted names (`address.city`) or DCQL claims paths
   * (`["coOwners", null, "name"]`).
   */
  claims?: RequestedClaim[];
  /** Trust policy: accepted issuer DIDs. Any accredited issuer when absent. */
  issuers?: string[];
}

/** What the matcher needs to know of a credential: the same for a wallet's stored one and a verified one. */
export interface MatchCandidate {
  type: string;
  issuer: string;
  /** The claims the credential holds (a wallet) or disclosed (a verifier): never the registered JWT/SD-JWT claims. */
  claims: Record<string, unknown>;
}

/** How a candidate fails a requested credential: why, and for `claims`, which requested claims it lacks. */
export type MatchOutcome = { ok: true } | { ok: false; reason: 'type' | 'issuer' } | { ok: false; reason: 'claims'; missing: RequestedClaim[] };

/**
 * Whether `candidate` answers `requested`: the right type, an accepted issuer, every requested claim present.
 * The one rule wallet and verifier share, so a wallet never sends what the verifier will judge incomplete, and
 * never withholds what it would accept. `sameDid` compares DIDs (did:ethr addresses case-insensitively).
 */
export function matchCredential(requested: RequestedCredential, candidate: MatchCandidate, sameDid: (a: string, b: string) => boolean): MatchOutcome {
  if (candidate.type !== requested.type) return { ok: false, reason: 'type' };
  if (requested.issuers && !requested.issuers.some((did) => sameDid(did, candidate.issuer))) return { ok: false, reason: 'issuer' };
  const missing = (requested.claims ?? []).filter((claim) => !holdsClaim(candidate.claims, claim));
  return missing.length === 0 ? { ok: true } : { ok: false, reason: 'claims', missing };
}
