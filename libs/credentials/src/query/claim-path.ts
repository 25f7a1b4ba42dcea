/**
 * DCQL claims path pointers (OpenID4VP 1.0 §7 "Claims Path Pointer"): which claim of a credential is meant, as
 * the segments from the credential's claims down. A string selects an object member, a non-negative integer an
 * array element, `null` every element of an array. The one reading of a path for the wallet and the verifier.
 */

/** One DCQL claims path: `["address", "city"]`, `["coOwners", 0, "share"]`, `["coOwners", null, "name"]`. */
export type DcqlClaimPath = ReadonlyArray<string | number | null>;

/** Longest path and segment accepted, so hostile input cannot make the matcher expensive. */
export const DCQL_PATH_LIMITS = { segments: 16, segmentLength: 200, index: 10_000 } as const;

/** Whether `value` is a well-formed DCQL claims path within {@link DCQL_PATH_LIMITS} (non-empty). */
export function isDcqlClaimPath(value: unknown): value is DcqlClaimPath {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.length <= DCQL_PATH_LIMITS.segments &&
    value.every(
      (s) =>
        s === null ||
        (typeof s === 'string' && s.length > 0 && s.length <= DCQL_PATH_LIMITS.segmentLength) ||
        (typeof s === 'number' && Number.isSafeInteger(s) && s >= 0 && s <= DCQL_PATH_LIMITS.index),
    )
  );
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
 * The values a path selects in `claims` (OpenID4VP 1.0 §7.1 processing): starting from the claims object, each
 * string segment takes that own member of every selected object, each integer that element of every selected
 * array, `null` every element of every selected array; what is missing or of the wrong kind drops out. An
 * empty result means the credential does not hold the claim. Linear in the values visited; never throws.
 */
export function selectClaims(claims: unknown, path: DcqlClaimPath): unknown[] {
  let selected: unknown[] = [claims];
  for (const segment of path) {
    const next: unknown[] = [];
    for (const value of selected) {
      if (segment === null) {
        if (Array.isArray(value)) next.push(...value);
      } else if (typeof segment === 'number') {
        if (Array.isArray(value) && segment < value.length) next.push(value[segment]);
      } else if (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.hasOwn(value, segment)) {
        next.push((value as Record<string, unknown>)[segment]);
      }
    }
    selected = next.filter((v) => v !== undefined);
    if (selected.length === 0) return [];
  }
  return selected;
}

/** Whether `claims` hold the requested claim (the path selects at least one value). */
export function holdsClaim(claims: unknown, claim: RequestedClaim): boolean {
  return selectClaims(claims, toDcqlPath(claim)).length > 0;
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
