import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { deployFixture, type Fixture } from '../support/chain.js';
import { WalletUser } from '../support/wallet.js';
import { WalletStore } from '../../apps/wallet/src/store/wallet-store.js';

let f: Fixture;
beforeAll(async () => {
  f = await deployFixture();
});
afterAll(() => f.provider.destroy());

test('init creates a DID and a wallet file with nothing readable in it', async () => {
  const user = new WalletUser(f);
  const result = await user.run('init');
  expect(result.code).toBe(0);
  const did = /did:ethr:0x7a69:0x[0-9a-fA-F]{40}/.exec(result.out)?.[0];
  expect(did).toBeDefined();
  const text = readFileSync(user.walletFile, 'utf8');
  const store = await WalletStore.open(user.walletFile, user.passphrase);
  expect(store.data.holder.did).toBe(did);
  // Neither the key, nor the DID, nor any structure of the content is on disk in clear.
  expect(text).not.toContain(store.data.holder.privateKeyHex);
  expect(text).not.toContain(did!.slice(-40));
  expect(text).not.toMatch(/holder|credentials|privateKey/);
  expect(await user.run('init')).toMatchObject({ code: expect.any(Number), err: expect.stringContaining('already exists') });
});

test('a stolen wallet file cannot be read without the passphrase', async () => {
  const user = new WalletUser(f);
  await user.run('init');
  const thief = new WalletUser(f, 'guess guess guess');
  writeFileSync(thief.walletFile, readFileSync(user.walletFile));
  const result = await thief.run('list');
  expect(result.code).not.toBe(0);
  expect(result.err).toContain('Wrong passphrase');
  expect(result.out).toBe('');
});

test('a damaged wallet file and a missing one get clear errors, in Chinese too', async () => {
  const user = new WalletUser(f);
  expect((await user.run('list')).err).toContain('No wallet here yet');
  writeFileSync(user.walletFile, '{"format":"govcred-wallet","version":1');
  const damaged = await user.run('list');
  expect(damaged.code).not.toBe(0);
  expect(damaged.err).toContain('damaged');
  expect((await user.run('--lang', 'zh-CN', 'list')).err).toContain('钱包文件已损坏');
});

test('backup and restore keep the same holder; restore refuses to overwrite without --force', async () => {
  const user = new WalletUser(f);
  await user.run('init');
  const did = (await WalletStore.open(user.walletFile, user.passphrase)).data.holder.did;
  const backupFile = path.join(user.dir, 'backup.json');
  expect((await user.run('backup', backupFile)).code).toBe(0);
  writeFileSync(user.walletFile, 'lost');
  expect((await user.run('restore', backupFile)).err).toContain('already exists');
  const restored = await user.run('restore', backupFile, '--force');
  expect(restored.code).toBe(0);
  expect(restored.out).toContain(did);
  expect((await user.run('list')).out).toContain('no credentials');
  user.passphrase = 'not the passphrase';
  expect((await user.run('restore', backupFile, '--force')).err).toContain('Wrong passphrase');
});

test('unknown commands and missing arguments are usage errors (exit 2)', async () => {
  const user = new WalletUser(f);
  expect((await user.run('fly')).code).toBe(2);
  expect((await user.run('backup')).code).toBe(2);
  expect((await user.run('--bogus')).code).toBe(2);
});
