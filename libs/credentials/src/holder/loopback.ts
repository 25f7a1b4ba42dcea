/**
 * Plain http is accepted only to this machine (a local devnet); everything else needs https. Browser-safe.
 */
const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/;

/** Whether a URL's host is this machine. */
export function isLoopbackUrl(value: string): boolean {
  try {
    return LOOPBACK.test(new URL(value).hostname);
  } catch {
    return false;
  }
}

/**
 * Whether a credential offer (by value or by reference) names an issuer on this machine: read from the offer
 * text before the OID4VCI client, whose http switch is all-or-nothing, gets it.
 */
export function isLoopbackOffer(text: string): boolean {
  try {
    const url = new URL(text.trim());
    const byValue = url.searchParams.get('credential_offer');
    const target = byValue ? (JSON.parse(byValue) as { credential_issuer?: string }).credential_issuer : url.searchParams.get('credential_offer_uri');
    return typeof target === 'string' && isLoopbackUrl(target);
  } catch {
    return false;
  }
}
