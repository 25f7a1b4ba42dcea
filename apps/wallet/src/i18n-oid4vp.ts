import type { Lang } from './i18n.js';

/** Messages of OpenID4VP presentation and consent history (kept apart from i18n.ts, which is long enough). */
interface Oid4vpMessages {
  verifier: string;
  registeredAs: string;
  purpose: string;
  unregistered: string;
  refusals: Record<string, string>;
  beyond: string;
  leaves: string;
  staysHidden: string;
  shared: string;
  wholeJwtVc: string;
  consentPrompt: string;
  acknowledged: string;
  disclosedOfAsked: (disclosed: number, asked: number) => string;
  history: string;
  noHistory: string;
  outcomes: Record<'presented' | 'declined' | 'refused' | 'failed', string>;
  request: string;
}

const en: Oid4vpMessages = {
  verifier: 'Verifier',
  registeredAs: 'Registered on chain as',
  purpose: 'Purpose',
  unregistered: '(not registered)',
  refusals: {
    verifier_not_registered: 'this verifier is not registered on the chain for any question',
    verifier_withdrawn: "governance withdrew this verifier's registration",
    verifier_expired: "this verifier's registration has expired",
    verifier_not_yet_valid: "this verifier's registration is not in force yet",
    registry_unavailable: 'the registry of verifiers on the chain could not be read',
    type_unknown: 'it asks for a credential type this wallet does not know',
    request_beyond_registration: 'it asks for more than the verifier is registered for',
    request_untrusted: 'the request is not signed by a verifier the chain knows',
    request_invalid: 'this is not a valid OpenID4VP request',
  },
  beyond: 'Asked beyond the registration',
  leaves: 'leaves your wallet',
  staysHidden: 'stays hidden',
  shared: 'shared',
  wholeJwtVc: '(a JWT VC is shown whole)',
  consentPrompt: 'Share exactly this? [y/N] ',
  acknowledged: 'Sent. The verifier acknowledged your response (only it can read the result).',
  disclosedOfAsked: (d, a) => `Claims disclosed ÷ claims asked: ${d} ÷ ${a}`,
  history: 'Who looked at your data',
  noHistory: 'No presentation requests yet.',
  outcomes: { presented: 'presented', declined: 'declined by you', refused: 'refused by your wallet', failed: 'not accepted by the verifier' },
  request: 'request',
};

const zh: Oid4vpMessages = {
  verifier: '验证方',
  registeredAs: '链上登记名称',
  purpose: '用途',
  unregistered: '（未登记）',
  refusals: {
    verifier_not_registered: '该验证方未在链上登记任何查验事项',
    verifier_withdrawn: '该验证方的登记已被主管部门撤销',
    verifier_expired: '该验证方的登记已过期',
    verifier_not_yet_valid: '该验证方的登记尚未生效',
    registry_unavailable: '无法读取链上的验证方登记',
    type_unknown: '请求的凭证类型本钱包不认识',
    request_beyond_registration: '请求内容超出该验证方的登记范围',
    request_untrusted: '该请求未由链上可识别的验证方签名',
    request_invalid: '这不是有效的 OpenID4VP 请求',
  },
  beyond: '超出登记范围的内容',
  leaves: '将出示',
  staysHidden: '不出示',
  shared: '已出示内容',
  wholeJwtVc: '（JWT 凭证将完整出示）',
  consentPrompt: '是否同意出示以上内容？[y/N] ',
  acknowledged: '已发送，验证方已确认收到（结果仅验证方可见）。',
  disclosedOfAsked: (d, a) => `出示项 ÷ 请求项：${d} ÷ ${a}`,
  history: '谁查看过我的数据',
  noHistory: '尚无出示请求记录。',
  outcomes: { presented: '已出示', declined: '您已拒绝', refused: '钱包已拒绝', failed: '验证方未接受' },
  request: '请求',
};

export function oid4vpMessages(lang: Lang): Oid4vpMessages {
  return lang === 'zh-CN' ? zh : en;
}
