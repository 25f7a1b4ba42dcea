import type { Page } from 'playwright-core';
import { CLAIMS, holderDid, issueRequest } from '../issuer/claims.js';
import { decodeJwt } from '../issuer/jwt.js';
import { startHarness, waitFor, type Client, type CreatedAgency, type IssuerHarness } from '../issuer/issuer-harness.js';
import { SKIP_BROWSER, launchBrowser } from './browser.js';
import { builtPages, camera, describeBrowser, readQr } from './pages.js';
import { offerObjectOf } from '../support/offer-code.js';
import { receiveCredential } from '../../libs/credentials/src/index.js';
import { didJwtHolder } from '../support/oid4vci-fixtures.js';

/**
 * The agency portal end to end in Chromium, against a real issuer, chain and database: a clerk makes an offer
 * (the ID check as she types, the QR code read back from the screen), an officer revokes a credential and
 * watches it reach the chain, an auditor checks the log. Every page is photographed in zh-CN and English.
 */
const PASSWORD = 'portal e2e password';

let h: IssuerHarness;
let agency: CreatedAgency & { client: Client };
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;

beforeAll(async () => {
  if (SKIP_BROWSER) return;
  const PORTAL_DIR = builtPages('portal');
  browser = await launchBrowser('zh-CN');
  h = await startHarness({ env: { PORTAL_DIR } });
  // A university that also registers residents: the diploma form and the ID-number form in one agency.
  agency = await h.createAgency(['EducationCredential', 'NationalIdCredential'], { nameZh: '南京大学', nameEn: 'Nanjing University' });
  for (const role of ['clerk', 'officer', 'auditor']) {
    const res = await h.admin.post(`/admin/agencies/${agency.id}/staff`, { username: `nju.${role}`, displayName: `${role} 1`, role, password: PASSWORD });
    expect(res.status).toBe(201);
  }
  page = await browser.context.newPage();
  page.on('dialog', (dialog) => void dialog.accept());
});

afterAll(async () => {
  await browser?.close();
  await h?.close();
});

const { shoot, shootBoth } = camera(() => page);

async function signIn(username: string): Promise<void> {
  // A fresh start whatever an earlier test left behind.
  await browser.context.clearCookies();
  await page.goto(`${h.issuer.url}/portal/`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByTestId('who').waitFor();
}

async function signOut(): Promise<void> {
  await page.getByRole('button', { name: '退出登录' }).click();
  await page.getByRole('heading', { name: '工作人员登录' }).waitFor();
}

describeBrowser('agency portal in Chromium', () => {
  test('sign-in: a wrong password is said in plain words, in both languages', async () => {
    await page.goto(`${h.issuer.url}/portal/`);
    await shootBoth('sign-in', '工作人员登录', 'Staff sign-in');
    // The page is served with a CSP: nothing from elsewhere.
    const response = await page.request.get(`${h.issuer.url}/portal/records`);
    expect(response.headers()['content-security-policy']).toContain("default-src 'self'");
    await page.getByLabel('用户名').fill('nju.clerk');
    await page.getByLabel('密码').fill('not the password');
    await page.getByRole('button', { name: '登录' }).click();
    expect(await page.getByTestId('sign-in-error').textContent()).toBe('用户名或密码错误。');
  });

  test('a clerk fills the forms (the ID check digit as she types) and gets the offer QR code with its PIN', async () => {
    await signIn('nju.clerk');
    expect(page.url()).toBe(`${h.issuer.url}/portal/issue`);
    await page.getByLabel('凭证类型').selectOption('NationalIdCredential');
    const id = page.getByLabel('公民身份号码 *');
    await id.pressSequentially('320102199003071238');
    expect(await page.getByTestId('error-citizenIdNumber').textContent()).toBe('校验码不正确（按 GB 11643 应为 9）');
    expect(await id.getAttribute('aria-invalid')).toBe('true');
    await shoot('issue-id-check-zh-CN');
    await id.press('Backspace');
    await id.press('9');
    await page.getByTestId('error-citizenIdNumber').waitFor({ state: 'detached' });

    // The diploma form.
    await page.getByLabel('凭证类型').selectOption('EducationCredential');
    await shootBoth('issue', '签发凭证', 'Issue a credential');
    const diploma = CLAIMS.EducationCredential as Record<string, string>;
    const labels: Record<string, string> = {
      holderName: '姓名（拼音） *',
      holderNameZh: '姓名 *',
      fieldOfStudy: '专业 *',
      institution: '学校名称（英文） *',
      institutionZh: '学校名称 *',
      certificateNumber: '证书编号 *',
      graduationDate: '毕业日期 *',
    };
    for (const [name, label] of Object.entries(labels)) await page.getByLabel(label, { exact: true }).fill(diploma[name]);
    await page.getByLabel('学历层次 *').selectOption(diploma.degree);
    await page.getByLabel('学习形式').selectOption(diploma.studyMode);
    // SD-JWT VC first (any wallet holds it, it discloses only what is asked); at the counter, 15 minutes.
    expect(await page.getByLabel('凭证格式').inputValue()).toBe('dc+sd-jwt');
    expect(await page.getByLabel('领取有效期').inputValue()).toBe('900');
    await page.getByLabel('凭证格式').selectOption('jwt_vc_json');
    await page.getByRole('button', { name: '生成领取二维码' }).click();
    await page.getByTestId('offer-qr').waitFor();
    const pin = await page.getByTestId('offer-pin').textContent();
    expect(pin).toMatch(/^[0-9]{4,}$/);
    const uri = await page.getByTestId('offer-uri').textContent();
    expect(uri).toMatch(/^openid-credential-offer:\/\//);
    // What a phone at the counter reads from the screen is exactly the offer.
    expect(await readQr(page, 'offer-qr')).toBe(uri);
    await shootBoth('offer', '请市民用钱包扫描二维码', 'Ask the citizen to scan this QR code with their wallet');

    // Bulk: a class list with one bad row.
    await page.getByRole('link', { name: '批量签发' }).click();
    const names = Object.keys(diploma);
    const csv = [names.join(','), names.map((n) => diploma[n]).join(','), names.map((n) => (n === 'graduationDate' ? '2024-02-30' : diploma[n])).join(',')].join('\n');
    await page.getByLabel('CSV 文件').setInputFiles({ name: 'class.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByText('共 2 行').waitFor();
    // A class list's offers wait a week by default (handed out by letter), in SD-JWT VC.
    expect([await page.getByLabel('凭证格式').inputValue(), await page.getByLabel('领取有效期').inputValue()]).toEqual(['dc+sd-jwt', '604800']);
    const madeFrom = Date.now();
    await page.getByRole('button', { name: '生成领取链接' }).click();
    await page.getByText('完成：成功 1 行，失败 1 行').waitFor();
    expect(await page.locator('td .error').allTextContents()).toEqual(['毕业日期：请输入有效日期（年-月-日）']);
    await page.getByTestId('language').selectOption('en');
    await page.getByText('Done: 1 made, 1 failed').waitFor();
    await page.getByTestId('language').selectOption('zh-CN');
    expect(await page.locator('progress').getAttribute('value')).toBe('1');
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: '下载领取链接（CSV）' }).click();
    const file = await (await download).createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of file) chunks.push(chunk as Buffer);
    const lines = Buffer.concat(chunks).toString('utf8').trim().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/,openid-credential-offer:\/\/[^,]+,[0-9]{4,},/);
    const [, bulkOffer, , expiresAt] = /,(openid-credential-offer:\/\/[^,]+),([0-9]{4,}),([^,]+),/.exec(lines[1]!)!;
    expect(Date.parse(expiresAt!) - madeFrom).toBeGreaterThan(7 * 86_400_000 - 120_000);
    expect((await offerObjectOf(bulkOffer!)).credential_configuration_ids).toEqual(['EducationCredential_sd_jwt']);

    // Letters for the post: one per offer made, its QR code the offer, the PIN nowhere on it.
    await page.getByRole('button', { name: '打印领取通知书' }).click();
    const letter = page.getByTestId('letter');
    await page.getByTestId('letter-qr').waitFor();
    expect(await letter.count()).toBe(1);
    expect(await letter.getByTestId('letter-to').textContent()).toBe(`${diploma.holderName} · ${diploma.holderNameZh}`);
    expect(await letter.textContent()).toContain('南京大学已为您签发学历学位证书');
    expect(await letter.textContent()).not.toContain(/,([0-9]{4,}),/.exec(lines[1]!)![1]);
    expect(await readQr(page, 'letter-qr')).toBe(bulkOffer);
    await page.evaluate(() => {
      const w = globalThis as unknown as { printed: number; print: () => void };
      w.printed = 0;
      w.print = () => void (w.printed += 1);
    });
    await page.getByRole('button', { name: '打印', exact: true }).click();
    expect(await page.evaluate(() => (globalThis as unknown as { printed: number }).printed)).toBe(1);
    // On paper: the letter alone, not the portal around it.
    await page.emulateMedia({ media: 'print' });
    expect([await page.getByRole('navigation').isVisible(), await page.getByRole('button', { name: '打印', exact: true }).isVisible(), await letter.isVisible()]).toEqual([false, false, true]);
    await shoot('letters-print-zh-CN');
    await page.emulateMedia({ media: 'screen' });
    await page.getByRole('button', { name: '返回' }).click();
    await page.getByText('完成：成功 1 行，失败 1 行').waitFor();
    expect(lines[2]).toMatch(/,invalid_claims$/);
    await shootBoth('bulk', '批量签发（CSV）', 'Bulk issue (CSV)');
    await signOut();
  });

  test('an officer revokes a credential and watches it go from pending to anchored', async () => {
    const issued = await agency.client.post('/credentials/issue', issueRequest('EducationCredential', holderDid(1)));
    expect(issued.status).toBe(201);
    const credentialId = decodeJwt(issued.body.verifiableCredential).payload.jti as string;
    await signIn('nju.officer');
    expect(page.url()).toBe(`${h.issuer.url}/portal/records`);
    // Officers have no issue page.
    expect(await page.getByRole('link', { name: '签发', exact: true }).count()).toBe(0);
    // A university's records have the three states of its credentials; a title's two are not offered.
    expect(await page.getByLabel('状态').locator('option').allTextContents()).toEqual(['全部状态', '有效', '已暂停', '已撤销']);
    await page.getByLabel('凭证编号').fill(credentialId);
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByText('共 1 条').waitFor();
    await shootBoth('records', '凭证记录', 'Credential records');
    await page.getByRole('button', { name: `详情 ${credentialId}` }).click();
    await page.getByLabel('原因').fill('diploma withdrawn by the academic board');
    await page.getByRole('button', { name: '撤销（不可恢复）' }).click();
    await page.getByTestId('change-state').filter({ hasText: '已上链' }).waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('record-state').textContent()).toBe('已撤销');
    const block = Number(await page.getByTestId('change-block').textContent());
    expect(block).toBeGreaterThan(0);
    // A change's time is when it was asked for, not when the credential was issued.
    const changeTable = page.getByTestId('record-details').locator('table');
    expect(await changeTable.locator('th').allTextContents()).toEqual(['操作', '提交时间', '状态', '交易', '区块']);
    // The portal shows what the chain holds: the change's own transaction landed in that block.
    const changes = (await agency.client.get(`/credentials/${encodeURIComponent(credentialId)}`)).body.statusChanges;
    expect(changes).toHaveLength(1);
    expect((await h.fixture.provider.getTransactionReceipt(changes[0].txHash))?.blockNumber).toBe(block);
    await shootBoth('record-revoked', '详情', 'Details');
    await signOut();
  });

  test('a property registry: the clerk enters a co-owner as fields; the officer registers and releases a mortgage; the clerk transfers the title by offer; the transferred title is final and links to its successor', async () => {
    const registry = await h.createAgency(['PropertyCredential'], { nameZh: '南京市不动产登记中心', nameEn: 'Nanjing Real Estate Registration Center' });
    for (const role of ['clerk', 'officer']) {
      const staff = await h.admin.post(`/admin/agencies/${registry.id}/staff`, { username: `estate.${role}`, displayName: `${role} 1`, role, password: PASSWORD });
      expect(staff.status).toBe(201);
    }
    // The registry's clerk fills the title form, a co-owner entered as fields of their own; the issuer takes it.
    await signIn('estate.clerk');
    const title = CLAIMS.PropertyCredential as Record<string, string | number>;
    for (const [label, value] of [['不动产权证书号 *', title.certificateNumber], ['不动产单元号 *', title.parcelNumber], ['坐落 *', title.address], ['面积（平方米） *', title.area], ['登记日期 *', title.registrationDate]] as const) {
      await page.getByLabel(label).fill(String(value));
    }
    await page.getByLabel('用途 *').selectOption('residential');
    await page.getByLabel('权利类型 *').selectOption('state-land-use-and-house-ownership');
    await page.getByRole('button', { name: '添加共有人' }).click();
    const coOwner = page.getByRole('group', { name: '共有人 1' });
    await coOwner.getByLabel('共有人姓名 *').fill('王芳');
    await coOwner.getByLabel('共有人公民身份号码').fill('11010519491231002x');
    await coOwner.getByLabel('共有份额（%）').fill('50');
    await shootBoth('issue-title', '签发凭证', 'Issue a credential');
    await page.getByRole('button', { name: '生成领取二维码' }).click();
    await page.getByTestId('offer-pin').waitFor();
    const { credential_configuration_ids } = await offerObjectOf((await page.getByTestId('offer-uri').textContent())!);
    expect(credential_configuration_ids).toEqual(['PropertyCredential_sd_jwt']);
    await signOut();
    const issued = await registry.client.post('/credentials/issue', issueRequest('PropertyCredential', holderDid(21)));
    expect(issued.status).toBe(201);
    const titleId = decodeJwt(issued.body.verifiableCredential).payload.jti as string;
    const details = page.getByTestId('record-details');
    const stateOf = () => page.getByTestId('record-state').textContent();
    /** Waits until the record shows `count` status changes, every one anchored; answers their actions. */
    const anchoredChanges = async (count: number) => {
      await waitFor(async () => {
        const badges = await page.getByTestId('change-state').allTextContents();
        return badges.length === count && badges.every((badge) => badge === '已上链');
      });
      return page.getByTestId('status-change').locator('td:first-child').allTextContents();
    };
    const find = async (id: string) => {
      await page.getByLabel('凭证编号').fill(id);
      await page.getByRole('button', { name: '查询' }).click();
      await page.getByText('共 1 条').waitFor();
      await page.getByRole('button', { name: `详情 ${id}` }).click();
      await page.getByTestId('record-details').locator('p.mono', { hasText: id }).waitFor();
    };

    await signIn('estate.officer');
    expect(await page.getByLabel('状态').locator('option').allTextContents()).toEqual(['全部状态', '有效', '已暂停', '已撤销', '已抵押', '已转移']);
    await find(titleId);
    expect(await details.locator('dd.mono').textContent()).toBe(issued.body.certificateNumber);
    // 抵押登记: the title stays valid for its owner, and a bank's check shows the mortgage.
    await page.getByRole('button', { name: '办理抵押登记' }).click();
    expect(await anchoredChanges(1)).toEqual(['抵押登记']);
    expect(await stateOf()).toBe('已抵押');
    expect(await details.getByRole('button', { name: '暂停' }).count()).toBe(0);
    await page.getByRole('button', { name: '注销抵押登记' }).click();
    expect(await anchoredChanges(2)).toEqual(['抵押登记', '注销抵押']);
    expect(await stateOf()).toBe('有效');
    expect(await details.getByRole('button', { name: '注销抵押登记' }).count()).toBe(0);

    // 转移登记 at the portal: the clerk opens the title's record and makes the new owner's certificate as an offer;
    // the new owner's wallet (the library, as the CLI wallet receives) redeems it, and only then does the title move.
    await signOut();
    await signIn('estate.clerk');
    await page.getByRole('link', { name: '凭证记录' }).click();
    await find(titleId);
    await page.getByTestId('record-transfer').click();
    await page.getByTestId('transfer-notice').filter({ hasText: issued.body.certificateNumber }).waitFor();
    const next: Record<string, string | number> = { ...(CLAIMS.PropertyCredential as Record<string, string | number>), certificateNumber: '苏(2026)南京市不动产权第0000022号' };
    for (const [label, value] of [['不动产权证书号 *', next.certificateNumber], ['不动产单元号 *', next.parcelNumber], ['坐落 *', next.address], ['面积（平方米） *', next.area], ['登记日期 *', next.registrationDate]] as const) {
      await page.getByLabel(label).fill(String(value));
    }
    await page.getByLabel('用途 *').selectOption('residential');
    await page.getByLabel('权利类型 *').selectOption('state-land-use-and-house-ownership');
    await shootBoth('transfer', '转移登记：新权利人的证书', "Title transfer: the new owner's certificate");
    await page.getByRole('button', { name: '生成领取二维码' }).click();
    const pin = (await page.getByTestId('offer-pin').textContent())!;
    const transferUri = (await page.getByTestId('offer-uri').textContent())!;
    expect((await registry.client.get(`/credentials/${encodeURIComponent(titleId)}`)).body.state).toBe('active');
    const buyer = didJwtHolder();
    const received = await receiveCredential({ offer: transferUri, txCode: pin, holderDid: buyer.did, signProofJwt: buyer.sign, allowHttp: true });
    const successorId = decodeJwt(received.credential).payload.jti as string;
    const successorNumber = (await registry.client.get(`/credentials/${encodeURIComponent(successorId)}`)).body.certificateNumber as string;
    await signOut();
    await signIn('estate.officer');
    await find(titleId);
    expect(await stateOf()).toBe('已转移');
    expect(await details.getByText('这份证书已因转移登记失效，状态不能再变更。').count()).toBe(1);
    // Final: no action is offered on it.
    expect(await details.locator('.row button').count()).toBe(0);
    expect(await anchoredChanges(3)).toEqual(['抵押登记', '注销抵押', '转移登记']);
    await shootBoth('record-transferred', '详情', 'Details');
    expect(await page.getByTestId('record-successor').textContent()).toBe(successorId);
    await page.getByTestId('record-successor').click();
    await details.locator('p.mono', { hasText: successorId }).waitFor();
    expect(await stateOf()).toBe('有效');
    expect(await page.getByTestId('record-predecessor').textContent()).toBe(titleId);
    expect(await details.locator('dd.mono').textContent()).toBe(successorNumber);
    // The search by the printed certificate number, as a clerk types it from the paper.
    await page.getByLabel('凭证编号').fill('');
    await page.getByLabel('证书编号').fill(successorNumber.toLowerCase().replace(/-/g, ' '));
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByRole('button', { name: `详情 ${successorId}` }).waitFor();
    expect(await page.getByText('共 1 条').count()).toBe(1);
    await page.getByLabel('证书编号').fill('GC-0000');
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByRole('alert').filter({ hasText: '证书编号有误：格式不对，或有输错的字符。' }).waitFor();
    await page.getByLabel('证书编号').fill('');
    // The search by the title states.
    await page.getByLabel('状态').selectOption('superseded');
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByRole('button', { name: `详情 ${titleId}` }).waitFor();
    expect(await page.getByText('共 1 条').count()).toBe(1);
    await signOut();
  });

  test('an auditor signs in and reaches the log by keyboard alone; every portal action under its staff member, the chain intact', async () => {
    await browser.context.clearCookies();
    await page.goto(`${h.issuer.url}/portal/`);
    await page.getByLabel('用户名').focus();
    await page.keyboard.type('nju.auditor');
    await page.keyboard.press('Tab');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByTestId('who').waitFor();
    const auditLink = page.getByRole('link', { name: '审计日志' });
    // Tab through the page until the link has the focus, then follow it with Enter.
    const focused = () => auditLink.evaluate((el) => el === el.ownerDocument.activeElement);
    const visited: string[] = [];
    // Focus goes on from where the sign-in form was, through the records page, around to the navigation.
    for (let i = 0; i < 60 && !(await focused()); i++) {
      await page.keyboard.press('Tab');
      // Read at once: a `:focus` locator would wait out its whole timeout (30 s) whenever the body has the focus.
      visited.push(String(await page.evaluate("document.activeElement ? document.activeElement.outerHTML.slice(0, 60) : 'none'")));
    }
    expect([await focused(), visited]).toEqual([true, visited]);
    await page.keyboard.press('Enter');
    await page.getByTestId('audit-check').waitFor();
    expect(await page.getByTestId('audit-check').textContent()).toContain('哈希链完整');
    const table = await page.getByTestId('audit-entries').textContent();
    for (const action of ['offer.created', 'offers.created', 'status.revoke.requested', 'staff.signed_in']) expect(table).toContain(action);
    // Actors by name (the log keeps ids only), the id a hover away.
    const offerRow = page.getByTestId('audit-entries').locator('tr', { hasText: 'offer.created' }).first();
    expect(await offerRow.getByTestId('audit-actor').textContent()).toBe('clerk 1 (nju.clerk)');
    expect(await offerRow.getByTestId('audit-actor').getAttribute('title')).toMatch(/^staff:[0-9a-f-]{36}$/);
    await shootBoth('audit', '审计日志', 'Audit log');
    await signOut();
  });
});
