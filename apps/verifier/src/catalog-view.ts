import { findTypeBySchemaRef, getCredentialType, validateClaims, type CredentialCatalogView } from '../../../libs/credentials/src/index.js';

/** The credential catalog of libs/credentials as the verification pipeline sees it. */
export function defaultCatalogView(): CredentialCatalogView {
  return {
    typeOfSchema: (ref) => findTypeBySchemaRef(ref)?.type,
    validateClaims: (type, claims) =>
      getCredentialType(type) ? validateClaims(type, claims) : { ok: false, errors: [{ path: '', message: `unknown credential type ${type}` }] },
  };
}
