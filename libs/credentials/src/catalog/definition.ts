/** Codes of claim problems; stable, so issuer and verifier can map them to HTTP bodies and UI messages. */
export type ClaimErrorCode =
  /** A required claim is absent (JSON Schema `required`). */
  | 'claim_missing'
  /** A claim has the wrong type, format, pattern, range or enum value. */
  | 'claim_invalid'
  /** A claim the type does not define (JSON Schema `additionalProperties: false`). */
  | 'claim_not_allowed'
  /** A 公民身份号码 with a plausible shape that fails GB 11643-1999 (birth date, check digit). */
  | 'citizen_id_invalid'
  /** Claims that are each well-formed but contradict each other (e.g. gender vs. the ID number). */
  | 'claim_inconsistent';

/** One problem with a set of claims. */
export interface ClaimError {
  /** JSON Pointer (RFC 6901) into the claims, e.g. `/citizenIdNumber` or `/coOwners/0/share`; `''` is the whole object. */
  path: string;
  code: ClaimErrorCode;
  /** English, for logs and developers; UIs translate `code` instead. */
  message: string;
}

/** Human-readable names of a type and its fields in one language. */
export interface CredentialTypeLabels {
  name: string;
  description: string;
  /** Keyed by claim name; nested claims use dots, e.g. `coOwners.share`. */
  fields: Record<string, string>;
  /**
   * Words for coded values, keyed like `fields`, then by value: what a clerk picks and a citizen or counter reads
   * instead of `bachelor` or `state-land-use`. The claim keeps the code.
   */
  values?: Record<string, Record<string, string>>;
}

/**
 * The words for `value` of claim `field` (dots for nested parts) in `lang`, when the type or the derivation of
 * that claim has them; else undefined (the value is shown as it is). A code is a string or an integer (the
 * derived ISCED level 6). Own properties only: a hostile value such as `constructor` finds nothing.
 */
export function valueLabel(
  definition: (Pick<CredentialTypeDefinition, 'labels'> & Partial<Pick<CredentialTypeDefinition, 'derivations'>>) | undefined,
  lang: 'zh-CN' | 'en',
  field: string,
  value: unknown,
): string | undefined {
  const code = typeof value === 'string' ? value : Number.isSafeInteger(value) ? String(value) : undefined;
  if (code === undefined || !definition) return undefined;
  const tables = [definition.labels[lang].values, ...(definition.derivations ?? []).map((d) => d.values?.[lang])];
  for (const words of tables) {
    const forField = words && Object.hasOwn(words, field) ? words[field] : undefined;
    if (forField && Object.hasOwn(forField, code)) return forField[code];
  }
  return undefined;
}

/**
 * One credential type of the catalog. Issuer and verifier share these definitions, so a claim set accepted
 * at issuance is accepted at verification by exactly the same rules.
 */
export interface CredentialTypeDefinition {
  /** VC type name, e.g. `NationalIdCredential` (also the TrustRegistry accreditation name). */
  type: string;
  /**
   * Code of the type in printable certificate numbers (1–31; see certificates/). Never reused nor changed: printed
   * certificates keep it.
   */
  certificateCode?: number;
  /**
   * A real-estate title: its credentials carry superseded and encumbered status entries besides revocation and
   * suspension, and change hands by transfer (the old one superseded, linked on chain to the new one).
   */
  titleChain?: boolean;
  /** Schema version; change it whenever `schema` changes (the schema digest in issued credentials pins it). */
  version: string;
  /** JSON Schema (draft 2020-12) of `credentialSubject` without `id`. */
  schema: Record<string, unknown>;
  labels: Record<'zh-CN' | 'en', CredentialTypeLabels>;
  /** Expiration derived from the claims, if the type has one. */
  expirationDate?(claims: Record<string, unknown>): Date | undefined;
  /** Checks JSON Schema cannot express (ID check digit, birth date/gender agree with the ID number). */
  semanticCheck?(claims: Record<string, unknown>): ClaimError[];
  /**
   * Claims computed at issuance from the validated claims (`age_over_18`, `region`, …), issued beside them in
   * formats with selective disclosure, so a verifier can ask "over 18?" without seeing the birth date.
   */
  derivations?: readonly ClaimDerivation[];
}

/** What a derivation may use besides the claims. */
export interface DerivationContext {
  /** The issuance time (injected: derived claims such as ages depend on it). */
  now: Date;
}

/**
 * One rule producing derived claims. Derived claim names are snake_case (as in SD-JWT VC / OpenID4VP
 * examples) and never clash with the type's own camelCase claims.
 */
export interface ClaimDerivation {
  /** Top-level claim names this rule may produce. */
  claims: readonly string[];
  /** Labels per language, keyed like {@link CredentialTypeLabels.fields} (dots for nested parts, e.g. `region.city`). */
  labels: Record<'zh-CN' | 'en', Record<string, string>>;
  /** Words for the coded values it produces, per language, keyed by claim then value (see {@link CredentialTypeLabels.values}). */
  values?: Record<'zh-CN' | 'en', Record<string, Record<string, string>>>;
  /**
   * The derived claims; a claim is left out when the input does not allow deriving it (never guessed).
   * Receives claims already validated against the type's schema.
   */
  derive(claims: Record<string, unknown>, context: DerivationContext): Record<string, unknown>;
}
