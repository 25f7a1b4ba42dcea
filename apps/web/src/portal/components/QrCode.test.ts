import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { qrScale } from './QrCode';

const issuer = 'https://issuer.gov.example/oid4vci/8a3f0c2e-1b4d-4e5f-9a6b-7c8d9e0f1a2b';
const byReference = `openid-credential-offer://?credential_offer_uri=${encodeURIComponent(`${issuer}/offers/${'A'.repeat(43)}`)}`;
const offer = {
  credential_issuer: issuer,
  credential_configuration_ids: ['EducationCredential_sd_jwt'],
  grants: { 'urn:ietf:params:oauth:grant-type:pre-authorized_code': { 'pre-authorized_code': 'A'.repeat(43), tx_code: { input_mode: 'numeric', length: 6, description: '请输入机构提供的6位交易码 / Enter the 6-digit code the agency gave you' } } },
};
const byValue = `openid-credential-offer://?${new URLSearchParams({ credential_offer: JSON.stringify(offer) })}`;
const sideOf = (value: string) => QRCode.create(value, { errorCorrectionLevel: 'M' }).modules.size;

describe('QR code scale', () => {
  it('gives a short offer larger modules at about the same width, and never less than 5 pixels a module', () => {
    expect([sideOf(byReference), sideOf(byValue)]).toEqual([53, 97]);
    expect(qrScale(byReference)).toBe(7);
    expect(qrScale(byValue)).toBe(5);
    expect((sideOf(byReference) + 8) * qrScale(byReference)).toBeGreaterThan(380);
    expect(qrScale('x')).toBe(10);
  });
});
