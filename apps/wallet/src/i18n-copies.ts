import type { Lang } from './i18n.js';

/** Messages about the unlinkable copies of SD-JWT VCs (kept apart from i18n.ts, which is long enough). */
interface CopyMessages {
  copiesReceived: (n: number) => string;
  refilled: (added: number, unused: number) => string;
  /** In the consent output, before the question: the copy about to leave was shown before. */
  reusedWarning: string;
  /** After a presentation: few unused copies are left. */
  refillHint: (unused: number) => string;
}

const en: CopyMessages = {
  copiesReceived: (n) => `${n} unlinkable copies: each is shown to one verifier only`,
  refilled: (added, unused) => `Refilled: ${added} new copies (${unused} unused)`,
  reusedWarning:
    'WARNING: every copy of this credential has been shown before. This verifier could link this presentation to an earlier one. ' +
    'Ask the issuer for a refill offer when you are online.',
  refillHint: (unused) => `${unused} unused copies left: ask the issuer for a refill offer (wallet receive <offer> --refill <number>).`,
};

const zh: CopyMessages = {
  copiesReceived: (n) => `共 ${n} 份互不关联的副本：每份只向一个验证方出示`,
  refilled: (added, unused) => `已补充 ${added} 份新副本（未使用 ${unused} 份）`,
  reusedWarning: '警告：此凭证的所有副本均已出示过，本次验证方可能将此次出示与之前的出示关联。请在联网时向签发机构申请补充副本。',
  refillHint: (unused) => `仅剩 ${unused} 份未使用的副本：请向签发机构申请补充（wallet receive <offer> --refill <编号>）。`,
};

export function copyMessages(lang: Lang): CopyMessages {
  return lang === 'zh-CN' ? zh : en;
}
