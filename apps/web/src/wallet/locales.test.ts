import { describe, expect, it } from 'vitest';
import { walletEn, walletZhCN } from './locales';

/** Every leaf of a texts object as `path → text`. */
function leaves(texts: object, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(texts)) {
    if (typeof value === 'string') out.set(prefix + key, value);
    else for (const [k, v] of leaves(value as object, `${prefix}${key}.`)) out.set(k, v);
  }
  return out;
}

const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe('wallet texts', () => {
  const zh = leaves(walletZhCN);
  const en = leaves(walletEn);

  it('have the same keys in zh-CN and English, none empty, with the same placeholders', () => {
    expect([...en.keys()].sort()).toEqual([...zh.keys()].sort());
    for (const [key, text] of zh) {
      expect([key, text.trim().length > 0, en.get(key)!.trim().length > 0]).toEqual([key, true, true]);
      expect([key, placeholders(en.get(key)!)]).toEqual([key, placeholders(text)]);
    }
  });

  it('explain in plain words every code the wallet can meet', () => {
    const codes = [
      // the store
      'wrong_passphrase', 'backup_invalid', 'passphrase_short', 'passphrase_mismatch', 'storage_unavailable', 'config_unavailable',
      // receiving (OID4VCI client codes)
      'camera_unavailable', 'camera_denied', 'offer_invalid', 'offer_format', 'offer_gone', 'tx_code_required', 'offer_rejected', 'credential_rejected', 'service_unreachable', 'issuer_response_invalid',
      // reading a request (RequestProblemCode) and refusing it (WalletRefusalCode)
      'request_invalid', 'request_untrusted', 'verifier_not_registered', 'verifier_withdrawn', 'verifier_expired', 'verifier_not_yet_valid',
      'registry_unavailable', 'type_unknown', 'request_beyond_registration', 'request_unsatisfiable', 'response_rejected', 'generic',
    ];
    for (const code of codes) expect([code, zh.has(`errors.${code}`), en.has(`errors.${code}`)]).toEqual([code, true, true]);
    for (const status of ['valid', 'revoked', 'suspended', 'superseded', 'encumbered', 'unknown', 'expired', 'not_yet_valid']) {
      expect([status, zh.has(`status.${status}`), en.has(`status.${status}`)]).toEqual([status, true, true]);
    }
  });
});
