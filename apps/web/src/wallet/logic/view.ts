import { getCredentialType } from '../../../../../libs/credentials/src/catalog/registry.js';
import { typeMetadata } from '../../../../../libs/credentials/src/catalog/vct.js';
import { ethrDidAddress } from '../../../../../libs/credentials/src/did/resolver.js';
import { entriesStatus, withValidity, type HeldStatus, type StatusLookup } from '../../../../../libs/credentials/src/holder/held-status.js';
import { sdJwtVcClaimView, type HeldClaim } from '../../../../../libs/credentials/src/holder/sd-jwt-view.js';
import type { AccreditationAnswer } from '../../../../../libs/credentials/src/trust/trust-mirror.js';
import type { StoredCredential } from '../store/wallet-store';

export type Lang = 'zh-CN' | 'en';

/** The part of a TrustMirror the view reads. */
export interface AccreditationLookup {
  accreditationAt(issuer: string, typeName: string, at: number): AccreditationAnswer;
}

/** What the credentials page shows of one credential. */
export interface CredentialCard {
  id: string;
  type: string;
  /** The type's name from the catalog, in the page's language. */
  typeLabel: string;
  /** The agency's name from its issuer metadata (its DID if it gave none). */
  agency: string;
  /** Whether the chain's trust registry accredited the agency for this type when it issued the credential. */
  accreditation: AccreditationAnswer;
  validFrom?: string;
  validUntil?: string;
  status: HeldStatus;
  claims: HeldClaim[];
}

/** The agency's name in `lang`, else in the other language, else its DID. */
export function agencyName(stored: Pick<StoredCredential, 'issuerName' | 'issuer'>, lang: Lang): string {
  const names = stored.issuerName ?? {};
  return names[lang] ?? names[lang === 'en' ? 'zh-CN' : 'en'] ?? Object.values(names)[0] ?? stored.issuer;
}

/** The catalog name of a type in `lang`. */
export const typeLabel = (type: string, lang: Lang) => getCredentialType(type)?.labels[lang].name ?? type;

/** A credential as shown: catalog labels, the agency, status read from whole lists, accreditation, validity. */
export function credentialCard(stored: StoredCredential, lang: Lang, chainId: number, status: StatusLookup | undefined, trust: AccreditationLookup | undefined, now = new Date()): CredentialCard {
  const view = sdJwtVcClaimView(stored.sdJwt, lang);
  const validFrom = view?.validFrom ?? view?.issuedAt;
  const issuerAddress = ethrDidAddress(stored.issuer, chainId);
  const issuedAt = validFrom ? Math.floor(new Date(validFrom).getTime() / 1000) : Math.floor(now.getTime() / 1000);
  return {
    id: stored.id,
    type: stored.type,
    typeLabel: view?.typeLabel ?? typeLabel(stored.type, lang),
    agency: agencyName(stored, lang),
    accreditation: trust && issuerAddress ? trust.accreditationAt(issuerAddress, stored.type, issuedAt) : 'unknown',
    ...(validFrom ? { validFrom } : {}),
    ...(view?.validUntil ? { validUntil: view.validUntil } : {}),
    status: view ? withValidity(entriesStatus(view.statusEntries, stored.issuer, chainId, status), validFrom, view.validUntil, now) : 'unknown',
    claims: view?.claims ?? [],
  };
}

/**
 * A claim value as people read it: yes/no for a boolean (`age_over_18`), the parts of an object (a region's
 * province and city) or array joined, everything else as text.
 */
export function claimText(value: unknown, words: { yes: string; no: string }): string {
  if (typeof value === 'boolean') return value ? words.yes : words.no;
  if (Array.isArray(value)) return value.map((v) => claimText(v, words)).join(', ');
  if (typeof value === 'object' && value !== null) return Object.values(value).map((v) => claimText(v, words)).join(' ');
  return value === undefined ? '' : String(value);
}

/** The catalog's label of a claim of `type` in `lang` (SD-JWT VC Type Metadata; derived claims included). */
export function claimLabel(type: string, key: string, lang: Lang): string {
  const definition = getCredentialType(type);
  const display = definition ? typeMetadata(definition.type).claims.find((c) => c.path.length === 1 && c.path[0] === key)?.display : undefined;
  return display?.find((d) => d.locale === lang)?.label ?? display?.[0]?.label ?? key;
}
