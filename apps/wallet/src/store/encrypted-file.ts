import { createCipheriv, createDecipheriv, randomBytes, scrypt as scryptCb, type ScryptOptions } from 'node:crypto';
import { promisify } from 'node:util';
import { WalletError } from '../errors.js';

const scrypt = promisify(scryptCb) as (password: string, salt: Buffer, keylen: number, options: ScryptOptions) => Promise<Buffer>;

/** Key derivation cost: scrypt N=2^17, r=8, p=1 (~128 MiB, ~0.3 s): slows a passphrase search on a stolen file. */
export const DEFAULT_KDF = { N: 2 ** 17, r: 8, p: 1 } as const;

/**
 * The wallet file as it sits on disk: everything but the KDF parameters is ciphertext.
 * AES-256-GCM (node:crypto / OpenSSL) under a key derived from the passphrase with scrypt; the header is
 * authenticated as associated data, so a tampered header fails like a wrong passphrase.
 */
export interface EncryptedFile {
  format: 'govcred-wallet';
  version: 1;
  kdf: { name: 'scrypt'; N: number; r: number; p: number; salt: string };
  cipher: { name: 'aes-256-gcm'; iv: string };
  ciphertext: string;
  tag: string;
}

function header(file: Pick<EncryptedFile, 'format' | 'version' | 'kdf' | 'cipher'>): Buffer {
  return Buffer.from(JSON.stringify([file.format, file.version, file.kdf, file.cipher]));
}

async function deriveKey(passphrase: string, kdf: EncryptedFile['kdf']): Promise<Buffer> {
  return scrypt(passphrase.normalize('NFC'), Buffer.from(kdf.salt, 'base64'), 32, {
    N: kdf.N,
    r: kdf.r,
    p: kdf.p,
    maxmem: 256 * kdf.N * kdf.r + 1024 * 1024,
  });
}

/** Encrypts `plaintext` (JSON-serializable) under `passphrase`. */
export async function encrypt(plaintext: unknown, passphrase: string, cost: { N: number; r: number; p: number } = DEFAULT_KDF): Promise<EncryptedFile> {
  const kdf = { name: 'scrypt' as const, ...cost, salt: randomBytes(16).toString('base64') };
  const cipherInfo = { name: 'aes-256-gcm' as const, iv: randomBytes(12).toString('base64') };
  const key = await deriveKey(passphrase, kdf);
  const cipher = createCipheriv('aes-256-gcm', key, Buffer.from(cipherInfo.iv, 'base64'));
  cipher.setAAD(header({ format: 'govcred-wallet', version: 1, kdf, cipher: cipherInfo }));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(plaintext), 'utf8'), cipher.final()]);
  return {
    format: 'govcred-wallet',
    version: 1,
    kdf,
    cipher: cipherInfo,
    ciphertext: ciphertext.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
  };
}

/** Checks the shape of an untrusted wallet file. */
export function parseEncryptedFile(text: string): EncryptedFile {
  let file: EncryptedFile;
  try {
    file = JSON.parse(text) as EncryptedFile;
  } catch (error) {
    throw new WalletError('store_corrupt', 'not a wallet file', { cause: error });
  }
  const ok =
    file?.format === 'govcred-wallet' &&
    file.version === 1 &&
    file.kdf?.name === 'scrypt' &&
    [file.kdf.N, file.kdf.r, file.kdf.p].every((n) => Number.isInteger(n) && n > 0) &&
    // Refuse absurd costs from a crafted file instead of hanging or exhausting memory.
    file.kdf.N <= 2 ** 20 &&
    file.kdf.r <= 16 &&
    file.kdf.p <= 4 &&
    typeof file.kdf.salt === 'string' &&
    file.cipher?.name === 'aes-256-gcm' &&
    typeof file.cipher.iv === 'string' &&
    typeof file.ciphertext === 'string' &&
    typeof file.tag === 'string';
  if (!ok) throw new WalletError('store_corrupt', 'unknown wallet file format');
  return file;
}

/** Decrypts a wallet file; a wrong passphrase and a tampered file are both `wrong_passphrase` (GCM cannot tell them apart). */
export async function decrypt<T>(file: EncryptedFile, passphrase: string): Promise<T> {
  const key = await deriveKey(passphrase, file.kdf);
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(file.cipher.iv, 'base64'));
  decipher.setAAD(header(file));
  decipher.setAuthTag(Buffer.from(file.tag, 'base64'));
  let plaintext: string;
  try {
    plaintext = Buffer.concat([decipher.update(Buffer.from(file.ciphertext, 'base64')), decipher.final()]).toString('utf8');
  } catch (error) {
    throw new WalletError('wrong_passphrase', undefined, { cause: error });
  }
  try {
    return JSON.parse(plaintext) as T;
  } catch (error) {
    throw new WalletError('store_corrupt', 'decrypted content is not JSON', { cause: error });
  }
}
