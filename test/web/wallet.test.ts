import { Wallet } from 'ethers';
import type { Page, Request } from 'playwright-core';
import type { RunningVerifier } from '../../apps/verifier/src/start-verifier.js';
import { VerifierRegistryClient, ethrDid, getCredentialType, vctOf } from '../../libs/credentials/src/index.js';
import { CLAIMS } from '../issuer/claims.js';
import { startHarness, type Client, type CreatedAgency, type IssuerHarness } from '../issuer/issuer-harness.js';
import { EMPLOYER_SCOPE } from '../support/verifier-registrations.js';
import { VERIFIER_ADMIN_TOKEN, chainClockOffsetMs, get, post, startTestVerifier, waitForMirrors, withKey } from '../support/verifier.js';
import { PHONE_VIEWPORT, SKIP_BROWSER, launchBrowser } from './browser.js';
import { builtPages, camera, decodedWire, describeBrowser } from './pages.js';

/**
 * The citizen web wallet end to end in Chromium on a phone-sized screen, against a real issuer, verifier and
 * chain: a wallet made in the browser receives an SD-JWT VC ID card from an offer with its PIN, lists it with the
 * status the chain gives, answers an OpenID4VP request showing the verifier's registered name and purpose and
 * exactly the claim that leaves, and the verifier gets that claim alone. The receipt is in the history; the
 * backup file restores into a fresh browser; a wrong passphrase is said in plain words. Pages photographed in
 * zh-CN and English.
 */
const PASSPHRASE = 'correct horse battery 电池';
const ID = CLAIMS.NationalIdCredential as Record<string, string>;
const ID_VCT = vctOf(getCredentialType('NationalIdCredential')!);
const AGE_QUERY = { credentials: [{ id: 'id_card', format: 'dc+sd-jwt', meta: { vct_values: [ID_VCT] }, claims: [{ path: ['age_over_18'] }] }] };

let h: IssuerHarness;
let agency: CreatedAgency & { client: Client };
let verifier: RunningVerifier;
let apiKey: string;
let offsetMs = 0;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
let backup: Buffer;
const employer = Wallet.createRandom();

beforeAll(async () => {
  if (SKIP_BROWSER) return;
  const WALLET_DIR = builtPages('wallet');
  h = await startHarness();
  agency = await h.createAgency(['NationalIdCredential'], { nameZh: '南京市公安局', nameEn: 'Nanjing Public Security Bureau' });
  // Registrations are dated by blocks, and other test files may move the shared chain's clock ahead: the verifier
  // judges in chain time.
  offsetMs = await chainClockOffsetMs(h.fixture.provider);
  await new VerifierRegistryClient(h.fixture.verifierRegistry, h.fixture.governance).register(employer.address, EMPLOYER_SCOPE);
  verifier = await startTestVerifier(h.fixture, { VERIFIER_KEY_SECRET: 'ab'.repeat(32), WALLET_DIR }, { now: () => new Date(Date.now() + offsetMs) });
  await waitForMirrors(verifier, await h.fixture.provider.getBlockNumber());
  const account = await post<{ apiKey: string }>(
    `${verifier.url}/admin/verifiers`,
    { name: 'Employer', did: ethrDid(h.fixture.chainId, employer.address), signingKey: employer.privateKey },
    { authorization: `Bearer ${VERIFIER_ADMIN_TOKEN}` },
  );
  expect(account.status).toBe(201);
  apiKey = account.body.apiKey;
  browser = await launchBrowser('zh-CN', PHONE_VIEWPORT);
  page = await browser.context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await verifier?.close();
  await h?.close();
});

const { shoot, shootBoth } = camera(() => page, 'wallet-');

describeBrowser('citizen web wallet in Chromium (phone-sized)', () => {
  test('creates its store in the browser; the page loads nothing from elsewhere; the config holds no personal data', async () => {
    const response = await page.goto(`${verifier.url}/wallet/`);
    expect(response?.headers()['content-security-policy']).toContain("default-src 'self'");
    const config = (await get<Record<string, unknown>>(`${verifier.url}/wallet/config.json`)).body;
    expect(Object.keys(config).sort()).toEqual(['chainId', 'deployBlock', 'didRegistry', 'rpcUrl', 'statusRegistry', 'trustRegistry', 'verifierRegistry']);
    await shootBoth('create', '创建钱包', 'Create your wallet');
    await page.locator('#passphrase').fill('short');
    await page.locator('#passphrase-repeat').fill('short');
    await page.getByRole('button', { name: '创建钱包' }).click();
    expect(await page.getByTestId('setup-error').textContent()).toBe('口令至少需要 8 个字符。');
    await page.locator('#passphrase').fill(PASSPHRASE);
    await page.locator('#passphrase-repeat').fill(PASSPHRASE);
    await page.getByRole('button', { name: '创建钱包' }).click();
    await page.getByRole('heading', { name: '我的凭证' }).waitFor();
    // IndexedDB holds the sealed envelope only.
    const stored = await page.evaluate(
      () =>
        new Promise<string>((resolve, reject) => {
          // In the page: IndexedDB is a browser global the test's Node types do not declare.
          const open = (globalThis as unknown as { indexedDB: { open(name: string): any } }).indexedDB.open('govcred-wallet');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const read = open.result.transaction('vault').objectStore('vault').get('current');
            read.onsuccess = () => resolve(read.result as string);
          };
        }),
    );
    expect(JSON.parse(stored)).toMatchObject({ format: 'govcred-web-wallet', kdf: { name: 'PBKDF2', iterations: 600_000 }, cipher: { name: 'AES-GCM' } });
  });

  test('receives an SD-JWT VC ID card from an offer with its PIN, and lists it with its labels, agency and status from the chain', async () => {
    const offer = await agency.client.post('/oid4vci/offers', { type: 'NationalIdCredential', format: 'dc+sd-jwt', claims: ID, txCode: true });
    expect(offer.status).toBe(201);
    await page.getByRole('link', { name: '领取' }).click();
    // This browser has no camera: scanning says so in plain words, and pasting the link still works.
    await page.getByTestId('offer-scan').click();
    expect(await page.getByTestId('offer-scan-error').textContent()).toBe('无法使用相机：此设备没有相机，或页面不是通过 https 打开的。也可以粘贴链接。');
    expect(await page.getByTestId('offer-scan-video').isHidden()).toBe(true);
    await page.getByLabel('领取链接或二维码内容').fill(offer.body.offerUri);
    await page.getByRole('button', { name: '读取', exact: true }).click();
    expect(await page.getByTestId('offer-summary').textContent()).toBe('南京市公安局 向您签发：居民身份证');
    await shootBoth('receive', '领取凭证', 'Receive a credential');
    await page.getByLabel('取件码（PIN）').fill(offer.body.txCode);
    await page.getByRole('button', { name: '领取', exact: true }).click();
    expect(await page.getByTestId('received').textContent()).toBe('已领取：居民身份证（南京市公安局）');

    // The same offer again: its reference answers that it was used, said in plain words before any PIN is asked.
    await page.getByLabel('领取链接或二维码内容').fill(offer.body.offerUri);
    await page.getByRole('button', { name: '读取', exact: true }).click();
    expect(await page.getByTestId('receive-error').textContent()).toBe('此领取链接已使用或已过期，请向机构索取新的二维码。');
    expect(await page.getByLabel('取件码（PIN）').count()).toBe(0);

    await page.getByRole('link', { name: '我的凭证' }).click();
    const card = page.getByTestId('credential');
    await expect1(card, 1);
    expect(await card.getByRole('heading').textContent()).toBe('居民身份证');
    expect(await card.getByTestId('credential-status').textContent()).toBe('有效');
    expect(await card.getByTestId('credential-agency').textContent()).toContain('南京市公安局');
    expect(await card.getByTestId('credential-accreditation').textContent()).toBe('已在区块链上获得签发资格');
    await card.getByText('查看内容').click();
    const claims = await card.getByTestId('credential-claims').textContent();
    expect(claims).toContain(ID.nameZh);
    expect(claims).toContain('18');
    // Coded values in words: 性别 男, not `male`.
    const gender = card.getByTestId('credential-claims').locator('.pair', { hasText: '性别' });
    expect(await gender.locator('dd').textContent()).toBe(ID.gender === 'male' ? '男' : '女');
    await shootBoth('credentials', '我的凭证', 'My credentials');
  });

  test('answers an OpenID4VP request: registered name, purpose and the exact claim shown; only that claim reaches the verifier', async () => {
    const created = await post<{ id: string; authorizationRequestUri: string }>(`${verifier.url}/oid4vp/requests`, { dcql_query: AGE_QUERY, response_mode: 'direct_post' }, withKey(apiKey));
    expect(created.status).toBe(201);
    // Read on the wrong page (Receive): the wallet takes the request to Present and reads it there.
    await page.getByRole('link', { name: '领取' }).click();
    await page.getByLabel('领取链接或二维码内容').fill(created.body.authorizationRequestUri);
    await page.getByRole('button', { name: '读取', exact: true }).click();
    const proposal = page.getByTestId('proposal');
    await proposal.waitFor();
    expect(new URL(page.url()).pathname).toBe('/wallet/present');
    expect(new URL(page.url()).search).toBe('');
    expect(await proposal.getByTestId('verifier-name').textContent()).toBe(EMPLOYER_SCOPE.name['zh-CN']);
    expect(await proposal.getByTestId('verifier-purpose').textContent()).toBe(EMPLOYER_SCOPE.purpose['zh-CN']);
    const leaving = proposal.getByTestId('leaving');
    expect(await leaving.locator('dt').count()).toBe(1);
    expect(await leaving.locator('dd').textContent()).toBe('是');
    expect(await leaving.locator('dt').textContent()).toMatch(/18/);
    expect(await proposal.getByTestId('hidden').textContent()).toContain('公民身份号码');
    expect(await proposal.getByTestId('counted').textContent()).toBe('发送 1 项，请求 1 项');
    // The language switched while the request waits: what leaves and what stays are named in English now.
    await page.getByTestId('language').selectOption('en');
    await proposal.getByTestId('hidden').filter({ hasText: 'Citizen ID number' }).waitFor();
    expect(await proposal.getByTestId('hidden').textContent()).not.toMatch(/[\u4e00-\u9fff]/);
    expect(await leaving.locator('dt').textContent()).not.toMatch(/[\u4e00-\u9fff]/);
    expect(await leaving.locator('dd').textContent()).toBe('yes');
    await page.getByTestId('language').selectOption('zh-CN');
    await proposal.getByTestId('hidden').filter({ hasText: '公民身份号码' }).waitFor();
    await shootBoth('present', '出示凭证', 'Present credentials');

    const posted: string[] = [];
    const capture = (request: Request) => {
      if (request.method() === 'POST' && request.url().includes('/oid4vp/')) posted.push(request.postData() ?? '');
    };
    page.on('request', capture);
    // The key binding is judged by the verifier in chain time (see beforeAll): the device signs at that time too.
    // Not earlier: the request object's expiry is written in the machine's time, as the CLI wallet's tests read it.
    if (offsetMs > 30_000) await page.clock.setSystemTime(new Date(Date.now() + offsetMs));
    await page.getByRole('button', { name: '同意并发送' }).click();
    expect(await page.getByTestId('present-done').textContent()).toBe('已发送。请求方已确认收到。');
    page.off('request', capture);

    const result = await get<{ status: string; result?: { verified: boolean; problems: unknown[]; credentials: Array<{ claims: Record<string, unknown> }> } }>(
      `${verifier.url}/oid4vp/requests/${created.body.id}`,
      withKey(apiKey),
    );
    expect([result.body.status, result.body.result?.problems, result.body.result?.credentials.map((c) => c.claims)]).toEqual(['verified', [], [{ age_over_18: true }]]);
    // The wire: one post, holding age_over_18 and no value of any other claim.
    expect(posted).toHaveLength(1);
    const wire = decodedWire(posted[0]!);
    expect(wire).toContain('age_over_18');
    for (const hidden of [ID.citizenIdNumber, ID.nameZh, ID.name, ID.birthDate, ID.address, ID.issuingAuthority]) expect(wire).not.toContain(hidden);
  });

  test('history shows the receipt: who, why, what left', async () => {
    await page.getByRole('link', { name: '记录' }).click();
    const receipt = page.getByTestId('receipt');
    await expect1(receipt, 1);
    expect(await receipt.getByTestId('receipt-verifier').textContent()).toBe(EMPLOYER_SCOPE.name['zh-CN']);
    expect(await receipt.getByTestId('receipt-outcome').textContent()).toBe('已发送');
    expect(await receipt.getByTestId('receipt-claims').textContent()).toBe('居民身份证: 已满18周岁');
    await shootBoth('history', '谁查看过我的数据', 'Who looked at your data');
  });

  test('the backup file restores into a fresh browser, with its passphrase only; a wrong passphrase is said in plain words', async () => {
    await page.getByRole('link', { name: '备份' }).click();
    await shootBoth('backup', '备份与恢复', 'Backup and restore');
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: '下载备份文件' }).click();
    const chunks: Buffer[] = [];
    for await (const chunk of await (await download).createReadStream()) chunks.push(chunk as Buffer);
    backup = Buffer.concat(chunks);
    // Sealed: no claim of the ID card readable in the file.
    expect(backup.toString('utf8')).not.toContain(ID.citizenIdNumber);

    // Locked, a wrong passphrase does not open it, in both languages.
    await page.getByRole('button', { name: '锁定' }).click();
    await page.locator('#passphrase').fill('not the passphrase');
    await page.getByRole('button', { name: '解锁' }).click();
    expect(await page.getByTestId('setup-error').textContent()).toBe('口令不正确。');
    await page.getByTestId('language').selectOption('en');
    expect(await page.getByTestId('setup-error').textContent()).toBe('Wrong passphrase.');
    await shoot('wrong-passphrase-en');
    await page.getByTestId('language').selectOption('zh-CN');
    // By keyboard: the passphrase typed into the emptied field, then Enter submits.
    await page.locator('#passphrase').fill('');
    await page.locator('#passphrase').focus();
    await page.keyboard.type(PASSPHRASE);
    await page.keyboard.press('Enter');
    // Unlocked, back where the citizen was.
    await page.getByRole('heading', { name: '备份与恢复' }).waitFor();

    const fresh = await launchBrowser('zh-CN', PHONE_VIEWPORT);
    try {
      const other = await fresh.context.newPage();
      await other.goto(`${verifier.url}/wallet/`);
      await other.getByRole('heading', { name: '创建钱包' }).waitFor();
      await other.getByLabel('备份文件', { exact: true }).setInputFiles({ name: 'wallet.json', mimeType: 'application/json', buffer: backup });
      await other.locator('#restore-passphrase').fill('not the passphrase');
      await other.getByRole('button', { name: '恢复' }).click();
      expect(await other.getByTestId('restore-error').textContent()).toBe('口令不正确。');
      await other.locator('#restore-passphrase').fill(PASSPHRASE);
      await other.getByRole('button', { name: '恢复' }).click();
      await other.getByRole('heading', { name: '我的凭证' }).waitFor();
      const card = other.getByTestId('credential');
      expect(await card.getByRole('heading').textContent()).toBe('居民身份证');
      await other.getByRole('link', { name: '记录' }).click();
      expect(await other.getByTestId('receipt-outcome').textContent()).toBe('已发送');
    } finally {
      await fresh.close();
    }
  });
});

/** Waits until `locator` matches exactly `count` elements. */
async function expect1(locator: ReturnType<Page['getByTestId']>, count: number): Promise<void> {
  await locator.nth(count - 1).waitFor();
  expect(await locator.count()).toBe(count);
}
