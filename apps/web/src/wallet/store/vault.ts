import { base64urlToBytes, bytesToBase64url } from '../../../../../libs/credentials/src/bytes.js';

/**
 * The wallet's store at rest: one JSON envelope, AES-256-GCM under a key derived from the citizen's passphrase
 * with PBKDF2-SHA-256 (WebCrypto: nothing else is bundled). The envelope is what IndexedDB keeps and what a
 * backup file holds, so a backup restores only with the passphrase. The KDF settings are authenticated with the
 * ciphertext (GCM additional data): lowering the iteration count in a file makes it fail, not weaken.
 */

/** OWASP's 2023 figure for PBKDF2-HMAC-SHA256: ~0.3–0.6 s on a phone, once per unlock. */
export const DEFAULT_ITERATIONS = 600_000;
/** Fewer are refused when opening: a file may not downgrade the derivation. */
export const MIN_ITERATIONS = 100_000;
const FORMAT = 'govcred-web-wallet';

export interface VaultEnvelope {
  format: typeof FORMAT;
  version: 1;
  kdf: { name: 'PBKDF2'; hash: 'SHA-256'; iterations: number; salt: string };
  cipher: { name: 'AES-GCM'; iv: string };
  ciphertext: string;
}

/** Why a vault does not open: the passphrase, or a file that is not a wallet backup. */
export class VaultError extends Error {
  constructor(readonly code: 'wrong_passphrase' | 'backup_invalid') {
    super(code);
  }
}

const b64u = bytesToBase64url;
function unb64u(text: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new VaultError('backup_invalid');
  return new Uint8Array(base64urlToBytes(text));
}

/** An unlocked vault: the derived key (not extractable) and its KDF settings, to seal new contents. */
export interface VaultKey {
  key: CryptoKey;
  kdf: VaultEnvelope['kdf'];
}

/** Derives the AES key of `passphrase`: with the settings of `kdf`, else a fresh salt and `iterations`. */
export async function deriveVaultKey(passphrase: string, kdf?: VaultEnvelope['kdf'], iterations = DEFAULT_ITERATIONS): Promise<VaultKey> {
  const settings = kdf ?? { name: 'PBKDF2' as const, hash: 'SHA-256' as const, iterations, salt: b64u(crypto.getRandomValues(new Uint8Array(16))) };
  const material = await crypto.subtle.importKey('raw', new TextEncoder().encode(passphrase.normalize('NFC')), 'PBKDF2', false, ['deriveKey']);
  const key = await crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', iterations: settings.iterations, salt: unb64u(settings.salt) },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
  return { key, kdf: settings };
}

/** The authenticated header: everything but the IV and ciphertext. */
const additionalData = (kdf: VaultEnvelope['kdf']) => new TextEncoder().encode(JSON.stringify({ format: FORMAT, version: 1, kdf }));

/** Encrypts `data` (JSON) with a fresh IV. */
export async function seal(vault: VaultKey, data: unknown): Promise<VaultEnvelope> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const plaintext = new TextEncoder().encode(JSON.stringify(data));
  const ciphertext = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: additionalData(vault.kdf) }, vault.key, plaintext));
  return { format: FORMAT, version: 1, kdf: vault.kdf, cipher: { name: 'AES-GCM', iv: b64u(iv) }, ciphertext: b64u(ciphertext) };
}

/** Reads an envelope from text (IndexedDB or a backup file): shape checked, nothing decrypted. */
export function parseEnvelope(text: string): VaultEnvelope {
  let value: Partial<VaultEnvelope>;
  try {
    value = JSON.parse(text) as Partial<VaultEnvelope>;
  } catch {
    throw new VaultError('backup_invalid');
  }
  const kdf = value?.kdf;
  const ok =
    value?.format === FORMAT &&
    value.version === 1 &&
    kdf?.name === 'PBKDF2' &&
    kdf.hash === 'SHA-256' &&
    Number.isSafeInteger(kdf.iterations) &&
    kdf.iterations >= MIN_ITERATIONS &&
    kdf.iterations <= 10_000_000 &&
    typeof kdf.salt === 'string' &&
    value.cipher?.name === 'AES-GCM' &&
    typeof value.cipher.iv === 'string' &&
    typeof value.ciphertext === 'string';
  if (!ok) throw new VaultError('backup_invalid');
  return value as VaultEnvelope;
}

/**
 * Opens an envelope with the passphrase: its contents and the key to seal the next version with.
 * @throws VaultError `wrong_passphrase` (GCM's tag does not verify) or `backup_invalid`
 */
export async function unseal<T>(envelope: VaultEnvelope, passphrase: string): Promise<{ data: T; vault: VaultKey }> {
  const vault = await deriveVaultKey(passphrase, envelope.kdf);
  let plaintext: ArrayBuffer;
  try {
    plaintext = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: unb64u(envelope.cipher.iv), additionalData: additionalData(envelope.kdf) },
      vault.key,
      unb64u(envelope.ciphertext),
    );
  } catch (error) {
    if (error instanceof VaultError) throw error;
    // A wrong key and an edited file look the same to GCM; the passphrase is by far the likelier.
    throw new VaultError('wrong_passphrase');
  }
  try {
    return { data: JSON.parse(new TextDecoder().decode(plaintext)) as T, vault };
  } catch {
    throw new VaultError('backup_invalid');
  }
}
