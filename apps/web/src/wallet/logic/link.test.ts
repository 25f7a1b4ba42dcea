import { describe, expect, it } from 'vitest';
import { linkKind, pageFor } from './link';

describe('linkKind', () => {
  it('tells offers from requests by their parameters, and nothing else', () => {
    expect(linkKind('openid-credential-offer://?credential_offer_uri=https%3A%2F%2Fa.example%2Foffers%2Fx')).toBe('offer');
    expect(linkKind(' openid-credential-offer://?credential_offer=%7B%7D ')).toBe('offer');
    expect(linkKind('openid4vp://?client_id=decentralized_identifier%3Adid%3Aethr%3A0x1&request_uri=https%3A%2F%2Fv.example%2Fr')).toBe('request');
    for (const junk of ['', '请扫描二维码', 'https://example.com/hello', 'openid4vp://', '%%%']) expect(linkKind(junk)).toBeUndefined();
  });

  it('sends each kind to its page with the link in the query', () => {
    const link = 'openid4vp://?request_uri=https%3A%2F%2Fv.example%2Fr%3Fa%3D1%26b%3D2';
    const to = new URL(pageFor('request', link), 'https://w.example/wallet');
    expect([to.pathname, to.searchParams.get('request')]).toEqual(['/present', link]);
    expect(pageFor('offer', 'x')).toBe('/receive?offer=x');
  });
});
