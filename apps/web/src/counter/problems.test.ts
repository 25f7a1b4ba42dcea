import { describe, expect, it } from 'vitest';
import { PROBLEM_CODES } from '../../../../libs/credentials/src/verification/problem-codes.js';
import { CHECK_NAMES, PROBLEM_SENTENCES, problemSentence } from './problems';

const CHECKS = ['presentation_format', 'presentation_signature', 'challenge', 'domain', 'presentation_validity_period', 'credential_format', 'credential_signature', 'holder_binding', 'validity_period', 'schema', 'status', 'accreditation', 'request'];

describe('problem codes in plain words', () => {
  it.each(['zh-CN', 'en'] as const)('every problem code has a sentence in %s, and nothing else is worded', (lang) => {
    const sentences = PROBLEM_SENTENCES[lang] as Record<string, string>;
    expect(Object.keys(sentences).sort()).toEqual([...PROBLEM_CODES].sort());
    for (const code of PROBLEM_CODES) {
      // A sentence, not the code again: people read it at the counter.
      expect([code, sentences[code]!.length > (lang === 'en' ? 15 : 5), sentences[code]!.includes('_')]).toEqual([code, true, false]);
    }
  });

  it('the Chinese sentences are Chinese and the English ones are not', () => {
    for (const code of PROBLEM_CODES) {
      expect([code, /[\u4e00-\u9fff]/.test(PROBLEM_SENTENCES['zh-CN'][code])]).toEqual([code, true]);
      expect([code, /[\u4e00-\u9fff]/.test(PROBLEM_SENTENCES.en[code])]).toEqual([code, false]);
    }
  });

  it('every verification check is named in both languages', () => {
    for (const lang of ['zh-CN', 'en'] as const) expect(Object.keys(CHECK_NAMES[lang]).sort()).toEqual([...CHECKS].sort());
  });

  it('says a revocation plainly, and an unknown code generally rather than showing it', () => {
    expect(problemSentence('credential_revoked', 'zh-CN')).toBe('该凭证已被签发机构撤销，不能使用。');
    expect(problemSentence('credential_revoked', 'en')).toContain('revoked');
    expect(problemSentence('brand_new_code', 'en')).not.toContain('brand_new_code');
    expect(problemSentence('constructor', 'zh-CN')).toBe('凭证未通过一项核验。');
  });
});
