/**
 * Claim paths: which claim of a credential a verifier asks for, as the list of its segments from the credential
 * subject down (`["degree"]`, `["address", "city"]`), the shape OID4VP 1.0's DCQL uses (§7 "Claims Path Pointer").
 * `[]` is the whole credential. On chain a path is written as its canonical JSON text (no spaces, e.g.
 * `["address","city"]`), so the same path always has the same bytes and hash.
 */

/** The segments of a claim path; string segments only (DCQL's array indexes and wildcards are not used here). */
export type ClaimPath = readonly string[];

/** Longest path and segment accepted, so hostile input cannot make the checks expensive. */
export const CLAIM_PATH_LIMITS = { segments: 16, segmentLength: 200 } as const;

/** Whether `value` is a well-formed claim path (strings, none empty, within {@link CLAIM_PATH_LIMITS}). */
export function isClaimPath(value: unknown): value is ClaimPath {
  return (
    Array.isArray(value) &&
    value.length <= CLAIM_PATH_LIMITS.segments &&
    value.every((s) => typeof s === 'string' && s.length > 0 && s.length <= CLAIM_PATH_LIMITS.segmentLength)
  );
}

/** The canonical text of a path, as registered on chain. @throws TypeError on a malformed path (caller misuse). */
export function encodeClaimPath(path: ClaimPath): string {
  if (!isClaimPath(path)) throw new TypeError('a claim path is an array of non-empty strings');
  return JSON.stringify(path);
}

/**
 * The path a registered text stands for; undefined when the text is not a path in canonical form. A registration
 * written in another form grants nothing for that path (never a looser reading of it).
 */
export function decodeClaimPath(text: string): ClaimPath | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return isClaimPath(value) && JSON.stringify(value) === text ? value : undefined;
}

/**
 * Whether a registered path allows asking for `requested`: it equals it or lies above it (`["address"]` covers
 * `["address","city"]`), never the other way round.
 */
export function coversClaimPath(registered: ClaimPath, requested: ClaimPath): boolean {
  return registered.length <= requested.length && registered.every((segment, i) => segment === requested[i]);
}

/** The path of a dotted claim name of a presentation query (`address.city` → `["address","city"]`). */
export function claimPathOfDotted(claim: string): ClaimPath {
  return claim.split('.');
}
