import type { JsonWebKey } from 'node:crypto';
import { copyFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ConsentReceipt } from '../../../../libs/credentials/src/index.js';
import { WalletError } from '../errors.js';
import type { StoredCopy } from './copies.js';
import { DEFAULT_KDF, decrypt, encrypt, parseEncryptedFile } from './encrypted-file.js';

/** Formats the wallet holds. */
export type StoredFormat = 'jwt_vc_json' | 'dc+sd-jwt';

/**
 * The private key an SD-JWT VC is bound to (its `cnf.jwk`), which signs its Key Binding JWTs: a P-256 key made
 * for this credential alone, or the wallet's own secp256k1 DID key. Kept only inside the encrypted file.
 */
export interface StoredHolderKey {
  alg: 'ES256' | 'ES256K';
  /** Private EC JWK (`d`, `x`, `y`, `crv`). */
  jwk: JsonWebKey;
}

/** A credential the wallet holds. */
export interface StoredCredential {
  /** The credential's `jti` / `id`; for an SD-JWT VC (which has none) a digest of its issuer-signed JWT. */
  id: string;
  /** Older wallet files hold JWT VCs only: opened, they read as `jwt_vc_json`. */
  format: StoredFormat;
  /** The credential as received: the VC-JWT, or the SD-JWT VC with every disclosure (for copies: the first). */
  jwt: string;
  /** `dc+sd-jwt`: the key it is bound to (for copies: the first copy's). */
  holderKey?: StoredHolderKey;
  /**
   * `dc+sd-jwt` issued in a batch: every copy with its own key; each presentation shows an unused one (see
   * copies.ts). Refills add copies here.
   */
  copies?: StoredCopy[];
  /** Credential type name, e.g. `NationalIdCredential`. */
  type: string;
  /** Issuer DID. */
  issuer: string;
  /** Issuer display names from the issuer's metadata, by locale. */
  issuerName?: Record<string, string>;
  /** ISO time of receipt. */
  receivedAt: string;
}

/** The holder's identity: the key stays inside the encrypted file. */
export interface HolderIdentity {
  did: string;
  /** Veramo key id (public key hex). */
  kid: string;
  privateKeyHex: string;
}

/** Everything the wallet keeps, all of it encrypted at rest. */
export interface WalletData {
  holder: HolderIdentity;
  credentials: StoredCredential[];
  /** Consent receipts of every request answered or refused (files from before OID4VP have none). */
  receipts?: ConsentReceipt[];
}

async function readStore(file: string) {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new WalletError('store_missing', file);
    throw error;
  }
  return parseEncryptedFile(text);
}

async function writeAtomically(file: string, content: string): Promise<void> {
  // A folder the wallet makes (e.g. .govcred) is owner-only, like the wallet file itself.
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, content, { mode: 0o600 });
  await rename(tmp, file);
}

async function exists(file: string): Promise<boolean> {
  return readFile(file).then(
    () => true,
    () => false,
  );
}

/** The wallet's encrypted file: open with the passphrase, change `data`, `save()`. */
export class WalletStore {
  private constructor(
    readonly file: string,
    private readonly passphrase: string,
    public data: WalletData,
    private readonly cost: { N: number; r: number; p: number },
  ) {}

  /** Creates a new wallet file; refuses to overwrite one. */
  static async create(file: string, passphrase: string, data: WalletData, cost = DEFAULT_KDF): Promise<WalletStore> {
    if (await exists(file)) throw new WalletError('store_exists', file);
    if (passphrase.length < 8) throw new WalletError('usage', 'the passphrase must have at least 8 characters');
    const store = new WalletStore(file, passphrase, data, cost);
    await store.save();
    return store;
  }

  /** Opens and decrypts a wallet file. */
  static async open(file: string, passphrase: string): Promise<WalletStore> {
    const encrypted = await readStore(file);
    const data = await decrypt<WalletData>(encrypted, passphrase);
    if (!data?.holder?.did || !Array.isArray(data.credentials)) throw new WalletError('store_corrupt', 'unexpected content');
    // Files written before SD-JWT VC hold JWT VCs without a format; the next save writes it.
    for (const credential of data.credentials) credential.format ??= 'jwt_vc_json';
    const { N, r, p } = encrypted.kdf;
    return new WalletStore(file, passphrase, data, { N, r, p });
  }

  /** Encrypts afresh (new salt and IV) and replaces the file atomically. */
  async save(): Promise<void> {
    await writeAtomically(this.file, JSON.stringify(await encrypt(this.data, this.passphrase, this.cost)) + '\n');
  }

  /** Copies the (still encrypted) wallet to `destination`, after checking it opens with the passphrase. */
  static async backup(file: string, passphrase: string, destination: string): Promise<void> {
    await WalletStore.open(file, passphrase);
    await mkdir(path.dirname(destination), { recursive: true });
    await copyFile(file, destination);
  }

  /** Puts a backup in place, after checking it opens with the passphrase; refuses to replace a wallet unless `force`. */
  static async restore(backup: string, passphrase: string, file: string, force = false): Promise<WalletStore> {
    const restored = await WalletStore.open(backup, passphrase);
    if (!force && (await exists(file))) throw new WalletError('store_exists', file);
    await writeAtomically(file, await readFile(backup, 'utf8'));
    return new WalletStore(file, passphrase, restored.data, restored.cost);
  }
}
