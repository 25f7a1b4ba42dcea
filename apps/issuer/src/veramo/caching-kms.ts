import type { ManagedKeyInfo, MinimalImportableKey, TKeyType } from '@veramo/core';
import type { AbstractPrivateKeyStore } from '@veramo/key-manager';
import { KeyManagementSystem } from '@veramo/kms-local';
import { ES256KSigner } from 'did-jwt';

type JwtSigner = (data: string | Uint8Array) => Promise<string>;

/**
 * Veramo's local KMS (keys encrypted at rest by the private-key store, e.g. SecretBox), which keeps the
 * ES256K signer of each key it has used in memory instead of reading and decrypting the key from the database
 * for every signature. The decrypted key lives only inside the signer closure, in this process's memory; it is
 * never returned, and it is dropped when the key is deleted.
 *
 * Signing stays did-jwt's ES256KSigner, exactly what kms-local uses (RFC 6979 deterministic, low-s, r‖s), so
 * the JWTs are byte-for-byte those Veramo would produce. Node's OpenSSL secp256k1 was measured no faster than
 * noble on this path (≈0.42 vs 0.45 ms per signature), so it would buy nothing but a second code path.
 * Every other algorithm and operation goes to kms-local unchanged.
 */
export class CachingKeyManagementSystem extends KeyManagementSystem {
  private readonly signers = new Map<string, Promise<JwtSigner | undefined>>();

  constructor(private readonly privateKeys: AbstractPrivateKeyStore) {
    super(privateKeys);
  }

  override async sign(args: { keyRef: Pick<ManagedKeyInfo, 'kid'>; algorithm?: string; data: Uint8Array; [x: string]: unknown }): Promise<string> {
    if (args.algorithm === undefined || args.algorithm === 'ES256K') {
      const signer = await this.es256kSigner(args.keyRef.kid);
      if (signer) return signer(args.data);
    }
    return super.sign(args);
  }

  override async deleteKey(args: { kid: string }): Promise<boolean> {
    this.signers.delete(args.kid);
    return super.deleteKey(args);
  }

  override async importKey(args: Omit<MinimalImportableKey, 'kms'> & { type: TKeyType }): Promise<ManagedKeyInfo> {
    this.signers.delete(args.kid ?? '');
    return super.importKey(args);
  }

  /** The cached signer of a Secp256k1 key; undefined for other key types (left to kms-local). */
  private es256kSigner(kid: string): Promise<JwtSigner | undefined> {
    let signer = this.signers.get(kid);
    if (!signer) {
      signer = this.privateKeys.getKey({ alias: kid }).then((key) => {
        if (key.type !== 'Secp256k1') return undefined;
        // A copy outside Buffer's shared pool, reachable only from this closure.
        const sign = ES256KSigner(Uint8Array.from(Buffer.from(key.privateKeyHex, 'hex')));
        return (data: string | Uint8Array) => sign(data) as Promise<string>;
      });
      this.signers.set(kid, signer);
      // An unknown key is not cached: kms-local reports it (key_not_found) and a later import may add it.
      signer.catch(() => this.signers.delete(kid));
    }
    return signer.catch(() => undefined);
  }
}
