/**
 * What a scanned or pasted link is, by its parameters: a credential offer (OID4VCI 1.0 §4.1: `credential_offer` or
 * `credential_offer_uri`) or a presentation request (OpenID4VP: `request_uri`, `request` or `client_id`). A
 * citizen who scans a counter's request on the Receive page, or an agency's offer on the Present page, is taken
 * to the page that reads it instead of being told it is not valid there.
 */
export function linkKind(text: string): 'offer' | 'request' | undefined {
  let params: URLSearchParams;
  try {
    params = new URL(text.trim()).searchParams;
  } catch {
    return undefined;
  }
  if (params.has('credential_offer') || params.has('credential_offer_uri')) return 'offer';
  if (params.has('request_uri') || params.has('request') || params.has('client_id')) return 'request';
  return undefined;
}

/** Where the wallet reads a link of that kind, the link in its query (the page reads it on arrival). */
export function pageFor(kind: 'offer' | 'request', link: string): string {
  return kind === 'offer' ? `/receive?offer=${encodeURIComponent(link.trim())}` : `/present?request=${encodeURIComponent(link.trim())}`;
}
