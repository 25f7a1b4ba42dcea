import { matchCredential, type MatchCandidate } from '../query/match.js';
import type { PresentationQuery } from '../query/presentation-query.js';

/** A credential the holder keeps, as selection sees it. */
export interface HeldCredential extends MatchCandidate {
  /** ISO time of receipt: the newest answering credential is chosen. */
  receivedAt: string;
  /** Whether the holder may offer it (not revoked, suspended or expired, as far as the wallet can tell). */
  usable: boolean;
}

/**
 * Picks one held credential per requested entry: one that {@link matchCredential} accepts (the verifier's own
 * rule: right type, accepted issuer, every asked claim by its full DCQL path), usable, the newest first. Returns
 * the chosen credentials (each once, in request order) and the requested types nothing answers.
 */
export function selectCredentials<T extends HeldCredential>(
  query: PresentationQuery,
  held: readonly T[],
  sameDid: (a: string, b: string) => boolean,
): { chosen: T[]; missing: string[] } {
  const chosen: T[] = [];
  const missing: string[] = [];
  for (const wanted of query.credentials) {
    const best = held
      .filter((c) => c.usable && matchCredential(wanted, c, sameDid).ok)
      .sort((a, b) => b.receivedAt.localeCompare(a.receivedAt))[0];
    if (best === undefined) missing.push(wanted.type);
    else if (!chosen.includes(best)) chosen.push(best);
  }
  return { chosen, missing };
}
