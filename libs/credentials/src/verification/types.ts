import type { Resolvable } from 'did-resolver';
import type { AccreditationAnswer } from '../trust/trust-mirror.js';
import type { EntryStatus } from '../status/status-mirror.js';
import type { StatusPurpose } from '../status/status-codec.js';
import type { ProblemCode } from './problem-codes.js';
import type { NativeSignatureVerifier } from './native-signature.js';

/** The checks a verification runs, in order. */
export type CheckName =
  | 'presentation_format'
  | 'presentation_signature'
  | 'challenge'
  | 'domain'
  | 'presentation_validity_period'
  | 'credential_format'
  | 'credential_signature'
  | 'holder_binding'
  | 'validity_period'
  | 'schema'
  | 'status'
  | 'accreditation'
  | 'request';

/** Outcome of one check. `skipped` when an earlier failure made it meaningless (e.g. a forged signature). */
export interface CheckResult {
  check: CheckName;
  status: 'passed' | 'failed' | 'skipped';
  /** Where in the input the check applies, e.g. `verifiableCredential[1]`, `sdJwtPresentations[0]`; absent for the whole input. */
  path?: string;
}

/** Why a verification did not pass: a stable code, a message for people, where in the input. */
export interface Problem {
  code: ProblemCode;
  message: string;
  path: string;
}

/** What a verified credential says, for the relying party (present only for credentials whose signature held). */
export interface VerifiedCredentialSummary {
  path: string;
  /** `dc+sd-jwt` for an SD-JWT VC; absent for a JWT VC (`jwt_vc_json`), whose summary is as it always was. */
  format?: 'dc+sd-jwt';
  id?: string;
  type: string;
  /** An SD-JWT VC's `vct`. */
  vct?: string;
  issuer: string;
  /** A JWT VC's subject DID (the holder). An SD-JWT VC is held by `holderKey` instead. */
  subject?: string;
  /** An SD-JWT VC's holder key (`cnf.jwk`), which signed the Key Binding JWT. */
  holderKey?: { kty: 'EC'; crv: string; x: string; y: string };
  issuanceDate: string;
  expirationDate?: string;
  claims: Record<string, unknown>;
  /**
   * Present on a property title the registry marked encumbered (抵押登记): still valid, but a bank's check must
   * see the mortgage. A status, not a problem: `verified` is unaffected.
   */
  encumbered?: true;
}

/** The answer of every verification: never thrown, always returned. */
export interface VerificationResult {
  /** True only when every check passed. */
  verified: boolean;
  checks: CheckResult[];
  problems: Problem[];
  /** The holder DID a presentation was signed by (when its signature held). */
  holder?: string;
  credentials: VerifiedCredentialSummary[];
}

/** The catalog, as the pipeline needs it (implemented by libs/credentials/src/catalog). */
export interface CredentialCatalogView {
  /** The type name a `credentialSchema` reference (id + digest) designates; undefined when unknown. */
  typeOfSchema(ref: unknown): string | undefined;
  /** Validates claims (without `id`) against the type's schema. */
  validateClaims(
    type: string,
    claims: Record<string, unknown>,
  ): { ok: true } | { ok: false; errors: Array<{ path: string; code?: string; message: string }> };
}

/** Where credential status comes from: a {@link StatusMirror}, answering from memory. */
export interface StatusSource {
  lookup(identity: string, listId: bigint | number, index: number): EntryStatus;
  purposeOf(identity: string, listId: bigint | number): StatusPurpose | undefined;
}

/** Where accreditation comes from: a {@link TrustMirror}, answering from memory. */
export interface TrustSource {
  accreditationAt(issuer: string, typeName: string, at: number): AccreditationAnswer;
}

/** Turns a time into the chain block in force then (see {@link BlockTimeIndex}). */
export interface BlockClock {
  blockAt(unixSeconds: number): Promise<number>;
}

/** Where revocations of issuer keys come from: a {@link DidMirror}, answering from the registry's history. */
export interface KeyRevocationSource {
  /**
   * Whether `methodId`, a key of `did`'s document at `block`, was revoked on chain at any block so far
   * (retroactive, whatever `block`); `unknown` when the source cannot vouch right now.
   */
  keyRevocation(did: string, methodId: string, block: number): Promise<'revoked' | 'not_revoked' | 'unknown'>;
}

/** Everything the pipeline relies on, passed in: it reads no environment and holds no state. */
export interface VerificationContext {
  /** EIP-155 chain id of the configured chain: DIDs and status entries must name it. */
  chainId: number;
  /** The configured StatusRegistry: status entries must name it. */
  statusRegistry: string;
  /** DID resolver for did:ethr on the configured chain (supports `?versionId=`). */
  resolver: Resolvable;
  /** Maps an issuance time to the block whose issuer keys apply. */
  blocks: BlockClock;
  status: StatusSource;
  trust: TrustSource;
  /**
   * Revoked issuer keys: a credential whose signing key the issuer revoked on chain fails with
   * `issuer_key_revoked`, whatever its issuance time. Without it, keys are judged by the document at issuance
   * alone (a plain resolver cannot tell a revoked key from one whose period ended).
   */
  keyRevocations?: KeyRevocationSource;
  catalog: CredentialCatalogView;
  /** Current time. */
  now: () => Date;
  /** Tolerated clock difference for validity periods, seconds. */
  clockSkewSeconds: number;
  /** How old an SD-JWT VC's Key Binding JWT may be (`iat`), seconds. @default 300 */
  keyBindingMaxAgeSeconds?: number;
  /**
   * Checks ES256K signatures with node:crypto, keeping signer keys it has learned; without it every
   * signature goes through did-jwt (pure JS). Verdicts are the same either way.
   */
  signatures?: NativeSignatureVerifier;
}
