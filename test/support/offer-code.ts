import { PRE_AUTHORIZED_CODE_GRANT } from '../../libs/credentials/src/index.js';

/**
 * The Credential Offer object of an offer URI, read as a wallet reads it: fetched from its `credential_offer_uri`
 * (by reference, the issuer's default) or parsed from `credential_offer` (by value). `origin` sends the fetch to
 * another replica of the issuer than the one the URI names.
 */
export async function offerObjectOf(offerUri: string, options: { origin?: string } = {}): Promise<Record<string, any>> {
  const params = new URL(offerUri).searchParams;
  const byValue = params.get('credential_offer');
  if (byValue) return JSON.parse(byValue);
  const reference = new URL(params.get('credential_offer_uri')!);
  const url = options.origin ? `${options.origin}${reference.pathname}` : reference.href;
  const response = await fetch(url);
  if (response.status !== 200) throw new Error(`GET ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, any>;
}

/** The pre-authorized code of an offer URI (see {@link offerObjectOf}). */
export async function preAuthorizedCodeOf(offerUri: string, options: { origin?: string } = {}): Promise<string> {
  return (await offerObjectOf(offerUri, options)).grants[PRE_AUTHORIZED_CODE_GRANT]['pre-authorized_code'];
}
