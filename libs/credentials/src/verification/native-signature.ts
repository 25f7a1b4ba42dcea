import type { DIDResolutionResult, Resolvable, VerificationMethod } from 'did-resolver';
import { checksummedAddress } from '../chain/address.js';
import { es256kRecoverKeyOf, es256kVerify, secp256k1Point } from '../crypto/secp256k1.js';

/**
 * ES256K signature checks with libsecp256k1 (crypto/secp256k1.ts: ~0.055 ms a check, against ~0.29 ms with
 * OpenSSL and more with the pure-JS curves did-jwt uses), for the verification methods did:ethr documents carry.
 *
 * A did:ethr controller is an address, not a key. So the first signature of each signer goes through did-jwt
 * (pure JS, recovering the key); on success the key is recovered once more here and kept by address, and every
 * later signature of that address is checked natively. The native path only ever *accepts*: whatever it cannot
 * accept goes to did-jwt, whose answer (and error wording) stands, so hostile input is judged exactly as before.
 *
 * Agreement with did-jwt 8 (VerifierAlgorithm.verifyES256K / verifyRecoverableES256K): a 64-byte r‖s
 * signature over SHA-256 of the signing input; high-s accepted (did-jwt normalizes s, recovery ignores it);
 * verification methods tried in document order, the first that verifies is the signer. A signature valid
 * under the key of address A recovers to that key with recovery bit 0 or 1 (bits 2 and 3 need r ≥ n, which
 * has probability ~2^-128), so accepting it natively is what did-jwt would do.
 */
export class NativeSignatureVerifier {
  /** Lower-case address → public key, and publicKeyHex → public key (uncompressed points). */
  private readonly keys = new Map<string, Uint8Array>();

  constructor(private readonly maxKeys = 100_000) {}

  /** Number of signer keys held. */
  get size(): number {
    return this.keys.size;
  }

  /**
   * The id of the verification method of `proofPurpose` in `document` whose key verifies `jwt` natively, or
   * undefined when the native path cannot tell (unknown key, other algorithm, unusual document): then ask did-jwt.
   */
  verify(jwt: string, header: Record<string, unknown>, resolution: DIDResolutionResult, proofPurpose: 'assertionMethod' | 'authentication'): string | undefined {
    if (header.alg !== 'ES256K') return undefined;
    const document = resolution.didDocument;
    if (!document || resolution.didResolutionMetadata?.error) return undefined;
    const dot = jwt.lastIndexOf('.');
    const signature = Buffer.from(jwt.slice(dot + 1), 'base64url');
    if (signature.length !== 64) return undefined;
    const data = jwt.slice(0, dot);
    for (const method of purposeMethods(document.verificationMethod ?? [], document[proofPurpose])) {
      const key = this.keyOf(method);
      if (key && es256kVerify(key, data, signature)) return method.id;
    }
    return undefined;
  }

  /**
   * After did-jwt accepted `jwt` with `signer`: when the signer is address-only, recovers its public key from
   * the signature and keeps it, so the next signatures of that address are checked natively.
   */
  learn(jwt: string, signer: VerificationMethod): void {
    const address = addressOf(signer);
    if (address) this.learnAddress(jwt, address);
  }

  /**
   * After `jwt` (a compact JWS, ES256K) was accepted as signed by the key of `address` (by recovery), recovers
   * that key and keeps it, so later signatures of that address are checked natively. Ignores anything else.
   */
  learnAddress(jwt: string, address: string): void {
    address = address.toLowerCase();
    if (this.keys.has(address)) return;
    const dot = jwt.lastIndexOf('.');
    const point = es256kRecoverKeyOf(address, jwt.slice(0, dot), Buffer.from(jwt.slice(dot + 1), 'base64url'));
    if (point) this.remember(address, point);
  }

  /** The public key learned for an address, as a JWK (secp256k1); undefined when not learned yet. */
  jwkOfAddress(address: string): { kty: 'EC'; crv: string; x: string; y: string } | undefined {
    const point = this.keys.get(address.toLowerCase());
    if (!point) return undefined;
    const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');
    return { kty: 'EC', crv: 'secp256k1', x: b64(point.subarray(1, 33)), y: b64(point.subarray(33)) };
  }

  private keyOf(method: VerificationMethod): Uint8Array | undefined {
    if (method.type !== 'EcdsaSecp256k1RecoveryMethod2020' && method.type !== 'EcdsaSecp256k1VerificationKey2019') return undefined;
    const hasKey = Boolean(method.publicKeyHex || method.publicKeyJwk || method.publicKeyBase58 || method.publicKeyMultibase);
    const namesAddress = Boolean(method.blockchainAccountId || method.ethereumAddress);
    // did-jwt treats a method naming an address by recovery and one holding a key by verification; a method
    // doing both (or neither) is left to did-jwt.
    if (namesAddress) {
      const address = hasKey ? undefined : addressOf(method);
      return address ? this.keys.get(address) : undefined;
    }
    if (method.publicKeyJwk || method.publicKeyBase58 || method.publicKeyMultibase) return undefined;
    if (typeof method.publicKeyHex !== 'string' || !/^(0[2-3][0-9a-fA-F]{64}|04[0-9a-fA-F]{128})$/.test(method.publicKeyHex)) return undefined;
    const id = `hex:${method.publicKeyHex.toLowerCase()}`;
    let key = this.keys.get(id);
    if (!key) {
      key = secp256k1Point(Buffer.from(method.publicKeyHex, 'hex'));
      if (!key) return undefined;
      this.remember(id, key);
    }
    return key;
  }

  private remember(id: string, key: Uint8Array): void {
    if (this.keys.size >= this.maxKeys) this.keys.clear();
    this.keys.set(id, key);
  }
}

/** The verification methods a proof purpose references, in order (did-jwt's resolveAuthenticator, minus legacy forms). */
function purposeMethods(methods: VerificationMethod[], refs: Array<string | VerificationMethod> | undefined): VerificationMethod[] {
  const out: VerificationMethod[] = [];
  for (const ref of refs ?? []) {
    const method = typeof ref === 'string' ? methods.find((m) => m.id === ref) : ref;
    if (method) out.push(method);
  }
  return out;
}

/** The lower-case address an address-only method names (CAIP-10 `eip155:<chain>:<address>` or ethereumAddress). */
function addressOf(method: VerificationMethod): string | undefined {
  if (method.publicKeyHex || method.publicKeyJwk || method.publicKeyBase58 || method.publicKeyMultibase) return undefined;
  const raw = method.blockchainAccountId ? /^eip155:[0-9]+:(0x[0-9a-fA-F]{40})$/.exec(method.blockchainAccountId)?.[1] : method.ethereumAddress;
  if (!raw) return undefined;
  try {
    return checksummedAddress(raw).toLowerCase();
  } catch {
    return undefined;
  }
}

/** Resolves `did` once for both the native check and, when needed, did-jwt. */
export function resolveOnce(resolver: Resolvable, did: string): { resolver: Resolvable; resolution: Promise<DIDResolutionResult> } {
  const resolution = resolver.resolve(did, { accept: 'application/did+json' });
  return {
    resolution,
    resolver: {
      resolve: (didUrl, options) => (didUrl === did && options?.accept === 'application/did+json' ? resolution.then((r) => structuredClone(r)) : resolver.resolve(didUrl, options)),
    },
  };
}
