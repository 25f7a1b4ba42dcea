import type { ManagedKeyInfo, MinimalImportableKey, TKeyType } from '@veramo/core';
import type { AbstractPrivateKeyStore } from '@veramo/key-manager';
import { KeyManagementSystem } from '@veramo/kms-local';
import { es256kSigner } from '../../../../libs/credentials/src/crypto/secp256k1.js';

type JwtSigner = (data: string | Uint8Array) => Promise<string>;

/**
 * Veramo's local KMS (keys encrypted at rest by the private-key store, e.g. SecretBox), which keeps the
 * ES256K signer of each key it has used in memory instead of reading and decrypting the key from the database
 * for every signature. The decrypted key lives only inside the signer closure, in this process's memory; it is
 * never returned, and it is dropped when the key is deleted.
 *
 * ES256K signatures are libsecp256k1's (libs/credentials/src/crypto/secp256k1.ts: ~0.05 ms against ~0.34 ms for
 * did-jwt's noble signer that kms-local uses, and OpenSSL's was no faster than noble). Both are RFC 6979
 * deterministic with low s and r‖s encoding, so the JWTs are byte for byte those Veramo would produce.
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
        const bytes = Buffer.from(key.privateKeyHex, 'hex');
        const sign = es256kSigner(bytes);
        bytes.fill(0); // it may sit in Buffer's shared pool: the signer keeps its own copy
        return async (data: string | Uint8Array) => sign(data);
      });
      this.signers.set(kid, signer);
      // An unknown key is not cached: kms-local reports it (key_not_found) and a later import may add it.
      signer.catch(() => this.signers.delete(kid));
    }
    return signer.catch(() => undefined);
  }
}
