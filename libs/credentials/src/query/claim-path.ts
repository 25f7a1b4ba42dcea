/**
 * DCQL claims path pointers (OpenID4VP 1.0 §7 "Claims Path Pointer"): which claim of a credential is meant, as
 * the segments from the credential's claims down. A string selects an object member, a non-negative integer an
 * array element, `null` every element of an array. The one reading of a path for the wallet and the verifier.
 */

/** One DCQL claims path: `["address", "city"]`, `["coOwners", 0, "share"]`, `["coOwners", null, "name"]`. */
export type DcqlClaimPath = ReadonlyArray<string | number | null>;

/** Longest path and segment accepted, so hostile input cannot make the matcher expensive. */
export const DCQL_PATH_LIMITS = { segments: 16, segmentLength: 200, index: 10_000 } as const;

/**
 * Member names no claims path may use: the `dcql` library reads members with plain property access, so these
 * would match what every object inherits (a query for `constructor` answered by an empty credential) or make
 * it throw while it reports the miss. No catalog claim has such a name; a query naming one is refused.
 */
const INHERITED_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));

/** Whether a path segment is a member name every object inherits (see above). */
export function isInheritedName(segment: unknown): boolean {
  return typeof segment === 'string' && INHERITED_NAMES.has(segment);
}

/**
 * A claim as a presentation query names it: a dotted name (`address.city`, the query's original form, kept
 * working) or a DCQL path (`["coOwners", null, "name"]`).
 */
export type RequestedClaim = string | DcqlClaimPath;

/** The DCQL path of a requested claim: a dotted name is split at its dots (`address.city` → `["address","city"]`). */
export function toDcqlPath(claim: RequestedClaim): DcqlClaimPath {
  return typeof claim === 'string' ? claim.split('.') : claim;
}

/** How a requested claim is shown and located in problem paths: `address.city`, `coOwners[*].name`, `coOwners[0]`. */
export function claimPathText(claim: RequestedClaim): string {
  if (typeof claim === 'string') return claim;
  return claim.map((s, i) => (s === null ? '[*]' : typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

/**
 * The registry form of a requested path (VerifierRegistry paths are member names only): the path up to its first
 * array segment, since an element lies under its array. `["coOwners", null, "name"]` → `["coOwners"]`, so asking
 * for it needs `coOwners` registered: never looser than the registration.
 */
export function registryPathOf(claim: RequestedClaim): string[] {
  const path = toDcqlPath(claim);
  const end = path.findIndex((s) => typeof s !== 'string');
  return (end < 0 ? path : path.slice(0, end)) as string[];
}
