/** The issuer's one entry to the credential catalog of libs/credentials (types, schemas, labels). */
export {
  getCredentialType,
  listCredentialTypes,
  schemaReference,
  validateClaims,
} from '../../../../libs/credentials/src/catalog/index.js';
export { GovcredError } from '../../../../libs/credentials/src/index.js';
