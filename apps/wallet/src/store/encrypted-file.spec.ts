import { WalletError } from '../errors.js';
import { decrypt, encrypt, parseEncryptedFile } from './encrypted-file.js';

const cheap = { N: 2 ** 10, r: 8, p: 1 };
const secret = { holder: { privateKeyHex: 'aa'.repeat(32) }, credentials: ['eyJ…'] };

test('round trip, and nothing of the content appears in the file', async () => {
  const file = await encrypt(secret, 'correct horse battery', cheap);
  const text = JSON.stringify(file);
  expect(text).not.toContain('aa'.repeat(8));
  expect(text).not.toContain('holder');
  expect(await decrypt(parseEncryptedFile(text), 'correct horse battery')).toEqual(secret);
});

test('a wrong passphrase is wrong_passphrase', async () => {
  const file = await encrypt(secret, 'correct horse battery', cheap);
  await expect(decrypt(file, 'wrong horse battery')).rejects.toMatchObject({ code: 'wrong_passphrase' });
});

test.each([
  ['ciphertext', (f: Record<string, any>) => (f.ciphertext = Buffer.from('x'.repeat(40)).toString('base64'))],
  ['tag', (f: Record<string, any>) => (f.tag = Buffer.alloc(16).toString('base64'))],
  ['header (kdf salt)', (f: Record<string, any>) => (f.kdf.salt = Buffer.alloc(16).toString('base64'))],
])('a tampered %s does not decrypt', async (_name, tamper) => {
  const file = (await encrypt(secret, 'correct horse battery', cheap)) as unknown as Record<string, any>;
  tamper(file);
  await expect(decrypt(file as never, 'correct horse battery')).rejects.toBeInstanceOf(WalletError);
});

test.each([
  ['not JSON', 'hello'],
  ['another format', JSON.stringify({ format: 'x' })],
  ['absurd KDF cost', JSON.stringify({ format: 'govcred-wallet', version: 1, kdf: { name: 'scrypt', N: 2 ** 30, r: 8, p: 1, salt: '' }, cipher: { name: 'aes-256-gcm', iv: '' }, ciphertext: '', tag: '' })],
  ['null', 'null'],
])('%s is store_corrupt', (_name, text) => {
  expect(() => parseEncryptedFile(text)).toThrow(expect.objectContaining({ code: 'store_corrupt' }));
});
