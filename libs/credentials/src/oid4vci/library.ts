import { HashAlgorithm, getGlobalConfig, setGlobalConfig, type HashCallback } from '@openid4vc/oauth2';
import { randomBytes, sha256Bytes, sha512Bytes } from '../bytes.js';

/**
 * Glue to @openid4vc/* 0.4: the crypto callbacks it asks for, and its process-wide https rule. Browser-safe:
 * the web wallet runs the same client.
 */

const HASHES: Record<string, (data: Uint8Array) => Uint8Array | Promise<Uint8Array>> = {
  [HashAlgorithm.Sha256]: sha256Bytes,
  // ethers has no SHA-384; the library accepts a promise.
  [HashAlgorithm.Sha384]: async (data) => new Uint8Array(await globalThis.crypto.subtle.digest('SHA-384', new Uint8Array(data))),
  [HashAlgorithm.Sha512]: sha512Bytes,
};

/** The library's hash callback (PKCE S256, DPoP `ath`, JWK thumbprints). */
export const hashCallback: HashCallback = (data, alg) => {
  const hash = HASHES[alg];
  if (!hash) throw new RangeError(`unsupported hash algorithm ${alg}`);
  return hash(data);
};

/** The library's random callback, by WebCrypto. */
export const generateRandom = (length: number): Uint8Array => randomBytes(length);

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

/** `error` or the first of its causes that is a `type` (the library wraps errors in its own, keeping `cause`), or undefined. */
export function causeOf<T extends Error>(error: unknown, type: abstract new (...args: never[]) => T): T | undefined {
  let e: unknown = error;
  for (let depth = 0; e instanceof Error && depth < 8; depth++) {
    if (e instanceof type) return e;
    e = (e as Error).cause;
  }
  return undefined;
}
