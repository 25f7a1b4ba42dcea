import type { StatusListEntry } from '../../status/status-entry.js';

/** VCDM 1.1 base context (govcred signs VC-JWTs per VCDM 1.1 §6.3.1). */
export const VC_CONTEXT_V1 = 'https://www.w3.org/2018/credentials/v1';

/**
 * `credentialSchema` of a govcred credential, per W3C VC JSON Schema (https://www.w3.org/TR/vc-json-schema/):
 * the schema's id and the SRI digest of its canonical JSON, so a verifier checks the exact schema version
 * from its own catalog copy without fetching anything.
 */
export interface CredentialSchemaRef {
  id: string;
  type: 'JsonSchema';
  digestSRI: string;
}

/**
 * A property title's place in its chain of title (govcred extension, outside `credentialSubject` so the claims'
 * schema is untouched): the random id shared by every certificate of the title, and the keccak256 of the
 * compact JWT this certificate superseded by transfer. The chain records the same link (hashes only).
 */
export interface TitleRecord {
  titleId: string;
  predecessor?: string;
}

/** Everything an issuer decides before signing. */
export interface CredentialInput {
  /** Credential type name from the catalog, e.g. `NationalIdCredential`. */
  type: string;
  /** `urn:uuid:…` of this credential. */
  id: string;
  issuerDid: string;
  subjectDid: string;
  /** Claims about the subject, already validated against the type's schema. */
  claims: Record<string, unknown>;
  schema: CredentialSchemaRef;
  status: StatusListEntry[];
  issuanceDate: Date;
  expirationDate?: Date;
  /** Property titles only: other credentials stay exactly as they were. */
  titleRecord?: TitleRecord;
}

/** An unsigned VCDM 1.1 credential, ready for Veramo's `createVerifiableCredential` with proofFormat `jwt`. */
export interface UnsignedCredential {
  '@context': string[];
  id: string;
  type: string[];
  issuer: { id: string };
  issuanceDate: string;
  expirationDate?: string;
  credentialSubject: Record<string, unknown> & { id: string };
  credentialSchema: CredentialSchemaRef;
  credentialStatus: StatusListEntry[];
  titleRecord?: TitleRecord;
}

/** Builds the unsigned credential in govcred's one format. Times are truncated to whole seconds (JWT nbf/exp). */
export function buildCredential(input: CredentialInput): UnsignedCredential {
  const seconds = (d: Date) => new Date(Math.floor(d.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  return {
    '@context': [VC_CONTEXT_V1],
    id: input.id,
    type: ['VerifiableCredential', input.type],
    issuer: { id: input.issuerDid },
    issuanceDate: seconds(input.issuanceDate),
    ...(input.expirationDate ? { expirationDate: seconds(input.expirationDate) } : {}),
    credentialSubject: { ...input.claims, id: input.subjectDid },
    credentialSchema: input.schema,
    credentialStatus: input.status,
    ...(input.titleRecord ? { titleRecord: input.titleRecord } : {}),
  };
}
