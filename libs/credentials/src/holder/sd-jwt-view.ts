// File imports, not the folders' index: the web wallet bundles this view, and the indexes pull node-only code.
import { valueLabel } from '../catalog/definition.js';
import { structuredClaimWords } from '../catalog/claim-words.js';
import { findTypeByVct, typeMetadata } from '../catalog/vct.js';
import type { StatusListEntry } from '../status/status-entry.js';
import { decodeSdJwtVc } from '../formats/sd-jwt-vc/decode.js';
import type { EcPublicJwk } from '../formats/sd-jwt-vc/holder-key.js';

/** One claim as a wallet shows it: its name, the catalog's label in the wallet's language, its value. */
export interface HeldClaim {
  key: string;
  label: string;
  value: unknown;
  /** The catalog's words for a coded value (`本科` for `bachelor`), in the same language; absent otherwise. */
  valueLabel?: string;
}

/** What a wallet shows of an SD-JWT VC it holds: every claim of its own disclosures, labelled by the catalog. */
export interface SdJwtVcClaimView {
  format: 'dc+sd-jwt';
  vct: string;
  /** Catalog type name; `undefined` for a vct the catalog does not know. */
  type?: string;
  /** The type's name in `lang` (the vct when unknown). */
  typeLabel: string;
  issuer: string;
  holderKey?: EcPublicJwk;
  issuedAt?: string;
  validFrom?: string;
  validUntil?: string;
  /** On-chain status entries: their status is read from the chain mirror, never fetched from the issuer. */
  statusEntries: StatusListEntry[];
  claims: HeldClaim[];
}

/**
 * The holder's view of an SD-JWT VC it stores (for `list` / `show`): decoded from its own disclosures, labels
 * from the catalog's Type Metadata (derived claims such as `age_over_18` included). Display only: the issuer
 * signature is not checked here. `undefined` for text that is not a well-formed SD-JWT VC. Never throws.
 */
export function sdJwtVcClaimView(sdJwt: string, lang: 'zh-CN' | 'en'): SdJwtVcClaimView | undefined {
  const decoded = decodeSdJwtVc(sdJwt);
  if (!decoded) return undefined;
  const definition = findTypeByVct(decoded.vct);
  const metadata = definition ? typeMetadata(definition.type) : undefined;
  const label = (key: string) => {
    const display = metadata?.claims.find((c) => c.path.length === 1 && c.path[0] === key)?.display;
    return display?.find((d) => d.locale === lang)?.label ?? display?.[0]?.label ?? key;
  };
  const order = new Map(metadata?.claims.filter((c) => c.path.length === 1).map((c, i) => [String(c.path[0]), i]));
  const place = (key: string) => order.get(key) ?? order.size;
  const { claims, ...rest } = decoded;
  return {
    format: 'dc+sd-jwt',
    ...rest,
    ...(definition ? { type: definition.type } : {}),
    typeLabel: definition?.labels[lang].name ?? decoded.vct,
    // In the catalog's order (the type's fields, then its derived claims), not the order of the disclosures,
    // which the issuer shuffles: the same card reads the same way every time.
    claims: Object.entries(claims)
      .sort(([a], [b]) => place(a) - place(b) || (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, value]) => {
        // Coded values in words; a structured one (co-owners, the region) as its members under their labels.
        const words = valueLabel(definition, lang, key, value) ?? (definition ? structuredClaimWords(definition.type, key, value, lang) : undefined);
        return { key, label: label(key), value, ...(words !== undefined ? { valueLabel: words } : {}) };
      }),
  };
}
