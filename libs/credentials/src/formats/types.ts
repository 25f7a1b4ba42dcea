import type { DcqlClaimPath } from '../query/claim-path.js';
import type { StatusListEntry } from '../status/status-entry.js';
import type { TitleRecord } from './jwt-vc/credential.js';
import type { JwsSigner } from './sd-jwt-vc/issue.js';
import type { EcPublicJwk } from './sd-jwt-vc/keys.js';
import type { ProblemCode } from '../verification/problem-codes.js';
import type { VerificationContext, VerifiedCredentialSummary } from '../verification/types.js';

/** Identifiers of the credential formats (OID4VCI 1.0 Appendix A format identifiers). */
export type CredentialFormatId = 'jwt_vc_json' | 'dc+sd-jwt';

/** A problem found by a format provider, placed relative to the credential (`path` absent: the credential itself). */
export interface FormatProblem {
  code: ProblemCode;
  message: string;
  path?: string;
}

/** Who must hold the credential, as the presentation around it established. */
export interface HolderExpectation {
  /** The holder DID of a VP-JWT: a JWT VC's subject must be it. */
  did?: string;
  /** The verifier's challenge and domain: an SD-JWT VC's Key Binding JWT must carry them (nonce, aud). */
  keyBinding?: { nonce: string; audience: string };
}

/**
 * What any credential says once its format is read and its issuer signature held: the same fields for every
 * format, so validity, schema, status, accreditation and the request are checked once. Claims are the disclosed
 * ones only (for a JWT VC, all of its subject's).
 */
export interface CredentialView {
  format: CredentialFormatId;
  /** The issuer's did:ethr. */
  issuer: string;
  /** Its identity address (checksummed): owner of the status lists, subject of accreditation. */
  issuerAddress: string;
  /** Catalog type name. */
  type: string;
  /** Unix seconds: issuance, the time whose issuer keys and accreditation apply (JWT VC `nbf`, SD-JWT `iat`). */
  issuedAt: number;
  /** Unix seconds: start of validity when it differs from issuance (SD-JWT `nbf`). */
  validFrom?: number;
  /** Unix seconds: end of validity. */
  validUntil?: number;
  /** The status entries as the credential carries them (checked by the shared status check). */
  statusEntries: unknown;
  /** The schema reference as the credential carries it (id + digest). */
  schema: unknown;
  /** Where the schema reference sits, relative to the credential (`credentialSchema`, `credential_schema`). */
  schemaPath: string;
  /** Where the claims sit, relative to the credential: `credentialSubject`, or `''` (top level). */
  claimsPath: string;
  /** Disclosed claims only. */
  claims: Record<string, unknown>;
  /** True when the format discloses selectively: claims the schema requires may rightly be absent. */
  selective: boolean;
  /** The summary the relying party reads, less the status flags the shared checks add. */
  summary: VerifiedCredentialSummary;
}

/** The outcome of the format-specific checks, each for its own check name, in order. */
export interface FormatOutcome {
  /** Shape of the input (`credential_format`). Empty when it was read. */
  format: FormatProblem[];
  /** Issuer signature with the key in force at issuance (`credential_signature`); undefined when not reached. */
  signature?: FormatProblem[];
  /** Holder binding (`holder_binding`); undefined when not checked (no holder expected, or not reached). */
  holderBinding?: FormatProblem[];
  /**
   * Problems of the shared checks a format finds while reading (e.g. validity when no view could be built),
   * recorded under their check only when there is no view.
   */
  shared?: Partial<Record<'validity_period' | 'schema' | 'status' | 'accreditation', FormatProblem[]>>;
  /** Present when the format was read and the issuer signature held: the later checks run over it. */
  view?: CredentialView;
}

/** Everything an issuer decides before signing, whatever the format. */
export interface FormatIssueInput {
  /** Catalog type name, e.g. `NationalIdCredential`. */
  type: string;
  /** `urn:uuid:…` of this credential (a JWT VC's `jti`; an SD-JWT VC carries none). */
  id: string;
  /** The agency's DID (`iss`). */
  issuerDid: string;
  /**
   * DID URL of the signing key, the JOSE header `kid` (an agency's `#delegate-N` signing key). Absent: an agency
   * that signs with its owner key (created before key roles) — no `kid` in a JWT VC (as Veramo makes it), and
   * `#controller` in an SD-JWT VC, which always names its key.
   */
  kid?: string;
  /** ES256K signer of the agency's secp256k1 key (its KMS). */
  signer: JwsSigner;
  /** The holder: its DID (a JWT VC's subject) or public key (an SD-JWT VC's `cnf.jwk`). */
  holder: { did?: string; jwk?: unknown };
  /** Claims of the type, validated against its schema. */
  claims: Record<string, unknown>;
  /** The credential's on-chain status entries. */
  statusEntries: StatusListEntry[];
  /** Issuance time (whole seconds are kept). */
  now: Date;
  /** End of validity; none when absent. */
  validUntil?: Date;
  /** Property titles: the title's id and, after a transfer, the hash of the certificate it supersedes. */
  titleRecord?: TitleRecord;
}

/** A signed credential and the times it carries (ISO, whole seconds). */
export interface FormatIssued {
  credential: string;
  issuedAt: string;
  expiresAt: string | null;
}

/** What a holder's presentation of one credential is bound to and discloses. */
export interface FormatPresentInput {
  /** Claims to disclose (selective formats); a format that shows the credential whole ignores them. */
  claimPaths: readonly DcqlClaimPath[];
  /** The verifier's challenge (OpenID4VP `nonce`). */
  nonce: string;
  /** The verifier (OpenID4VP `client_id`, VC-API domain). */
  audience: string;
  /** The holder's key: its DID (a VP-JWT's `iss`) when it has one, its algorithm and signer. */
  holder: { did?: string; alg: 'ES256' | 'ES256K'; sign: JwsSigner };
  /** The presentation's time. */
  now: Date;
}

/**
 * One credential format, as a provider in a list (as Veramo's credential providers and credo's
 * W3cCredentialService formats): it issues, presents, recognises its input, reads it into a
 * {@link CredentialView}, checks the issuer signature with the key in force at issuance and the holder binding. Everything after (validity,
 * schema of what was disclosed, status, accreditation, the request) is the pipeline's, written once. A new
 * format is one folder under formats/ and one entry in {@link CREDENTIAL_FORMATS}.
 */
export interface CredentialFormatProvider {
  readonly format: CredentialFormatId;
  /** Whether `input` is meant to be of this format (cheap, structural, never throws). */
  detect(input: unknown): boolean;
  /** Reads and checks one credential. Never throws on untrusted input. */
  check(input: unknown, ctx: VerificationContext, holder: HolderExpectation): Promise<FormatOutcome>;
  /** Signs a credential of this format (the issuer's side). @throws GovcredError invalid_request on input it cannot carry */
  issue(input: FormatIssueInput): Promise<FormatIssued>;
  /** The holder's presentation of one credential of this format, bound to the verifier's nonce and audience. */
  present(credential: string, input: FormatPresentInput): Promise<string>;
}

export type { EcPublicJwk };
