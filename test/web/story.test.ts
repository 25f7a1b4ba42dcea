import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { JsonRpcProvider } from 'ethers';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { createProvider } from '../../libs/credentials/src/index.js';
import { readManifest, type DevnetManifest } from '../../scripts/lib/manifest.js';
import { startSystem, type LocalSystem } from '../../scripts/lib/system.js';
import { freePort } from '../support/free-port.js';
import { waitForMirrors } from '../support/verifier.js';
import { CLAIMS } from '../issuer/claims.js';
import { PHONE_VIEWPORT, SKIP_BROWSER, launchChromium } from './browser.js';
import { FakeCamera } from './fake-camera.js';
import { builtPages, camera, decodedWire, describeBrowser, readQr } from './pages.js';

/**
 * The whole story as people walk it, in one Chromium, on the system `npm start` runs (its own start-up code:
 * chain, registries, services from the build, demo agencies with their staff, the registered demo verifier and
 * its counter clerk), through the three pages only: the university's clerk issues a diploma as an SD-JWT VC offer;
 * the citizen's phone reads the QR code off the screen and the web wallet receives it with the PIN; the employer's
 * counter clerk asks "holds a bachelor's degree"; the wallet shows exactly the claim that leaves and presents; the
 * counter shows the green line and that claim alone. Then the university's officer revokes the diploma while the
 * citizen holds the next request open; the change goes pending → anchored; the presentation sent after it gets the
 * red line in plain words. Every page photographed in zh-CN and English (`story-*`);
 * GOVCRED_UPDATE_SCREENSHOTS=1 also refreshes the README's set in docs/screenshots. GOVCRED_STORY_HOME=<folder> walks
 * a fresh `npm start` already running with that GOVCRED_HOME instead (its manifest says where everything is).
 */
const DESK = { width: 1000, height: 800 };
const DIPLOMA = CLAIMS.EducationCredential as Record<string, string>;
/** Every value of the diploma but its degree (asked as its level only): none of them may leave the wallet. */
const HIDDEN = ['holderName', 'holderNameZh', 'fieldOfStudy', 'certificateNumber', 'graduationDate'].map((name) => DIPLOMA[name]!);
const BACHELOR = '是否具有本科及以上学历';
const PASSPHRASE = 'story passphrase 学历';
/** Screenshots the README shows (docs/screenshots/<value>.png), by their name under test-output. */
const README_SET: Record<string, string> = {
  'story-portal-issue-zh-CN': 'portal-issue-zh-CN',
  'story-portal-offer-en': 'portal-offer-en',
  'story-wallet-credentials-en': 'wallet-credentials-en',
  'story-wallet-consent-zh-CN': 'wallet-consent-zh-CN',
  'story-counter-verified-zh-CN': 'counter-verified-zh-CN',
  'story-portal-revoked-en': 'portal-revoked-en',
  'story-counter-refused-zh-CN': 'counter-refused-zh-CN',
  'story-counter-refused-en': 'counter-refused-en',
};
const UPDATE_README_SET = process.env.GOVCRED_UPDATE_SCREENSHOTS === '1';
const RUNNING_HOME = process.env.GOVCRED_STORY_HOME;

let system: LocalSystem | undefined;
let home: string | undefined;
let chain: JsonRpcProvider;
let manifest: DevnetManifest;
let issuerUrl: string;
let verifierUrl: string;
let chromium: Browser;
const contexts: BrowserContext[] = [];
let portal: Page;
let counter: Page;
let phone: Page;
/** The phone's camera: pointed at the agency's and the counter's screens when the citizen scans their QR codes. */
let phoneCamera: FakeCamera;
const log: string[] = [];
const story: { offerUri?: string; offerQr?: Buffer; pin?: string; checkId?: string; posted: string[] } = { posted: [] };

beforeAll(async () => {
  if (SKIP_BROWSER) return;
  for (const entry of ['portal', 'wallet', 'counter'] as const) builtPages(entry);
  if (RUNNING_HOME) {
    const file = path.join(path.resolve(RUNNING_HOME), 'devnet.json');
    const running = readManifest(file);
    if (!running) throw new Error(`no manifest at ${file}: start npm start with GOVCRED_HOME=${RUNNING_HOME} first`);
    manifest = running;
    chain = createProvider(manifest.chain.rpcUrl, manifest.chain.chainId);
  } else {
    home = mkdtempSync(path.join(tmpdir(), 'govcred-story-'));
    const ports = { chainPort: await freePort(), issuerPort: await freePort(), verifierPort: await freePort() };
    system = await startSystem({ home, chainHost: '127.0.0.1', ...ports, log: (line) => log.push(line) }).catch((error: unknown) => {
      throw new Error(`npm start's set-up failed: ${String(error)}\n${log.join('\n')}`);
    });
    manifest = system.devnet.manifest;
    chain = system.devnet.provider;
  }
  issuerUrl = manifest.services.issuer!;
  verifierUrl = manifest.services.verifier!;
  phoneCamera = new FakeCamera();
  chromium = await launchChromium(phoneCamera.flags);
  // Three people, three screens: the agency's desk, the counter's desk, the citizen's phone.
  const screen = async (viewport: { width: number; height: number }) => {
    const context = await chromium.newContext({ locale: 'zh-CN', viewport });
    contexts.push(context);
    return context.newPage();
  };
  portal = await screen(DESK);
  counter = await screen(DESK);
  phone = await screen(PHONE_VIEWPORT);
  portal.on('dialog', (dialog) => void dialog.accept());
  phone.on('request', (request: Request) => {
    if (request.method() === 'POST' && request.url().includes('/oid4vp/')) story.posted.push(request.postData() ?? '');
  });
}, 180_000);

afterAll(async () => {
  for (const context of contexts) await context.close();
  await chromium?.close();
  phoneCamera?.close();
  if (system) await system.stop();
  else chain?.destroy();
  if (home) rmSync(home, { recursive: true, force: true });
});

/** Copies a photograph of the README's set into docs/screenshots, when asked to. */
function intoDocs(file: string): void {
  const docName = README_SET[path.basename(file, '.png')];
  if (!UPDATE_README_SET || !docName) return;
  mkdirSync('docs/screenshots', { recursive: true });
  copyFileSync(file, path.join('docs/screenshots', `${docName}.png`));
}
const storyCamera = (page: () => Page, name: string) => camera(page, `story-${name}-`, intoDocs);
const desk = storyCamera(() => portal, 'portal');
const till = storyCamera(() => counter, 'counter');
const mobile = storyCamera(() => phone, 'wallet');

const staff = (role: 'clerk' | 'officer') => manifest.agencies.find((a) => a.credentialTypes.includes('EducationCredential'))!.staff!.find((s) => s.role === role)!;

async function portalSignIn(role: 'clerk' | 'officer'): Promise<void> {
  const { username, password } = staff(role);
  await portal.getByLabel('用户名').fill(username);
  await portal.getByLabel('密码').fill(password);
  await portal.getByRole('button', { name: '登录' }).click();
  await portal.getByTestId('who').waitFor();
}

/** The counter clerk picks "holds a bachelor's degree"; the phone reads the QR code off the counter's screen. */
async function askBachelor(): Promise<string> {
  await counter.getByLabel(BACHELOR).check();
  await counter.getByRole('button', { name: '生成二维码' }).click();
  await counter.getByText('等待市民出示凭证…').waitFor();
  const read = await readQr(counter, 'check-qr');
  expect(read).toBe(await counter.getByTestId('check-uri').inputValue());
  expect(read).toMatch(/^openid4vp:\/\//);
  story.checkId = new URL(new URL(read!).searchParams.get('request_uri')!).pathname.split('/')[3];
  return read!;
}

/**
 * The wallet scans the request off the counter's screen with the phone's camera, and shows who asks, why, and
 * exactly the one claim that would leave.
 */
async function walletReads(): Promise<void> {
  await phone.getByRole('link', { name: '出示' }).click();
  await phoneCamera.pointAt(counter.getByTestId('check-qr'));
  await phone.getByTestId('request-scan').click();
  const proposal = phone.getByTestId('proposal');
  await proposal.waitFor();
  expect(await proposal.getByTestId('verifier-name').textContent()).toBe('示例用人单位');
  expect(await proposal.getByTestId('leaving').locator('dt').count()).toBe(1);
  expect(await proposal.getByTestId('counted').textContent()).toBe('发送 1 项，请求 1 项');
  const leaving = await proposal.getByTestId('leaving').textContent();
  for (const value of HIDDEN) expect(leaving).not.toContain(value);
}

describeBrowser('the whole story in Chromium, on the system npm start runs', () => {
  test('the university clerk issues a diploma as an SD-JWT VC; the phone reads the offer off the screen', async () => {
    await portal.goto(`${issuerUrl}/portal/`);
    await desk.shootBoth('sign-in', '工作人员登录', 'Staff sign-in');
    await portalSignIn('clerk');
    const labels: Record<string, string> = {
      holderName: '姓名（拼音） *',
      holderNameZh: '姓名 *',
      fieldOfStudy: '专业 *',
      institution: '学校名称（英文） *',
      institutionZh: '学校名称 *',
      certificateNumber: '证书编号 *',
      graduationDate: '毕业日期 *',
    };
    for (const [name, label] of Object.entries(labels)) await portal.getByLabel(label, { exact: true }).fill(DIPLOMA[name]!);
    await portal.getByLabel('学历层次 *').selectOption(DIPLOMA.degree!);
    await portal.getByLabel('凭证格式').selectOption('dc+sd-jwt');
    await desk.shootBoth('issue', '签发凭证', 'Issue a credential');
    await portal.getByRole('button', { name: '生成领取二维码' }).click();
    await portal.getByTestId('offer-qr').waitFor();
    story.offerUri = await readQr(portal, 'offer-qr');
    expect(story.offerUri).toMatch(/^openid-credential-offer:\/\//);
    // What the citizen's phone will see of the desk's screen.
    story.offerQr = await portal.getByTestId('offer-qr').screenshot();
    story.pin = (await portal.getByTestId('offer-pin').textContent())!;
    expect(story.pin).toMatch(/^[0-9]{4,}$/);
    await desk.shootBoth('offer', '请市民用钱包扫描二维码', 'Ask the citizen to scan this QR code with their wallet');
    await portal.getByRole('button', { name: '退出登录' }).click();
  });

  test("the citizen's web wallet (phone) receives it with the PIN and lists it as valid, from the chain", async () => {
    await phone.goto(`${verifierUrl}/wallet/`);
    await mobile.shootBoth('create', '创建钱包', 'Create your wallet');
    await phone.locator('#passphrase').fill(PASSPHRASE);
    await phone.locator('#passphrase-repeat').fill(PASSPHRASE);
    await phone.getByRole('button', { name: '创建钱包' }).click();
    await phone.getByRole('heading', { name: '我的凭证' }).waitFor();
    await phone.getByRole('link', { name: '领取' }).click();
    // The camera opened towards nothing waits for a code; Stop closes it.
    phoneCamera.clear();
    await phone.getByTestId('offer-scan').click();
    await phone.getByTestId('offer-scan-video').waitFor({ state: 'visible' });
    await phone.getByRole('button', { name: '停止扫描' }).click();
    await phone.getByTestId('offer-scan-video').waitFor({ state: 'hidden' });
    // The camera closes too (its tracks stopped, the stream gone), even when Stop came before it had opened.
    type Dom = { document: { querySelector(selector: string): { srcObject: unknown } | null } };
    await phone.waitForFunction(() => (globalThis as unknown as Dom).document.querySelector('[data-testid="offer-scan-video"]')?.srcObject === null);
    // Held up to the desk's screen: scanned, and read at once.
    phoneCamera.show(story.offerQr!);
    await phone.getByTestId('offer-scan').click();
    expect(await phone.getByTestId('offer-summary').textContent()).toBe('南京大学 向您签发：学历学位证书');
    await phone.getByLabel('取件码（PIN）').fill(story.pin!);
    await mobile.shootBoth('receive', '领取凭证', 'Receive a credential');
    await phone.getByRole('button', { name: '领取', exact: true }).click();
    expect(await phone.getByTestId('received').textContent()).toBe('已领取：学历学位证书（南京大学）');
    await phone.getByRole('link', { name: '我的凭证' }).click();
    const card = phone.getByTestId('credential');
    await card.first().waitFor();
    expect(await card.count()).toBe(1);
    expect(await card.getByRole('heading').textContent()).toBe('学历学位证书');
    await card.getByTestId('credential-status').filter({ hasText: '有效' }).waitFor();
    await card.getByText('查看内容').click();
    expect(await card.getByTestId('credential-claims').textContent()).toContain(DIPLOMA.holderNameZh);
    await mobile.shootBoth('credentials', '我的凭证', 'My credentials');
  });

  test('the counter asks "holds a bachelor\'s degree"; the wallet sends that alone; the counter shows the green line and only it', async () => {
    await counter.goto(`${verifierUrl}/`);
    await till.shootBoth('sign-in', '柜员登录', 'Clerk sign-in');
    const clerk = manifest.verifiers[0]!.clerks![0]!;
    await counter.getByLabel('用户名').fill(clerk.username);
    await counter.getByLabel('密码').fill(clerk.password);
    await counter.getByRole('button', { name: '登录' }).click();
    await counter.getByTestId('who').waitFor();
    await till.shootBoth('choose', '选择核验项目', 'Choose a check');
    await askBachelor();
    await till.shootBoth('qr', '请市民用钱包扫描二维码', 'Ask the citizen to scan this QR code with their wallet');

    await walletReads();
    await mobile.shootBoth('consent', '出示凭证', 'Present credentials');
    await phone.getByRole('button', { name: '同意并发送' }).click();
    expect(await phone.getByTestId('present-done').textContent()).toBe('已发送。请求方已确认收到。');

    const outcome = counter.getByTestId('outcome');
    await outcome.filter({ hasText: `✓ 核验通过：${BACHELOR}` }).waitFor();
    expect(await outcome.getAttribute('class')).toContain('good');
    expect(await counter.getByTestId('claim').allTextContents()).toEqual(['教育层次（ISCED 2011 等级）6 级：学士或等同水平']);
    expect(await counter.getByTestId('problems').count()).toBe(0);
    const shown = (await counter.getByTestId('result').textContent())!;
    for (const value of HIDDEN) expect(shown).not.toContain(value);
    await till.shootBoth('verified', '核验结果', 'Result');

    // What reached the verifier: one post, the degree level and no other value of the diploma.
    expect(story.posted).toHaveLength(1);
    const wire = decodedWire(story.posted[0]!);
    expect(wire).toContain('degree_level');
    for (const value of HIDDEN) expect(wire).not.toContain(value);
    // And what the verifier kept of it, read as the employer's systems would (its API key from the manifest).
    const kept = await fetch(`${verifierUrl}/oid4vp/requests/${story.checkId}`, { headers: { 'x-api-key': manifest.verifiers[0]!.apiKey } });
    const body = (await kept.json()) as { status: string; result?: { credentials: Array<{ claims: Record<string, unknown> }> } };
    expect([body.status, body.result?.credentials.map((c) => Object.keys(c.claims))]).toEqual(['verified', [['degree_level']]]);
  });

  test('the officer revokes while the citizen holds the next request; pending → anchored; the counter shows the red line', async () => {
    await counter.getByRole('button', { name: '新的核验' }).click();
    await askBachelor();
    // The citizen reads the request while the diploma is still valid: the wallet offers it.
    await walletReads();

    await portalSignIn('officer');
    await portal.getByLabel('类型').selectOption('EducationCredential');
    await portal.getByRole('button', { name: '查询' }).click();
    await portal.getByText('共 1 条').waitFor();
    await desk.shootBoth('records', '凭证记录', 'Credential records');
    await portal.getByRole('button', { name: /^详情 / }).click();
    await portal.getByLabel('原因').fill('diploma withdrawn by the academic board');
    // The chain holds its next block back for a moment, as a busy chain would: the page must show the change
    // recorded but not yet on chain (automining would anchor it faster than the page looks).
    await chain.send('evm_setAutomine', [false]);
    try {
      await portal.getByRole('button', { name: '撤销（不可恢复）' }).click();
      await portal.getByTestId('change-state').filter({ hasText: '待上链' }).waitFor();
      expect(await portal.getByTestId('change-block').textContent()).toBe('—');
      await desk.shoot('revoke-pending-zh-CN');
    } finally {
      await chain.send('evm_setAutomine', [true]);
      await chain.send('evm_mine', []);
    }
    await portal.getByTestId('change-state').filter({ hasText: '已上链' }).waitFor({ timeout: 30_000 });
    expect(await portal.getByTestId('record-state').textContent()).toBe('已撤销');
    const block = Number(await portal.getByTestId('change-block').textContent());
    const txHash = (await portal.getByTestId('status-change').locator('td.mono').textContent())!;
    expect((await chain.getTransactionReceipt(txHash))?.blockNumber).toBe(block);
    await desk.shootBoth('revoked', '详情', 'Details');

    // The counter's verifier follows the chain on its own; a citizen takes longer than that to tap "agree".
    await waitForMirrors({ url: verifierUrl }, block);
    await phone.getByRole('button', { name: '同意并发送' }).click();
    await phone.getByTestId('present-done').waitFor();
    const outcome = counter.getByTestId('outcome');
    await outcome.filter({ hasText: `✗ 核验未通过：${BACHELOR}` }).waitFor();
    expect(await outcome.getAttribute('class')).toContain('bad');
    expect(await counter.getByTestId('problems').textContent()).toBe('✗ 该凭证已被签发机构撤销，不能使用。');
    expect(await counter.getByTestId('claim').count()).toBe(0);
    await till.shootBoth('refused', '核验结果', 'Result');
    await counter.getByTestId('language').selectOption('en');
    expect(await counter.getByTestId('problems').textContent()).toBe('✗ The issuing agency has revoked this credential: it must not be accepted.');
    await counter.getByTestId('language').selectOption('zh-CN');

    // The wallet, reading the chain, now lists the diploma as revoked, and offers it to no further request.
    await phone.getByRole('link', { name: '我的凭证' }).click();
    await phone.getByTestId('credential-status').filter({ hasText: '已撤销' }).waitFor();
    await mobile.shootBoth('revoked', '我的凭证', 'My credentials');
    await counter.getByRole('button', { name: '新的核验' }).click();
    const next = await askBachelor();
    await phone.getByRole('link', { name: '出示' }).click();
    await phone.getByLabel('出示请求链接或二维码内容').fill(next);
    await phone.getByRole('button', { name: '读取请求' }).click();
    expect(await phone.getByTestId('present-error').textContent()).toBe('钱包中没有可满足此请求的有效凭证。');
    expect(story.posted).toHaveLength(2);
  });
});
