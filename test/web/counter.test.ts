import { Wallet } from 'ethers';
import type { Page } from 'playwright-core';
import {
  VerifierRegistryClient,
  createDidResolver,
  ethrDid,
  planPresentation,
  presentSdJwtVc,
  resolveOid4vpRequest,
  sdJwtVcClaimView,
  submitOid4vpResponse,
} from '../../libs/credentials/src/index.js';
import type { RunningVerifier } from '../../apps/verifier/src/start-verifier.js';
import { CLAIMS } from '../issuer/claims.js';
import { startHarness, waitFor, type Client, type CreatedAgency, type IssuerHarness } from '../issuer/issuer-harness.js';
import { startPrivateChain, type PrivateChain } from '../support/private-chain.js';
import { ecKey, type TestKey } from '../support/sd-jwt-fixtures.js';
import { EMPLOYER_SCOPE } from '../support/verifier-registrations.js';
import { VERIFIER_ADMIN_TOKEN, createVerifierAccount, post, startTestVerifier, waitForMirrors, withKey } from '../support/verifier.js';
import { SKIP_BROWSER, launchBrowser } from './browser.js';
import { builtPages, camera, describeBrowser, readQr } from './pages.js';

/**
 * The verifier's counter page end to end in Chromium, against a real issuer, verifier, chain and databases: a
 * clerk signs in (wrong passwords in plain words, then throttled), asks "over 18", the QR code is read back from
 * the screen and answered by a holder with the library's OpenID4VP code (as the CLI wallet does) presenting an
 * SD-JWT ID card the issuer issued; the result appears live. A revoked card shows the red line; the history
 * lists both; another verifier account's clerk sees and does nothing of them. Photographed in zh-CN and English.
 */
const PASSWORD = 'counter e2e password';

let chain: PrivateChain;
let h: IssuerHarness;
let bureau: CreatedAgency & { client: Client };
let verifier: RunningVerifier;
let other: { id: string; apiKey: string };
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
const employerKey = Wallet.createRandom();
const holderKey: TestKey = ecKey('P-256');
const ids: { verified?: string; refused?: string } = {};

beforeAll(async () => {
  if (SKIP_BROWSER) return;
  const COUNTER_DIR = builtPages('counter');
  // A chain of this file's own: the issuer dates credentials by this machine's clock, which the shared chain's
  // clock (moved ahead by other files) must not overtake.
  chain = await startPrivateChain();
  const f = chain.fixture;
  h = await startHarness({ fixture: f, env: { CHAIN_RPC_URL: chain.url } });
  bureau = await h.createAgency(['NationalIdCredential'], { nameZh: '南京市公安局', nameEn: 'Nanjing PSB' });
  await new VerifierRegistryClient(f.verifierRegistry, f.governance).register(employerKey.address, EMPLOYER_SCOPE);
  verifier = await startTestVerifier(f, { CHAIN_RPC_URL: chain.url, VERIFIER_KEY_SECRET: 'ef'.repeat(32), COUNTER_DIR, COUNTER_SIGN_IN_MAX_FAILURES: '3' });
  await waitForMirrors(verifier, await f.provider.getBlockNumber());
  const admin = { authorization: `Bearer ${VERIFIER_ADMIN_TOKEN}` };
  const account = await post<{ id: string }>(`${verifier.url}/admin/verifiers`, { name: { 'zh-CN': '示例用人单位', en: 'Example Employer' }, did: ethrDid(f.chainId, employerKey.address), signingKey: employerKey.privateKey }, admin);
  expect(account.status).toBe(201);
  // The admin makes the employer's clerks; another account makes its own with its API key.
  for (const username of ['employer.clerk', 'employer.spare']) {
    expect((await post(`${verifier.url}/admin/verifiers/${account.body.id}/clerks`, { username, displayName: '王柜员', password: PASSWORD }, admin)).status).toBe(201);
  }
  other = await createVerifierAccount(verifier.url, { 'zh-CN': '另一家银行', en: 'Another Bank' });
  const otherClerk = await post<{ verifierId: string }>(`${verifier.url}/counter/clerks`, { username: 'bank.clerk', displayName: 'Li', password: PASSWORD }, withKey(other.apiKey));
  expect([otherClerk.status, otherClerk.body.verifierId]).toEqual([201, other.id]);
  browser = await launchBrowser('zh-CN');
  page = await browser.context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await verifier?.close();
  await h?.close();
  await chain?.stop();
});

const { shoot, shootBoth: shootBothRaw } = camera(() => page);
/** The counter's photographs are named `counter-*` (single ones name it themselves). */
const shootBoth = (name: string, zh: string, en: string) => shootBothRaw(`counter-${name}`, zh, en);

async function trySignIn(username: string, password: string): Promise<void> {
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  // Waits for the server's answer: the same error text may already be on the page from the attempt before.
  const answered = page.waitForResponse((r) => r.url() === `${verifier.url}/counter/session` && r.request().method() === 'POST');
  await page.getByRole('button', { name: '登录' }).click();
  await answered;
}

/** An SD-JWT ID card issued by the bureau through the issuer's API, bound to the holder's P-256 key. */
async function issueIdCard(): Promise<{ sdJwt: string; credentialId: string }> {
  const res = await bureau.client.post('/credentials/issue', {
    credential: { type: ['VerifiableCredential', 'NationalIdCredential'], credentialSubject: CLAIMS.NationalIdCredential },
    options: { format: 'dc+sd-jwt', holderJwk: holderKey.jwk },
  });
  expect(res.status).toBe(201);
  return { sdJwt: res.body.verifiableCredential, credentialId: res.body.credentialId };
}

/**
 * The citizen's wallet, with the library's holder code as the CLI wallet uses it: reads the signed request from
 * the QR code's URI, plans the minimal presentation, presents with a Key Binding JWT and posts the response.
 * @returns the claims that left the wallet
 */
async function answer(uri: string, sdJwt: string): Promise<string[]> {
  const f = chain.fixture;
  const resolved = await resolveOid4vpRequest(uri, { resolver: createDidResolver({ chainId: f.chainId, rpcUrl: chain.url, didRegistry: f.didRegistry }), chainId: f.chainId });
  if (!resolved.ok) throw new Error(`${resolved.code}: ${resolved.message}`);
  const { request } = resolved;
  const view = sdJwtVcClaimView(sdJwt, 'en')!;
  const plan = planPresentation(request.query, [{ format: 'dc+sd-jwt', type: view.type!, claims: Object.fromEntries(view.claims.map((c) => [c.key, c.value])) }]);
  if (!plan.ok) throw new Error(`unsatisfiable: ${plan.missing.join(', ')}`);
  const [planned] = plan.presentations;
  const presentation = await presentSdJwtVc(sdJwt, { claimPaths: planned!.disclosePaths, nonce: request.nonce, audience: request.clientId, holderAlg: 'ES256', holderSigner: holderKey.sign, now: new Date() });
  const submitted = await submitOid4vpResponse(request, { [planned!.credentialQueryId]: [presentation] });
  expect(submitted.ok).toBe(true);
  return planned!.leaving;
}

/** Picks "over 18", shows the QR code and reads it from the screen; it is exactly the link shown beside it. */
async function askOver18(): Promise<{ uri: string; id: string }> {
  await page.getByLabel('是否年满18周岁').check();
  await page.getByRole('button', { name: '生成二维码' }).click();
  await page.getByTestId('check-qr').waitFor();
  const uri = await page.getByTestId('check-uri').inputValue();
  expect(uri).toMatch(/^openid4vp:\/\/\?client_id=decentralized_identifier%3Adid%3Aethr/);
  expect(await readQr(page, 'check-qr')).toBe(uri);
  return { uri, id: new URL(new URL(uri).searchParams.get('request_uri')!).pathname.split('/')[3]! };
}

/** Signs a clerk in over HTTP: the session cookie and its CSRF token. */
async function httpSession(username: string): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${verifier.url}/counter/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
  expect(res.status).toBe(200);
  const cookie = /govcred_counter=[^;]+/.exec(res.headers.get('set-cookie') ?? '')![0];
  return { cookie, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
}

describeBrowser('verifier counter page in Chromium', () => {
  test('served at / with a CSP, swallowing no other route; sign-in errors in plain words, then throttled', async () => {
    const home = await fetch(`${verifier.url}/`);
    expect([home.status, home.headers.get('content-type')]).toEqual([200, expect.stringMatching(/^text\/html/)]);
    expect(home.headers.get('content-security-policy')).toContain("default-src 'self'");
    // Other pages of the verifier (the web wallet) are not this page, whether they are built or not.
    expect(await (await fetch(`${verifier.url}/wallet/`)).text()).not.toContain('核验柜台');
    for (const route of ['/.well-known/openid-configuration', '/oid4vp/requests/x/request-object', '/assets/..%2Findex.html', '/nothing-here']) {
      const res = await fetch(`${verifier.url}${route}`);
      expect([route, res.status, ((await res.json()) as { code: string }).code]).toEqual([route, 404, 'not_found']);
    }
    expect((await fetch(`${verifier.url}/health`)).headers.get('content-type')).toMatch(/json/);

    await page.goto(`${verifier.url}/`);
    await shootBoth('sign-in', '柜员登录', 'Clerk sign-in');
    await trySignIn('employer.clerk', 'not the password');
    expect(await page.getByTestId('sign-in-error').textContent()).toBe('用户名或密码错误。');
    await page.getByTestId('language').selectOption('en');
    expect(await page.getByTestId('sign-in-error').textContent()).toBe('Wrong username or password.');
    await page.getByTestId('language').selectOption('zh-CN');
    // Three failures lock the spare clerk's account (COUNTER_SIGN_IN_MAX_FAILURES=3), even for the right password.
    for (let i = 0; i < 3; i++) {
      await trySignIn('employer.spare', `wrong ${i}`);
      await page.getByTestId('sign-in-error').filter({ hasText: '用户名或密码错误。' }).waitFor();
    }
    await trySignIn('employer.spare', PASSWORD);
    await page.getByTestId('sign-in-error').filter({ hasText: '登录失败次数过多，请稍后再试。' }).waitFor();
    await shoot('counter-sign-in-throttled-zh-CN');
  });

  test('the clerk asks "over 18"; a holder answers the QR code; the green line and age_over_18 alone appear live', async () => {
    const { sdJwt } = await issueIdCard();
    await trySignIn('employer.clerk', PASSWORD);
    await page.getByTestId('who').waitFor();
    expect(await page.getByTestId('who').textContent()).toBe('王柜员 · 示例用人单位');
    // Outside the registration (education and age only): disabled, saying why.
    expect(await page.getByLabel('身份核验').isDisabled()).toBe(true);
    expect(await page.getByTestId('preset-note-id_check').textContent()).toMatch(/^不可用：本机构的登记不包括：.*公民身份号码/);
    expect(await page.getByTestId('preset-note-property_district').textContent()).toBe('不可用：本机构的登记不包括“不动产权证书”。');
    await page.getByLabel('自定义核验').check();
    expect(await page.getByLabel('凭证类型').locator('option').allTextContents()).toEqual(['学历学位证书', '居民身份证']);
    await shootBoth('choose', '选择核验项目', 'Choose a check');

    const asked = await askOver18();
    ids.verified = asked.id;
    await page.getByText('等待市民出示凭证…').waitFor();
    await shootBoth('qr', '请市民用钱包扫描二维码', 'Ask the citizen to scan this QR code with their wallet');
    expect(await answer(asked.uri, sdJwt)).toEqual(['age_over_18']);
    // No reload: the server-sent events bring it.
    const outcome = page.getByTestId('outcome');
    await outcome.filter({ hasText: '✓ 核验通过：是否年满18周岁' }).waitFor();
    expect(await outcome.getAttribute('class')).toContain('good');
    expect(await page.getByTestId('claim').allTextContents()).toEqual(['已满18周岁是']);
    expect(await page.getByTestId('problems').count()).toBe(0);
    expect(await page.getByTestId('check-lines').textContent()).toContain('✓ 未被撤销或暂停（区块链）：通过');
    const shown = await page.getByTestId('result').textContent();
    for (const hidden of ['张三', 'ZHANG', '320102199003071239', '1990', '玄武', bureau.did]) expect(shown).not.toContain(hidden);
    await shootBoth('verified', '核验结果', 'Result');
    await page.setViewportSize({ width: 390, height: 844 });
    await shoot('counter-verified-phone-zh-CN');
    await page.setViewportSize({ width: 1200, height: 900 });
  });

  test('a revoked ID card shows the red line in plain words; the history lists both checks', async () => {
    const { sdJwt, credentialId } = await issueIdCard();
    const change = await bureau.client.post('/credentials/status', { credentialId, action: 'revoke' });
    expect(change.status).toBe(202);
    const anchored = await waitFor(async () => {
      const res = await bureau.client.get(`/credentials/status/${change.body.id}`);
      return res.body.state === 'anchored' ? (res.body.blockNumber as number) : undefined;
    });
    await waitForMirrors(verifier, anchored);

    await page.getByRole('button', { name: '新的核验' }).click();
    const asked = await askOver18();
    ids.refused = asked.id;
    await answer(asked.uri, sdJwt);
    const outcome = page.getByTestId('outcome');
    await outcome.filter({ hasText: '✗ 核验未通过：是否年满18周岁' }).waitFor();
    expect(await outcome.getAttribute('class')).toContain('bad');
    expect(await page.getByTestId('problems').textContent()).toBe('✗ 该凭证已被签发机构撤销，不能使用。');
    expect(await page.getByTestId('check-lines').textContent()).toContain('✗ 未被撤销或暂停（区块链）：未通过');
    // A refused credential's claims are not shown.
    expect(await page.getByTestId('claim').count()).toBe(0);
    await shootBoth('refused', '核验结果', 'Result');
    await page.getByTestId('language').selectOption('en');
    expect(await page.getByTestId('problems').textContent()).toBe('✗ The issuing agency has revoked this credential: it must not be accepted.');
    await page.getByTestId('language').selectOption('zh-CN');

    const rows = page.getByTestId('history-row');
    await rows.nth(1).waitFor();
    expect(await rows.count()).toBe(2);
    expect(await rows.evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-status'), tr.children[1]!.textContent, tr.children[2]!.textContent]))).toEqual([
      ['refused', '是否年满18周岁', '未通过'],
      ['verified', '是否年满18周岁', '通过'],
    ]);
    await shootBoth('history', '我的核验记录', 'My checks');
  });

  test("another account's clerk can neither see nor act on these checks; the API holds to the session and its CSRF token", async () => {
    const own = await httpSession('employer.clerk');
    const view = await fetch(`${verifier.url}/counter/checks/${ids.verified}`, { headers: { cookie: own.cookie } });
    const body = (await view.json()) as { status: string; outcome: Record<string, unknown> & { claims: unknown[] } };
    expect([view.status, body.status]).toEqual([200, 'verified']);
    // Nothing beyond the lines and the asked claims: no issuer, holder key or other claims.
    expect(Object.keys(body.outcome).sort()).toEqual(['checks', 'claims', 'problems', 'verified']);
    expect(body.outcome.claims).toEqual([{ path: ['age_over_18'], labels: { 'zh-CN': '已满18周岁', en: 'Aged 18 or over' }, value: true }]);

    const stranger = await httpSession('bank.clerk');
    const as = (s: { cookie: string; csrf?: string }) => ({ cookie: s.cookie, ...(s.csrf ? { 'x-csrf-token': s.csrf } : {}) });
    for (const id of [ids.verified, ids.refused]) {
      for (const route of [`/counter/checks/${id}`, `/counter/checks/${id}/events`]) {
        const res = await fetch(`${verifier.url}${route}`, { headers: as(stranger) });
        expect([route, res.status]).toEqual([route, 404]);
      }
      // Nor through the OpenID4VP API with that account's key.
      expect((await fetch(`${verifier.url}/oid4vp/requests/${id}`, { headers: withKey(other.apiKey) })).status).toBe(404);
    }
    expect(await (await fetch(`${verifier.url}/counter/history`, { headers: as(stranger) })).json()).toEqual([]);
    // Its account holds no signing key: every preset is disabled for that reason, and asking is refused.
    const options = (await (await fetch(`${verifier.url}/counter/options`, { headers: as(stranger) })).json()) as { presets: Array<{ allowed: boolean; reason: string }> };
    expect(options.presets.every((p) => !p.allowed && p.reason === 'no_signing_key')).toBe(true);
    const ask = (headers: Record<string, string>, body: unknown = { preset: 'over_18' }) =>
      fetch(`${verifier.url}/counter/checks`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }).then(async (r) => [r.status, ((await r.json()) as { code: string }).code]);
    expect(await ask({ cookie: stranger.cookie })).toEqual([403, 'csrf_token_invalid']);
    expect(await ask({ cookie: stranger.cookie, 'x-csrf-token': own.csrf })).toEqual([403, 'csrf_token_invalid']);
    expect(await ask(as(stranger))).toEqual([409, 'verifier_key_missing']);
    expect(await ask({})).toEqual([401, 'unauthorized']);
    // Hostile or impossible checks of the employer's clerk: stable codes, never a 5xx.
    expect(await ask(as(own), { preset: 'id_check' })).toEqual([403, 'request_not_registered']);
    expect(await ask(as(own), { preset: 'over_21' })).toEqual([400, 'check_invalid']);
    expect(await ask(as(own), { preset: 'property_district', parameter: '<b>' })).toEqual([400, 'check_invalid']);
    expect(await ask(as(own), { compose: { type: 'NationalIdCredential', claims: [['citizenIdNumber']] } })).toEqual([403, 'request_not_registered']);
    expect(await ask(as(own), { compose: { type: '__proto__', claims: [['x']] } })).toEqual([400, 'check_invalid']);
    expect(await ask(as(own), { preset: 'over_18', verifierId: other.id })).toEqual([400, 'invalid_request']);
    // Signing out ends the session on the server.
    expect((await fetch(`${verifier.url}/counter/session`, { method: 'DELETE', headers: as(stranger) })).status).toBe(204);
    expect((await fetch(`${verifier.url}/counter/history`, { headers: as(stranger) })).status).toBe(401);
  });

  test('a bank asks "owns a property in this district"; a mortgaged title is verified with the mortgage said beside the green line', async () => {
    const f = chain.fixture;
    // The registry issues the title as an SD-JWT VC to the holder's key and registers a mortgage on it.
    const registry = await h.createAgency(['PropertyCredential'], { nameZh: '南京市不动产登记中心', nameEn: 'Nanjing Real Estate Registration Center' });
    const issued = await registry.client.post('/credentials/issue', {
      credential: { type: ['VerifiableCredential', 'PropertyCredential'], credentialSubject: CLAIMS.PropertyCredential },
      options: { format: 'dc+sd-jwt', holderJwk: holderKey.jwk },
    });
    expect(issued.status).toBe(201);
    const change = await registry.client.post('/credentials/status', { credentialId: issued.body.credentialId, action: 'encumber' });
    expect(change.status).toBe(202);
    const block = await waitFor(async () => {
      const res = await registry.client.get(`/credentials/status/${change.body.id}`);
      return res.body.state === 'anchored' ? (res.body.blockNumber as number) : undefined;
    });
    // A bank registered on chain for the title's district, with a clerk at its counter.
    const bankKey = Wallet.createRandom();
    await new VerifierRegistryClient(f.verifierRegistry, f.governance).register(bankKey.address, {
      name: { 'zh-CN': '示例银行', en: 'Example Bank' },
      purpose: { 'zh-CN': '核验抵押贷款申请人的房产所在区', en: "Checks the district of a mortgage applicant's property" },
      credentials: [{ type: 'PropertyCredential', claims: [['region']] }],
    });
    await waitForMirrors(verifier, Math.max(block, await f.provider.getBlockNumber()));
    const admin = { authorization: `Bearer ${VERIFIER_ADMIN_TOKEN}` };
    const bank = await post<{ id: string }>(`${verifier.url}/admin/verifiers`, { name: { 'zh-CN': '示例银行', en: 'Example Bank' }, did: ethrDid(f.chainId, bankKey.address), signingKey: bankKey.privateKey }, admin);
    expect(bank.status).toBe(201);
    expect((await post(`${verifier.url}/admin/verifiers/${bank.body.id}/clerks`, { username: 'bank.counter', displayName: '赵柜员', password: PASSWORD }, admin)).status).toBe(201);

    await page.goto(`${verifier.url}/`);
    await page.getByRole('button', { name: '退出登录' }).click();
    await trySignIn('bank.counter', PASSWORD);
    await page.getByTestId('who').waitFor();
    await page.getByLabel('是否在本区拥有房产').check();
    await page.getByLabel('区（县）名称，如：玄武区').fill('玄武区');
    await page.getByRole('button', { name: '生成二维码' }).click();
    await page.getByTestId('check-qr').waitFor();
    const leaving = await answer(await page.getByTestId('check-uri').inputValue(), issued.body.verifiableCredential);
    // The region is one disclosure of the title (its division codes and names); nothing else leaves.
    expect(leaving).toEqual(['region']);
    await page.getByTestId('outcome').filter({ hasText: '✓ 核验通过：是否在本区拥有房产' }).waitFor();
    expect(await page.getByTestId('encumbered').textContent()).toBe('⚠ 该不动产已办理抵押登记（登记机构在链上登记的状态）。');
    // No address, owner or certificate number reaches the page.
    const shown = await page.getByTestId('result').textContent();
    for (const hidden of ['北京东路', '王芳', '不动产权第', '89.57']) expect(shown).not.toContain(hidden);
    await shootBoth('mortgaged', '核验结果', 'Result');
    await page.getByTestId('language').selectOption('en');
    expect(await page.getByTestId('encumbered').textContent()).toBe('⚠ A mortgage is registered on this property (a status its registry set on chain).');
    await page.getByTestId('language').selectOption('zh-CN');
  });
});
