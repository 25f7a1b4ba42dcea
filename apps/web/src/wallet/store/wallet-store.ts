import type { ConsentReceipt } from '../../../../../libs/credentials/src/holder/consent-receipt.js';
import type { EnvelopeStorage } from './storage';
import { DEFAULT_ITERATIONS, VaultError, deriveVaultKey, parseEnvelope, seal, unseal, type VaultKey } from './vault';

/** The private key an SD-JWT VC is bound to (its `cnf.jwk`): a P-256 key made by WebCrypto for this credential alone. */
export interface HolderKey {
  alg: 'ES256';
  /** Private EC JWK (`d`, `x`, `y`, `crv`). */
  jwk: JsonWebKey;
}

/** A credential the web wallet holds. */
export interface StoredCredential {
  /** `sha256:` of its issuer-signed JWT (an SD-JWT VC has no id of its own). */
  id: string;
  format: 'dc+sd-jwt';
  /** The SD-JWT VC as received, with every disclosure. */
  sdJwt: string;
  holderKey: HolderKey;
  /** Catalog type name, e.g. `NationalIdCredential`. */
  type: string;
  /** Issuer DID. */
  issuer: string;
  /** The agency's names from its issuer metadata, by locale. */
  issuerName: Record<string, string>;
  /** ISO time of receipt. */
  receivedAt: string;
}

/** Everything the web wallet keeps: only ever written encrypted. */
export interface WalletData {
  version: 1;
  credentials: StoredCredential[];
  receipts: ConsentReceipt[];
}

/** The shortest passphrase accepted for a new wallet: it is all that protects a backup file. */
export const MIN_PASSPHRASE_LENGTH = 8;

export class PassphraseTooShortError extends Error {}

/**
 * The unlocked store: data in memory, written back sealed on every change. Locking is dropping the object
 * (the derived key is not extractable and lives nowhere else).
 */
export class WalletStore {
  private constructor(
    private readonly storage: EnvelopeStorage,
    private readonly vault: VaultKey,
    readonly data: WalletData,
  ) {}

  /** Whether a wallet exists in `storage` (locked or not). */
  static async exists(storage: EnvelopeStorage): Promise<boolean> {
    return (await storage.read()) !== undefined;
  }

  /** A new, empty wallet under `passphrase` (replacing nothing: the caller checks {@link exists}). */
  static async create(storage: EnvelopeStorage, passphrase: string, iterations = DEFAULT_ITERATIONS): Promise<WalletStore> {
    if ([...passphrase].length < MIN_PASSPHRASE_LENGTH) throw new PassphraseTooShortError();
    const store = new WalletStore(storage, await deriveVaultKey(passphrase, undefined, iterations), { version: 1, credentials: [], receipts: [] });
    await store.save();
    return store;
  }

  /** @throws VaultError `wrong_passphrase`, or `backup_invalid` for a damaged store */
  static async unlock(storage: EnvelopeStorage, passphrase: string): Promise<WalletStore> {
    const text = await storage.read();
    if (text === undefined) throw new VaultError('backup_invalid');
    const { data, vault } = await unseal<WalletData>(parseEnvelope(text), passphrase);
    return new WalletStore(storage, vault, checkData(data));
  }

  /**
   * Restores a backup file into `storage` once it opened with `passphrase` (so a wrong file or passphrase
   * never replaces a working wallet). @throws VaultError
   */
  static async restore(storage: EnvelopeStorage, fileText: string, passphrase: string): Promise<WalletStore> {
    const envelope = parseEnvelope(fileText);
    const { data, vault } = await unseal<WalletData>(envelope, passphrase);
    await storage.write(JSON.stringify(envelope));
    return new WalletStore(storage, vault, checkData(data));
  }

  /** Seals the data with a fresh IV and writes it. */
  async save(): Promise<void> {
    await this.storage.write(JSON.stringify(await seal(this.vault, this.data)));
  }

  /** The backup file: the sealed envelope as stored, readable only with the passphrase. */
  async backup(): Promise<string> {
    const text = await this.storage.read();
    if (text === undefined) throw new VaultError('backup_invalid');
    return text;
  }
}

function checkData(data: WalletData): WalletData {
  if (data?.version !== 1 || !Array.isArray(data.credentials) || !Array.isArray(data.receipts)) throw new VaultError('backup_invalid');
  return data;
}
