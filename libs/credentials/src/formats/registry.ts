import { jwtVcProvider } from './jwt-vc/provider.js';
import { sdJwtVcProvider } from './sd-jwt-vc/provider.js';
import type { CredentialFormatId, CredentialFormatProvider } from './types.js';

/**
 * The credential formats this verifier reads, in the order their `detect` is asked. A new format is one folder
 * here and one entry in this list. `jwt_vc_json` comes last because it is the format of last resort: whatever
 * no other provider claims gets its answer (`jwt_malformed`), as before there was more than one format.
 */
export const CREDENTIAL_FORMATS: readonly CredentialFormatProvider[] = [sdJwtVcProvider, jwtVcProvider];

/** The provider that claims `input` (never throws; `jwt_vc_json` when none does). */
export function providerFor(input: unknown): CredentialFormatProvider {
  return CREDENTIAL_FORMATS.find((p) => p.detect(input)) ?? jwtVcProvider;
}

/** The provider of a format by its identifier. */
export function formatProvider(format: CredentialFormatId): CredentialFormatProvider {
  return CREDENTIAL_FORMATS.find((p) => p.format === format) ?? jwtVcProvider;
}
