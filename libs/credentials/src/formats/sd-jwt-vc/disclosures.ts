import type { Problem } from '../../verification/types.js';
import { RESERVED_AT_TOP, RESERVED_EVERYWHERE, type SdJwtLimits } from './constants.js';
import { decodeJson, isBase64url, isObject, setOwn, sha256b64u, type MemberBudget } from './encoding.js';

/** A decoded disclosure (RFC 9901 §4.2.1 object property, §4.2.2 array element). */
interface Disclosure {
  index: number;
  digest: string;
  name?: string;
  value: unknown;
  used: boolean;
}

const problem = (code: Problem['code'], message: string, path: string): Problem => ({ code, message, path });

/**
 * Decodes the disclosures and rebuilds the disclosed claims from the signed payload, per RFC 9901 §7.1:
 * every disclosure's digest must appear once in an `_sd` array (object members) or a `{"...": digest}`
 * element (array elements) of the payload or of another disclosure; no digest twice; no disclosure twice;
 * no reserved claim name; no disclosed name already present at its level. Undisclosed digests and decoys
 * are dropped. Hand-written rather than `@sd-jwt/decode`'s `unpack`, which silently keeps the last of two
 * equal digests, ignores unreferenced disclosures and reserved names, and assigns `__proto__` as a key.
 * Never throws; recursion depth is bounded by `limits.maxDepth`.
 */
export function rebuildClaims(
  payload: Record<string, unknown>,
  encoded: readonly string[],
  limits: SdJwtLimits,
  budget: MemberBudget,
): { ok: true; claims: Record<string, unknown> } | { ok: false; problems: Problem[] } {
  const problems: Problem[] = [];
  const byDigest = new Map<string, Disclosure>();
  encoded.forEach((text, index) => {
    const path = `disclosures[${index}]`;
    if (text.length > limits.maxDisclosureLength) return problems.push(problem('sd_jwt_too_large', `a disclosure is longer than ${limits.maxDisclosureLength} characters`, path));
    if (!isBase64url(text)) return problems.push(problem('disclosure_malformed', 'a disclosure is not base64url', path));
    const decoded = decodeJson(text, limits, budget);
    if (!decoded.ok) {
      const code = decoded.failure === 'too_deep' ? 'sd_jwt_too_deep' : decoded.failure === 'too_large' ? 'sd_jwt_too_large' : 'disclosure_malformed';
      return problems.push(problem(code, 'a disclosure is not a bounded base64url JSON array', path));
    }
    const array = decoded.value;
    if (!Array.isArray(array) || (array.length !== 2 && array.length !== 3) || typeof array[0] !== 'string' || (array.length === 3 && typeof array[1] !== 'string')) {
      return problems.push(problem('disclosure_malformed', 'a disclosure must be [salt, name, value] or [salt, value]', path));
    }
    const name = array.length === 3 ? (array[1] as string) : undefined;
    if (name !== undefined && RESERVED_EVERYWHERE.includes(name)) {
      return problems.push(problem('disclosure_reserved_name', `a disclosure may not carry the claim name ${JSON.stringify(name)}`, path));
    }
    const digest = sha256b64u(text);
    if (byDigest.has(digest)) return problems.push(problem('disclosure_duplicated', 'the same disclosure appears twice', path));
    byDigest.set(digest, { index, digest, name, value: array.length === 3 ? array[2] : array[1], used: false });
  });
  if (problems.length > 0) return { ok: false, problems };

  const seenDigests = new Set<string>();
  const walk = (value: unknown, depth: number, path: string, top: boolean): unknown => {
    if (typeof value !== 'object' || value === null) return value;
    if (depth > limits.maxDepth) {
      problems.push(problem('sd_jwt_too_deep', `claims nest deeper than ${limits.maxDepth} levels`, path));
      return undefined;
    }
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      value.forEach((element, i) => {
        if (isObject(element) && Object.hasOwn(element, '...')) {
          const digest = element['...'];
          if (Object.keys(element).length !== 1 || typeof digest !== 'string') {
            problems.push(problem('sd_jwt_malformed', 'an array digest element must be {"...": "<digest>"} alone', `${path}[${i}]`));
            return;
          }
          if (!claimDigest(digest, `${path}[${i}]`)) return;
          const disclosure = byDigest.get(digest);
          if (!disclosure) return; // undisclosed element or decoy
          disclosure.used = true;
          if (disclosure.name !== undefined) {
            problems.push(problem('disclosure_wrong_kind', 'an object-member disclosure is referenced from an array', `disclosures[${disclosure.index}]`));
            return;
          }
          out.push(walk(disclosure.value, depth + 1, `${path}[${out.length}]`, false));
          return;
        }
        out.push(walk(element, depth + 1, `${path}[${out.length}]`, false));
      });
      return out;
    }
    const out: Record<string, unknown> = {};
    const record = value as Record<string, unknown>;
    const sd = record._sd;
    for (const [key, member] of Object.entries(record)) {
      if (key === '_sd' || (top && key === '_sd_alg')) continue;
      if (key === '...') {
        problems.push(problem('sd_jwt_malformed', 'the "..." key belongs in array elements only', path));
        continue;
      }
      setOwn(out, key, walk(member, depth + 1, `${path}.${key}`, false));
    }
    if (sd === undefined) return out;
    if (!Array.isArray(sd) || sd.some((d) => typeof d !== 'string')) {
      problems.push(problem('sd_jwt_malformed', '_sd must be an array of digest strings', path));
      return out;
    }
    for (const digest of sd as string[]) {
      if (!claimDigest(digest, `${path}._sd`)) continue;
      const disclosure = byDigest.get(digest);
      if (!disclosure) continue; // undisclosed claim or decoy
      disclosure.used = true;
      const at = `disclosures[${disclosure.index}]`;
      if (disclosure.name === undefined) {
        problems.push(problem('disclosure_wrong_kind', 'an array-element disclosure is referenced from _sd', at));
      } else if (top && RESERVED_AT_TOP.includes(disclosure.name)) {
        problems.push(problem('disclosure_reserved_name', `${disclosure.name} must not be selectively disclosable`, at));
      } else if (Object.hasOwn(out, disclosure.name)) {
        problems.push(problem('disclosure_claim_collision', `claim ${JSON.stringify(disclosure.name)} is already present at its level`, at));
      } else {
        setOwn(out, disclosure.name, walk(disclosure.value, depth + 1, `${path}.${disclosure.name}`, false));
      }
    }
    return out;
  };
  /** A digest may be referenced once in the whole SD-JWT (RFC 9901 §7.1 step 4). */
  const claimDigest = (digest: string, path: string): boolean => {
    if (seenDigests.has(digest)) {
      problems.push(problem('sd_digest_duplicated', 'a digest appears more than once', path));
      return false;
    }
    seenDigests.add(digest);
    return true;
  };

  const claims = walk(payload, 1, '$', true) as Record<string, unknown>;
  for (const disclosure of byDigest.values()) {
    if (!disclosure.used) problems.push(problem('disclosure_digest_missing', 'a disclosure whose digest the credential does not contain', `disclosures[${disclosure.index}]`));
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, claims };
}
