import { coversClaimPath, isClaimPath, type ClaimPath } from './claim-path.js';
import type { BilingualText } from './verifier-registry.js';

/** A verifier registration as a mirror holds it: the stored period and the content from its event. */
export interface VerifierRegistration {
  /** The verifier identity address (checksummed). */
  verifier: string;
  /** Position among the verifier's registrations. */
  index: number;
  name: BilingualText;
  purpose: BilingualText;
  /** Per credential type: its hash, its name when known, and the claim paths it may request. */
  credentials: Array<{ typeHash: string; type?: string; claims: ClaimPath[] }>;
  /** [validFrom, validUntil), Unix seconds. */
  validFrom: bigint;
  validUntil: bigint;
  /** Cut short by governance's withdrawal (not by a newer registration). */
  withdrawn: boolean;
}

/** Why a verifier may not ask (or `unknown`: the mirror cannot vouch either way). */
export type StandingRefusal = 'not_registered' | 'withdrawn' | 'expired' | 'not_yet_valid' | 'unknown';

/** Whether a verifier has a registration in force at a time. */
export type VerifierStanding = { inForce: true; registration: VerifierRegistration } | { inForce: false; reason: StandingRefusal };

/** The answer of `mayAsk`. `claims` lists the requested paths that no registered path covers. */
export type MayAskAnswer =
  | { allowed: true; registration: VerifierRegistration }
  | {
      allowed: false;
      reason: StandingRefusal | 'type_not_allowed' | 'claim_not_allowed';
      claims?: ClaimPath[];
      registration?: VerifierRegistration;
    };

/**
 * The standing at `at` of a verifier with `registrations` (in recording order): the one in force, else why none
 * is. Periods are disjoint (see contracts/VerifierRegistry.sol), so at most one covers `at`. With none: the one
 * ended most recently says `withdrawn` or `expired`; else a later one says `not_yet_valid`; else a registration
 * withdrawn before it began says `withdrawn`; else `not_registered`.
 */
export function standingAt(registrations: readonly VerifierRegistration[], at: bigint): VerifierStanding {
  let ended: VerifierRegistration | undefined;
  let upcoming = false;
  for (const r of registrations) {
    if (r.validFrom <= at && at < r.validUntil) return { inForce: true, registration: r };
    const empty = r.validUntil === r.validFrom;
    if (!empty && r.validUntil <= at && (!ended || r.validUntil >= ended.validUntil)) ended = r;
    if (!empty && r.validFrom > at) upcoming = true;
  }
  if (ended) return { inForce: false, reason: ended.withdrawn ? 'withdrawn' : 'expired' };
  if (upcoming) return { inForce: false, reason: 'not_yet_valid' };
  if (registrations.some((r) => r.withdrawn)) return { inForce: false, reason: 'withdrawn' };
  return { inForce: false, reason: 'not_registered' };
}

/**
 * Whether `registration` allows asking for `claimPaths` of the type `typeHash`: the type is registered and every
 * requested path equals or lies under a registered one. A malformed requested path is refused, never thrown on.
 */
export function scopeAllows(registration: VerifierRegistration, typeHash: string, claimPaths: readonly unknown[]): MayAskAnswer {
  const allowed = registration.credentials.filter((c) => c.typeHash === typeHash.toLowerCase()).flatMap((c) => c.claims);
  if (!registration.credentials.some((c) => c.typeHash === typeHash.toLowerCase())) {
    return { allowed: false, reason: 'type_not_allowed', registration };
  }
  const refused = claimPaths.filter((p) => !isClaimPath(p) || !allowed.some((r) => coversClaimPath(r, p))) as ClaimPath[];
  if (refused.length > 0) return { allowed: false, reason: 'claim_not_allowed', claims: refused, registration };
  return { allowed: true, registration };
}
