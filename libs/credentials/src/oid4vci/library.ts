import { createHash, randomBytes } from 'node:crypto';
import { HashAlgorithm, getGlobalConfig, setGlobalConfig, type HashCallback } from '@openid4vc/oauth2';

/**
 * Glue to @openid4vc/* 0.4: the crypto callbacks it asks for, and its process-wide https rule.
 */

const NODE_HASHES: Record<string, string> = {
  [HashAlgorithm.Sha256]: 'sha256',
  [HashAlgorithm.Sha384]: 'sha384',
  [HashAlgorithm.Sha512]: 'sha512',
};

/** The library's hash callback (PKCE, DPoP, JWK thumbprints), by node:crypto. */
export const hashCallback: HashCallback = (data, alg) => {
  const name = NODE_HASHES[alg];
  if (!name) throw new RangeError(`unsupported hash algorithm ${alg}`);
  return new Uint8Array(createHash(name).update(data).digest());
};

/** The library's random callback, by node:crypto. */
export const generateRandom = (length: number): Uint8Array => new Uint8Array(randomBytes(length));

/**
 * The library validates every issuer, endpoint and offer URL as https unless its process-wide
 * `allowInsecureUrls` is set. A local devnet serves plain http on 127.0.0.1, so a caller that explicitly
 * allows http switches it on for the process; govcred's own checks ({@link checkIssuerUrl}) keep refusing
 * http for callers that did not allow it.
 */
export function allowInsecureLibraryUrls(): void {
  if (!getGlobalConfig().allowInsecureUrls) setGlobalConfig({ ...getGlobalConfig(), allowInsecureUrls: true });
}

/**
 * Whether `url` is acceptable as a Credential Issuer Identifier (OID4VCI 1.0 §12.2.1: https, no query or
 * fragment); http only when `allowHttp`.
 */
export function checkIssuerUrl(url: string, allowHttp: boolean): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.search || parsed.hash || parsed.username || parsed.password) return false;
  return parsed.protocol === 'https:' || (allowHttp && parsed.protocol === 'http:');
}

/** Whether `url` is an https URL (or http when `allowHttp`): endpoints taken from an issuer's metadata. */
export function checkEndpointUrl(url: string, allowHttp: boolean): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || (allowHttp && protocol === 'http:');
  } catch {
    return false;
  }
}

/** Whether `error` or one of its causes is a `type` (the library wraps errors in its own, keeping `cause`). */
export function causedBy(error: unknown, type: abstract new (...args: never[]) => Error): boolean {
  let e: unknown = error;
  for (let depth = 0; e instanceof Error && depth < 8; depth++) {
    if (e instanceof type) return true;
    e = (e as Error).cause;
  }
  return false;
}
