import type { WalletErrorCode } from './errors.js';

/** Languages the wallet speaks. */
export type Lang = 'zh-CN' | 'en';

/** Picks the language: `--lang`, else the environment's locale (zh → Chinese), else English. */
export function pickLang(flag: string | undefined, env: Record<string, string | undefined> = process.env): Lang {
  const value = flag ?? env.GOVCRED_LANG ?? env.LC_ALL ?? env.LANG ?? '';
  return /^zh/i.test(value) ? 'zh-CN' : 'en';
}

type Messages = Record<WalletErrorCode, string> & {
  created: string;
  did: string;
  file: string;
  backedUp: string;
  restored: string;
  none: string;
  credentials: string;
  type: string;
  issuer: string;
  subject: string;
  validFrom: string;
  validUntil: string;
  noExpiry: string;
  status: string;
  received: string;
  statuses: Record<'valid' | 'revoked' | 'suspended' | 'superseded' | 'encumbered' | 'unknown' | 'expired' | 'not_yet_valid', string>;
  claims: string;
  requestFrom: string;
  requestWants: string;
  willShare: string;
  consentPrompt: string;
  refused: string;
  verified: string;
  notVerified: string;
  problems: string;
  passphrasePrompt: string;
  passphraseRepeat: string;
  passphraseMismatch: string;
  pinPrompt: string;
  wholeCredential: string;
  receivedCredential: string;
  from: string;
  missing: string;
  expiresAt: string;
};

const en: Messages = {
  wrong_passphrase: 'Wrong passphrase (or the wallet file was altered).',
  store_corrupt: 'The wallet file is damaged or not a wallet file.',
  store_missing: 'No wallet here yet. Create one with "init".',
  store_exists: 'A wallet already exists there; it was left untouched.',
  service_unreachable: 'The service could not be reached. Check the address and that it is running.',
  offer_invalid: 'This is not a valid credential offer.',
  offer_rejected: 'The issuer refused the offer (used already, expired, or wrong PIN).',
  request_invalid: 'This is not a valid presentation request.',
  request_unsatisfiable: 'Your wallet does not hold what this request asks for.',
  consent_refused: 'You declined. Nothing was sent.',
  credential_not_found: 'No such credential in your wallet.',
  usage: 'Wrong use of the command.',
  request_refused: 'Your wallet refused this request. Nothing was sent.',
  response_rejected: 'The verifier did not accept the response.',
  created: 'Wallet created.',
  did: 'Your DID',
  file: 'Wallet file',
  backedUp: 'Backup written (still encrypted with your passphrase):',
  restored: 'Wallet restored from backup.',
  none: 'Your wallet holds no credentials yet.',
  credentials: 'Credentials',
  type: 'Type',
  issuer: 'Issuer',
  subject: 'Holder',
  validFrom: 'Valid from',
  validUntil: 'Valid until',
  noExpiry: 'no expiry date',
  status: 'Status',
  received: 'Received',
  statuses: {
    valid: 'valid',
    revoked: 'REVOKED',
    suspended: 'SUSPENDED',
    superseded: 'SUPERSEDED (the title was transferred)',
    encumbered: 'valid, encumbered (mortgage registered)',
    unknown: 'unknown (chain not reachable or not in sync)',
    expired: 'EXPIRED',
    not_yet_valid: 'not yet valid',
  },
  claims: 'Contents',
  requestFrom: 'Request from',
  requestWants: 'It asks for',
  willShare: 'You would share',
  consentPrompt: 'Share these credentials? [y/N] ',
  refused: 'Declined. Nothing was sent.',
  verified: 'The verifier accepted your presentation.',
  notVerified: 'The verifier did NOT accept your presentation.',
  problems: 'Reasons',
  passphrasePrompt: 'Wallet passphrase: ',
  passphraseRepeat: 'Repeat the passphrase: ',
  passphraseMismatch: 'The passphrases differ.',
  pinPrompt: 'Transaction code (PIN) from the issuer: ',
  wholeCredential: 'Each credential is shared whole, with all of its contents.',
  receivedCredential: 'Received and stored',
  from: 'from',
  missing: 'missing',
  expiresAt: 'Request expires',
};

const zh: Messages = {
  wrong_passphrase: '口令错误（或钱包文件已被改动）。',
  store_corrupt: '钱包文件已损坏，或不是钱包文件。',
  store_missing: '这里还没有钱包。请先用 "init" 创建。',
  store_exists: '该位置已有钱包，未作任何改动。',
  service_unreachable: '无法连接服务。请检查地址以及服务是否在运行。',
  offer_invalid: '这不是有效的凭证领取邀请。',
  offer_rejected: '签发方拒绝了该邀请（已被使用、已过期或 PIN 错误）。',
  request_invalid: '这不是有效的出示请求。',
  request_unsatisfiable: '您的钱包中没有该请求所需的凭证。',
  consent_refused: '您已拒绝，未发送任何内容。',
  credential_not_found: '钱包中没有该凭证。',
  usage: '命令用法有误。',
  request_refused: '钱包已拒绝该请求，未发送任何内容。',
  response_rejected: '验证方未接受此次出示。',
  created: '钱包已创建。',
  did: '您的 DID',
  file: '钱包文件',
  backedUp: '备份已写入（仍以您的口令加密）：',
  restored: '已从备份恢复钱包。',
  none: '您的钱包中还没有凭证。',
  credentials: '凭证',
  type: '类型',
  issuer: '签发机关',
  subject: '持有人',
  validFrom: '生效日期',
  validUntil: '有效期至',
  noExpiry: '长期有效',
  status: '状态',
  received: '领取时间',
  statuses: {
    valid: '有效',
    revoked: '已撤销',
    suspended: '已暂停',
    superseded: '已注销（产权已转移）',
    encumbered: '有效，已抵押',
    unknown: '未知（无法连接区块链或尚未同步）',
    expired: '已过期',
    not_yet_valid: '尚未生效',
  },
  claims: '内容',
  requestFrom: '请求方',
  requestWants: '请求内容',
  willShare: '将出示',
  consentPrompt: '是否同意出示这些凭证？[y/N] ',
  refused: '已拒绝，未发送任何内容。',
  verified: '验证方已接受您的出示。',
  notVerified: '验证方未接受您的出示。',
  problems: '原因',
  passphrasePrompt: '钱包口令：',
  passphraseRepeat: '请再次输入口令：',
  passphraseMismatch: '两次输入的口令不一致。',
  pinPrompt: '签发方提供的交易码（PIN）：',
  wholeCredential: '每份凭证将完整出示，包括其全部内容。',
  receivedCredential: '已领取并保存',
  from: '签发方',
  missing: '缺少',
  expiresAt: '请求有效期至',
};

/** The wallet's messages in `lang`. */
export function messages(lang: Lang): Messages {
  return lang === 'zh-CN' ? zh : en;
}
