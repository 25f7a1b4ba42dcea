/**
 * The credential catalog: the credential types government agencies issue, their JSON Schemas (draft 2020-12)
 * and labels, and the claim validation that issuer and verifier share.
 */
export type { ClaimDerivation, ClaimError, ClaimErrorCode, CredentialTypeDefinition, CredentialTypeLabels, DerivationContext } from './definition.js';
export { valueLabel } from './definition.js';
export { structuredClaimWords } from './claim-words.js';
export { listCredentialTypes, getCredentialType } from './registry.js';
export { validateClaims } from './validate.js';
export { schemaReference, findTypeBySchemaRef, schemaDigestSRI, schemaId } from './schema-ref.js';
export { isValidCitizenId, parseCitizenId, citizenIdCheckCharacter, type CitizenIdParts } from './citizen-id.js';
export { vctOf, findTypeByVct, selectivelyDisclosableClaims, deriveClaims, typeMetadata, type TypeMetadata, type TypeMetadataClaim } from './vct.js';
