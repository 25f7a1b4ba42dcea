import { SDJwtInstance } from '@sd-jwt/core';
import type { Hasher, PresentationFrame } from '@sd-jwt/types';
import { decodeSdJwt } from '@sd-jwt/decode';
import { HOLDER_CURVES } from './constants.js';
import { isObject } from './encoding.js';
import type { JwsSigner } from './issue.js';
import { holderJwk } from './holder-key.js';

import type { DcqlClaimPath } from '../../query/claim-path.js';

/** A claim path as in DCQL (OpenID4VP 1.0 §7): member names, array indexes, `null` for every element (one type with query/). */
export type { DcqlClaimPath };

export interface PresentSdJwtVcOptions {
  /** The claims to disclose; their parents are disclosed with them, and a path ending at an object or array discloses all of it. */
  claimPaths: readonly DcqlClaimPath[];
  /** The verifier's nonce (OpenID4VP `nonce`). */
  nonce: string;
  /** The verifier (OpenID4VP `client_id`), the KB-JWT's `aud`. */
  audience: string;
  /** Signs with the private key of the credential's `cnf.jwk`. */
  holderSigner: JwsSigner;
  /** `ES256` for a P-256 `cnf.jwk`, `ES256K` for secp256k1. */
  holderAlg: 'ES256' | 'ES256K';
  /** KB-JWT `iat`. */
  now: Date;
}

/**
 * SHA-256 by WebCrypto, a global in Node 20 and in browsers: the CLI wallet and the web wallet present with the
 * same code, and no node:crypto reaches the web wallet's bundle. `_sd_alg` is always sha-256 here.
 */
const digest: Hasher = async (data, alg) => {
  if (alg.toLowerCase() !== 'sha-256') throw new RangeError(`unsupported _sd_alg ${alg}`);
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : new Uint8Array(data);
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes));
};

/**
 * A presentation of the holder's SD-JWT VC: only the disclosures the requested claim paths need, then a Key
 * Binding JWT (`typ: kb+jwt`, `nonce`, `aud`, `iat`, `sd_hash`; RFC 9901 §4.3). Selection and KB-JWT by
 * `@sd-jwt/core`; the paths are turned into its presentation frame here.
 * @throws RangeError when `sdJwt` is not a decodable SD-JWT or `holderAlg` does not fit its `cnf.jwk`
 *   (the wallet holds the credential it received, so this is caller misuse).
 */
export async function presentSdJwtVc(sdJwt: string, options: PresentSdJwtVcOptions): Promise<string> {
  let decoded;
  let claims: unknown;
  try {
    decoded = await decodeSdJwt(sdJwt, digest);
    claims = await new SDJwtInstance({ hasher: digest }).getClaims(sdJwt);
  } catch (cause) {
    throw new RangeError('not a decodable SD-JWT', { cause });
  }
  const cnf = decoded.jwt.payload.cnf;
  const jwk = holderJwk(isObject(cnf) ? cnf.jwk : undefined);
  if (!jwk || HOLDER_CURVES[jwk.crv] !== options.holderAlg) throw new RangeError(`holderAlg ${options.holderAlg} does not fit the credential's cnf.jwk`);

  const frame: Record<string, unknown> = {};
  for (const path of options.claimPaths) addPath(frame, claims, path);
  const instance = new SDJwtInstance({ hasher: digest, kbSigner: options.holderSigner, kbSignAlg: options.holderAlg });
  // Only the issuer-signed part and its disclosures: a KB-JWT already on the input is never carried over.
  const issued = sdJwt.slice(0, sdJwt.lastIndexOf('~') + 1);
  return instance.present(issued, frame as PresentationFrame<Record<string, unknown>>, {
    kb: { payload: { iat: Math.floor(options.now.getTime() / 1000), aud: options.audience, nonce: options.nonce } },
  });
}

/** Adds `path` to the presentation frame, following the holder's full claims to expand `null` and whole subtrees. */
function addPath(frame: Record<string, unknown>, claims: unknown, path: DcqlClaimPath): void {
  if (path.length === 0) return;
  const [head, ...rest] = path;
  const keys: string[] =
    head === null ? (Array.isArray(claims) ? claims.map((_, i) => String(i)) : []) : typeof head === 'number' || typeof head === 'string' ? [String(head)] : [];
  for (const key of keys) {
    const child = Array.isArray(claims) ? claims[Number(key)] : isObject(claims) && Object.hasOwn(claims, key) ? claims[key] : undefined;
    if (child === undefined) continue;
    if (rest.length === 0) {
      frame[key] = wholeFrame(child);
    } else {
      const sub = isObject(frame[key]) ? (frame[key] as Record<string, unknown>) : {};
      if (frame[key] === true) continue; // already disclosed whole
      frame[key] = sub;
      addPath(sub, child, rest);
    }
  }
}

/** `true` for a leaf; for an object or array, a frame naming every member, so nested disclosures come along. */
function wholeFrame(value: unknown): unknown {
  if (Array.isArray(value)) return Object.fromEntries(value.map((v, i) => [String(i), wholeFrame(v)]));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, wholeFrame(v)]));
  return true;
}
