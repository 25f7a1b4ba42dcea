import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import i18next from 'i18next';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { getCredentialType } from '../../../../../libs/credentials/src/catalog/index.js';
import { SAMPLE_CLAIMS } from '../../../../../scripts/lib/sample-claims.js';
import { initI18n } from '../../shared/i18n';
import { SessionContext, type Session } from '../session';
import { IssuePage } from './IssuePage';

const session: Session = {
  staff: { id: 's1', username: 'psb.clerk', displayName: '张警官', role: 'clerk' },
  agency: { id: 'a1', did: 'did:ethr:0x7a69:0x01', nameZh: '南京市公安局', nameEn: 'Nanjing PSB', credentialTypes: ['NationalIdCredential'] },
  csrfToken: 'csrf-token',
  expiresAt: '2099-01-01T00:00:00Z',
};

/** The issuer's answers, from the real catalog; every request is recorded. */
function serve(offerAnswer?: [number, unknown]): Array<{ method: string; url: string; body?: unknown; headers: Record<string, string> }> {
  const calls: Array<{ method: string; url: string; body?: unknown; headers: Record<string, string> }> = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) => {
    calls.push({ method: init.method ?? 'GET', url, body: init.body ? JSON.parse(String(init.body)) : undefined, headers: (init.headers ?? {}) as Record<string, string> });
    const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    const definition = url.startsWith('/credential-types/') ? getCredentialType(url.slice('/credential-types/'.length)) : undefined;
    if (definition) return json(200, { type: definition.type, labels: definition.labels, schema: definition.schema });
    if (url === '/oid4vci/formats') {
      return json(200, [
        { id: 'jwt_vc_json', labels: { 'zh-CN': 'W3C 可验证凭证（JWT）', en: 'W3C VC (JWT)' } },
        { id: 'dc+sd-jwt', labels: { 'zh-CN': '可选择性披露凭证（SD-JWT VC）', en: 'Selective disclosure (SD-JWT VC)' } },
      ]);
    }
    if (url === `/credentials/${encodeURIComponent(TITLE_ID)}`) return json(200, { id: TITLE_ID, type: 'PropertyCredential', state: 'active', certificateNumber: 'GC-AYGZG-EJ61G-G0Y69-BY', titleId: '0x01' });
    if (url === '/oid4vci/offers' && offerAnswer) return json(...offerAnswer);
    if (url === '/oid4vci/offers') return json(201, { offerUri: 'openid-credential-offer://?credential_offer_uri=x', txCode: '482913', expiresAt: '2099-01-01T00:00:00Z' });
    return json(404, { code: 'not_found', message: 'no' });
  });
  return calls;
}

async function renderPage(as: Session = session, url = '/issue') {
  render(
    <MemoryRouter initialEntries={[url]}>
      <SessionContext.Provider value={{ session: as, expired: vi.fn() }}>
        <IssuePage />
      </SessionContext.Provider>
    </MemoryRouter>,
  );
  return screen.findByLabelText(as === session ? '公民身份号码 *' : '不动产权证书号 *');
}

/** A title certificate of the registry's records. */
const TITLE_ID = 'urn:uuid:b0461833-1abe-4bc0-b1c8-97ff1e36424c';

/** A clerk of the property registry: the title form, with its co-owners. */
const registryClerk: Session = {
  ...session,
  staff: { id: 's2', username: 'estate.clerk', displayName: '王登记员', role: 'clerk' },
  agency: { id: 'a2', did: 'did:ethr:0x7a69:0x02', nameZh: '南京市不动产登记中心', nameEn: 'Nanjing Real Estate Registration Center', credentialTypes: ['PropertyCredential'] },
};

/** Fills the title form with the sample title (no co-owners); answers its claims. */
function fillTitle(): Record<string, unknown> {
  const claims = SAMPLE_CLAIMS.PropertyCredential;
  for (const [label, value] of [
    ['不动产权证书号 *', claims.certificateNumber],
    ['不动产单元号 *', claims.parcelNumber],
    ['坐落 *', claims.address],
    ['面积（平方米） *', String(claims.area)],
    ['登记日期 *', claims.registrationDate],
  ] as const) {
    fireEvent.change(screen.getByLabelText(label), { target: { value } });
  }
  fireEvent.change(screen.getByLabelText('用途 *'), { target: { value: claims.use } });
  fireEvent.change(screen.getByLabelText('权利类型 *'), { target: { value: claims.rightType } });
  return claims;
}

/** The input labelled `label` inside `group` (each co-owner's group has the same labels). */
function inputIn(group: HTMLElement, label: string): HTMLInputElement {
  const found = [...group.querySelectorAll('label')].find((l) => l.textContent === label);
  if (!found) throw new Error(`no ${label} in the group`);
  return group.querySelector(`#${CSS.escape(found.htmlFor)}`) as HTMLInputElement;
}

beforeEach(() => {
  initI18n('zh-CN');
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('IssuePage', () => {
  it('labels every field from the catalog in zh-CN, lists the formats the server offers (SD-JWT VC first chosen) and the offer lifetimes', async () => {
    serve();
    await renderPage();
    expect(screen.getByLabelText('姓名 *')).toBeTruthy();
    expect(screen.getByLabelText('民族')).toBeTruthy();
    // Coded values in words; the claim keeps the code.
    const gender = screen.getByLabelText('性别 *') as HTMLSelectElement;
    expect([...gender.options].map((o) => [o.value, o.textContent])).toEqual([['', '请选择'], ['male', '男'], ['female', '女']]);
    const format = (await screen.findByLabelText('凭证格式')) as HTMLSelectElement;
    await waitFor(() => expect(format.value).toBe('dc+sd-jwt'));
    expect([...format.options].map((o) => o.value)).toEqual(['jwt_vc_json', 'dc+sd-jwt']);
    const lifetime = screen.getByLabelText('领取有效期') as HTMLSelectElement;
    expect([...lifetime.options].map((o) => [o.value, o.textContent])).toEqual([
      ['900', '15 分钟（当面领取）'],
      ['86400', '1 天'],
      ['604800', '7 天（邮寄或通知领取）'],
    ]);
    expect(lifetime.value).toBe('900');
  });

  it('shows the ID number\'s wrong check character as it is typed, in the chosen language', async () => {
    serve();
    const input = await renderPage();
    fireEvent.change(input, { target: { value: '320102199003071238' } });
    expect((await screen.findByTestId('error-citizenIdNumber')).textContent).toBe('校验码不正确（按 GB 11643 应为 9）');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    await act(() => i18next.changeLanguage('en'));
    expect(screen.getByTestId('error-citizenIdNumber').textContent).toBe('Wrong check character (GB 11643 gives 9)');
    fireEvent.change(screen.getByLabelText('Citizen ID number *'), { target: { value: '320102199003071239' } });
    await waitFor(() => expect(screen.queryByTestId('error-citizenIdNumber')).toBeNull());
  });

  it('refuses to send a form with problems, then sends the typed claims and the chosen format, and shows the QR code and PIN', async () => {
    const calls = serve();
    await renderPage();
    fireEvent.click(screen.getByRole('button', { name: '生成领取二维码' }));
    expect(await screen.findByText('请先改正标出的错误。')).toBeTruthy();
    expect(screen.getByTestId('error-nameZh').textContent).toBe('必填');
    expect(calls.some((c) => c.url === '/oid4vci/offers')).toBe(false);
    const fill: Record<string, string> = {
      '姓名（拼音） *': 'ZHANG San',
      '姓名 *': '张三',
      '公民身份号码 *': '320102199003071239',
      '出生日期 *': '1990-03-07',
      '住址 *': '江苏省南京市玄武区中山路1号',
      '签发机关 *': '南京市公安局玄武分局',
      '有效期起始日期 *': '2015-06-01',
      '有效期截止日期 *': '2035-06-01',
    };
    for (const [label, value] of Object.entries(fill)) fireEvent.change(screen.getByLabelText(label), { target: { value } });
    fireEvent.change(screen.getByLabelText('性别 *'), { target: { value: 'male' } });
    await waitFor(() => expect((screen.getByLabelText('凭证格式') as HTMLSelectElement).value).toBe('dc+sd-jwt'));
    fireEvent.change(screen.getByLabelText('凭证格式'), { target: { value: 'jwt_vc_json' } });
    fireEvent.change(screen.getByLabelText('领取有效期'), { target: { value: '86400' } });
    fireEvent.click(screen.getByRole('button', { name: '生成领取二维码' }));
    expect((await screen.findByTestId('offer-pin')).textContent).toBe('482913');
    expect((await screen.findByTestId('offer-qr')).getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    const offer = calls.find((c) => c.url === '/oid4vci/offers')!;
    expect(offer.method).toBe('POST');
    expect(offer.body).toEqual({
      type: 'NationalIdCredential',
      format: 'jwt_vc_json',
      txCode: true,
      expiresInSeconds: 86400,
      claims: { name: 'ZHANG San', nameZh: '张三', citizenIdNumber: '320102199003071239', birthDate: '1990-03-07', gender: 'male', address: '江苏省南京市玄武区中山路1号', issuingAuthority: '南京市公安局玄武分局', validFrom: '2015-06-01', validUntil: '2035-06-01' },
    });
  });
  it('enters co-owners as groups of fields (added, checked as typed, removed), never as JSON, and sends them typed', async () => {
    const calls = serve();
    await renderPage(registryClerk);
    const list = screen.getByTestId('list-coOwners');
    expect(list.querySelector('textarea')).toBeNull();
    expect(list.textContent).toContain('无');
    const claims = SAMPLE_CLAIMS.PropertyCredential;
    const fill: Record<string, string> = {
      '不动产权证书号 *': claims.certificateNumber as string,
      '不动产单元号 *': claims.parcelNumber as string,
      '坐落 *': claims.address as string,
      '面积（平方米） *': String(claims.area),
      '登记日期 *': claims.registrationDate as string,
    };
    for (const [label, value] of Object.entries(fill)) fireEvent.change(screen.getByLabelText(label), { target: { value } });
    fireEvent.change(screen.getByLabelText('用途 *'), { target: { value: claims.use } });
    fireEvent.change(screen.getByLabelText('权利类型 *'), { target: { value: claims.rightType } });
    const add = screen.getByRole('button', { name: '添加共有人' });
    fireEvent.click(add);
    fireEvent.click(add);
    const [first, second] = screen.getAllByRole('group', { name: /^共有人 [12]$/ });
    fireEvent.change(inputIn(first!, '共有人姓名 *'), { target: { value: '王芳' } });
    // Leaving the first co-owner's name marks nothing of the second, not reached yet.
    fireEvent.blur(inputIn(first!, '共有人姓名 *'));
    expect(second!.querySelector('[role=alert]')).toBeNull();
    expect(screen.queryByTestId('error-coOwners')).toBeNull();
    fireEvent.change(inputIn(first!, '共有人公民身份号码'), { target: { value: '11010519491231002x' } });
    fireEvent.change(inputIn(first!, '共有份额（%）'), { target: { value: '50' } });
    // The second co-owner's ID number has a wrong check character: said as it is typed.
    fireEvent.change(inputIn(second!, '共有人姓名 *'), { target: { value: '张伟' } });
    fireEvent.change(inputIn(second!, '共有人公民身份号码'), { target: { value: '110105194912310021' } });
    expect(second!.querySelector('[role=alert]')?.textContent).toBe('校验码不正确（按 GB 11643 应为 X）');
    fireEvent.click(screen.getByRole('button', { name: '生成领取二维码' }));
    expect((await screen.findByTestId('error-coOwners')).textContent).toBe('第 2 项有误');
    expect(calls.some((c) => c.url === '/oid4vci/offers')).toBe(false);
    // Without it the list is good (the first ID number was upper-cased as typed) and the offer is made.
    fireEvent.click(screen.getByRole('button', { name: '删除第 2 项共有人' }));
    expect(screen.getAllByRole('group', { name: /^共有人 \d+$/ })).toHaveLength(1);
    fireEvent.click(screen.getByRole('button', { name: '生成领取二维码' }));
    await screen.findByTestId('offer-pin');
    const offer = calls.find((c) => c.url === '/oid4vci/offers')!;
    expect((offer.body as { claims: unknown }).claims).toEqual(claims);
  });
  it("makes a title transfer by offer from a title's record: the title's type, JWT VC only, the certificate named, transferOf sent", async () => {
    const calls = serve();
    await renderPage(registryClerk, `/issue?transferOf=${encodeURIComponent(TITLE_ID)}`);
    const notice = await screen.findByTestId('transfer-notice');
    await waitFor(() => expect(notice.textContent).toContain('GC-AYGZG-EJ61G-G0Y69-BY'));
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('转移登记：新权利人的证书');
    expect((screen.getByLabelText('凭证类型') as HTMLSelectElement).disabled).toBe(true);
    const format = screen.getByLabelText('凭证格式') as HTMLSelectElement;
    await waitFor(() => expect([...format.options].map((o) => o.value)).toEqual(['jwt_vc_json']));
    const claims = fillTitle();
    fireEvent.click(screen.getByRole('button', { name: '生成领取二维码' }));
    expect((await screen.findByTestId('transfer-offer-note')).textContent).toBe('新权利人领取后，原证书即失效。');
    const offer = calls.find((c) => c.url === '/oid4vci/offers')!;
    expect(offer.body).toMatchObject({ type: 'PropertyCredential', format: 'jwt_vc_json', transferOf: TITLE_ID, claims: { ...claims, coOwners: [] } });
  });

  it("says why the issuer refused a transfer (a mortgaged title), in words, not a generic failure", async () => {
    serve([409, { code: 'credential_encumbered', message: 'release the mortgage first' }]);
    await renderPage(registryClerk, `/issue?transferOf=${encodeURIComponent(TITLE_ID)}`);
    await waitFor(() => expect(screen.getByTestId('transfer-notice').textContent).toContain('GC-AYGZG-EJ61G-G0Y69-BY'));
    fillTitle();
    fireEvent.click(screen.getByRole('button', { name: '生成领取二维码' }));
    expect((await screen.findByText('该不动产已办理抵押登记：请先注销抵押登记。')).getAttribute('role')).toBe('alert');
  });
});
