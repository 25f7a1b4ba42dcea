// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { memoryStorage } from './storage';
import { DEFAULT_ITERATIONS, MIN_ITERATIONS, VaultError } from './vault';
import { PassphraseTooShortError, WalletStore, type StoredCredential } from './wallet-store';

/** The lowest count a stored envelope may name: quick enough for tests, still accepted on opening. */
const FAST = MIN_ITERATIONS;
const PASSPHRASE = 'a passphrase 口令';
const CREDENTIAL: StoredCredential = {
  id: 'sha256:x',
  format: 'dc+sd-jwt',
  sdJwt: 'eyJhbGciOiJFUzI1NksifQ.eyJuYW1lWmgiOiLlvKDkuIkifQ.c2ln~WyJzYWx0IiwibmFtZVpoIiwi5byg5LiJIl0~',
  holderKey: { alg: 'ES256', jwk: { kty: 'EC', crv: 'P-256', x: 'x', y: 'y', d: 'PRIVATE-D' } },
  type: 'NationalIdCredential',
  issuer: 'did:ethr:0x7a69:0x1111111111111111111111111111111111111111',
  issuerName: { 'zh-CN': '南京市公安局', en: 'Nanjing PSB' },
  receivedAt: '2026-11-30T00:00:00.000Z',
};

const vaultError = (promise: Promise<unknown>) => promise.then(() => 'opened', (e: unknown) => (e instanceof VaultError ? e.code : String(e)));

describe('the encrypted store', () => {
  it('round-trips through storage sealed: nothing readable at rest, a fresh IV per save', async () => {
    const storage = memoryStorage();
    const store = await WalletStore.create(storage, PASSPHRASE, FAST);
    store.data.credentials.push(CREDENTIAL);
    await store.save();
    const first = JSON.parse((await storage.read())!);
    await store.save();
    const second = JSON.parse((await storage.read())!);
    expect(first.kdf).toMatchObject({ name: 'PBKDF2', hash: 'SHA-256', iterations: FAST });
    expect(first.cipher.iv).not.toBe(second.cipher.iv);
    for (const secret of ['PRIVATE-D', CREDENTIAL.sdJwt, '南京市公安局', 'NationalIdCredential']) expect(await storage.read()).not.toContain(secret);

    const reopened = await WalletStore.unlock(storage, PASSPHRASE);
    expect(reopened.data).toEqual({ version: 1, credentials: [CREDENTIAL], receipts: [] });
  });

  it('refuses a wrong passphrase, and a backup restores only with its own', async () => {
    const storage = memoryStorage();
    const store = await WalletStore.create(storage, PASSPHRASE, FAST);
    store.data.credentials.push(CREDENTIAL);
    await store.save();
    expect(await vaultError(WalletStore.unlock(storage, 'not the passphrase'))).toBe('wrong_passphrase');

    const backup = await store.backup();
    const elsewhere = memoryStorage();
    expect(await vaultError(WalletStore.restore(elsewhere, backup, 'not the passphrase'))).toBe('wrong_passphrase');
    expect(await elsewhere.read()).toBeUndefined();
    expect((await WalletStore.restore(elsewhere, backup, PASSPHRASE)).data.credentials).toEqual([CREDENTIAL]);
    expect((await WalletStore.unlock(elsewhere, PASSPHRASE)).data.credentials).toEqual([CREDENTIAL]);
  });

  it('an edited file does not open: fewer iterations, another salt, other bytes, not a backup at all', async () => {
    const storage = memoryStorage();
    await WalletStore.create(storage, PASSPHRASE, FAST);
    const envelope = JSON.parse((await storage.read())!);
    const edited = (change: (e: typeof envelope) => void) => {
      const copy = structuredClone(envelope);
      change(copy);
      return JSON.stringify(copy);
    };
    const open = (text: string) => vaultError(WalletStore.restore(memoryStorage(), text, PASSPHRASE));
    expect(await open(edited((e) => (e.kdf.iterations = 1000)))).toBe('backup_invalid');
    // Above the floor but not what was sealed: the KDF settings are authenticated with the contents.
    expect(await open(edited((e) => (e.kdf.iterations = FAST + 1)))).toBe('wrong_passphrase');
    expect(await open(edited((e) => (e.kdf.salt = 'AAAAAAAAAAAAAAAAAAAAAA')))).toBe('wrong_passphrase');
    expect(await open(edited((e) => (e.ciphertext = `${e.ciphertext[0] === 'A' ? 'B' : 'A'}${e.ciphertext.slice(1)}`)))).toBe('wrong_passphrase');
    expect(await open(edited((e) => (e.ciphertext = '!!')))).toBe('backup_invalid');
    for (const junk of ['', 'not json', '{}', '[]', 'null', JSON.stringify({ ...envelope, format: 'other' })]) expect(await open(junk)).toBe('backup_invalid');
  });

  it('a new wallet needs a passphrase of 8 characters or more; the derivation is strong by default', async () => {
    await expect(WalletStore.create(memoryStorage(), '七个字符的口令', FAST)).rejects.toBeInstanceOf(PassphraseTooShortError);
    expect(DEFAULT_ITERATIONS).toBeGreaterThanOrEqual(600_000);
  });
});
