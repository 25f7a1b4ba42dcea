import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Verifier accounts' signing keys at rest: AES-256-GCM under VERIFIER_KEY_SECRET, a fresh 96-bit IV per key,
 * stored as `v1.<iv>.<tag>.<ciphertext>` (base64url). The account id is the additional data, so a key copied onto
 * another account's row does not decrypt.
 */
export class KeyBox {
  private readonly secret: Buffer;

  constructor(secretHex: string) {
    this.secret = Buffer.from(secretHex, 'hex');
  }

  seal(plaintext: string, accountId: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.secret, iv).setAAD(Buffer.from(accountId));
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', iv, cipher.getAuthTag(), data].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
  }

  /** @throws when the box was sealed under another secret or account, or was altered */
  open(sealed: string, accountId: string): string {
    const [version, iv, tag, data] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || data === undefined) throw new Error('not a sealed key');
    const decipher = createDecipheriv('aes-256-gcm', this.secret, Buffer.from(iv, 'base64url')).setAAD(Buffer.from(accountId));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  }
}
