import type { CredentialCatalogView } from '../../../libs/credentials/src/index.js';

/**
 * The credential catalog as the verification pipeline sees it.
 * Placeholder until libs/credentials/src/catalog lands: it knows no schema, so every credential fails the
 * schema check with `schema_unknown`.
 */
export function defaultCatalogView(): CredentialCatalogView {
  return {
    typeOfSchema: () => undefined,
    validateClaims: () => ({ ok: false, errors: [{ path: '', message: 'no catalog' }] }),
  };
}
