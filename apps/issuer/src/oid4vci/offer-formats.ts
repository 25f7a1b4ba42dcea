import type { CredentialFormat } from '../credentials/dto/issue-credential.dto.js';

/**
 * Credential formats an offer can be made in, as the portal lists them. A format is one entry here and one
 * credential configuration per type in oid4vci.service.ts (`<type><suffix>`).
 */
export interface OfferFormat {
  /** OID4VCI 1.0 Appendix A format identifier. */
  id: CredentialFormat;
  /** Suffix of the credential configuration id of each type. */
  configurationSuffix: string;
  labels: Record<'zh-CN' | 'en', string>;
}

export const OFFER_FORMATS: readonly OfferFormat[] = [
  { id: 'jwt_vc_json', configurationSuffix: '_jwt', labels: { 'zh-CN': 'W3C 可验证凭证（JWT）', en: 'W3C Verifiable Credential (JWT)' } },
  { id: 'dc+sd-jwt', configurationSuffix: '_sd_jwt', labels: { 'zh-CN': '可选择性披露凭证（SD-JWT VC）', en: 'Selective disclosure (SD-JWT VC)' } },
];

/** The default format of an offer that names none. */
export const DEFAULT_OFFER_FORMAT = OFFER_FORMATS[0]!.id;

export function offerFormat(id: string | undefined): OfferFormat | undefined {
  // A list of two: a linear find is the clearest lookup.
  return OFFER_FORMATS.find((f) => f.id === (id ?? DEFAULT_OFFER_FORMAT));
}
