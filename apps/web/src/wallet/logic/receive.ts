import { sha256Bytes, bytesToBase64url } from '../../../../../libs/credentials/src/bytes.js';
import { GovcredError } from '../../../../../libs/credentials/src/errors.js';
import { isLoopbackOffer, isLoopbackUrl } from '../../../../../libs/credentials/src/holder/loopback.js';
import { decodeSdJwtVc } from '../../../../../libs/credentials/src/formats/sd-jwt-vc/decode.js';
import { receiveCredential } from '../../../../../libs/credentials/src/oid4vci/client.js';
import { resolveOffer, type ResolvedOffer } from '../../../../../libs/credentials/src/oid4vci/client-offer.js';
import type { StoredCredential } from '../store/wallet-store';
import { ReceiveError } from './receive-error';
import { newHolderKey, publicJwk, signJws } from './holder-key';

/**
 * Receiving a credential from an offer (OID4VCI 1.0 pre-authorized code flow, as text from a QR code or a
 * link): read the offer and the agency's metadata first (to show who offers what, and whether a PIN is needed),
 * then receive it bound to a new WebCrypto key. Only SD-JWT VC offers: the web wallet holds no did:ethr.
 */

function receiveError(error: unknown): ReceiveError {
  if (error instanceof ReceiveError) return error;
  if (error instanceof GovcredError) {
    if (error.code === 'offer_rejected' && error.details?.error === 'offer_not_found') return new ReceiveError('offer_gone', 'offer_not_found');
    const code = (['offer_invalid', 'tx_code_required', 'offer_rejected', 'credential_rejected', 'service_unreachable', 'issuer_response_invalid'] as const).find((c) => c === error.code);
    return new ReceiveError(code ?? 'offer_invalid', typeof error.details?.error === 'string' ? error.details.error : undefined);
  }
  return new ReceiveError('offer_invalid');
}

/** Reads an offer and its issuer's metadata. @throws ReceiveError */
export async function readOffer(text: string): Promise<ResolvedOffer> {
  try {
    const offer = await resolveOffer(text, { allowHttp: isLoopbackOffer(text) });
    if (offer.format !== 'dc+sd-jwt') throw new ReceiveError('offer_format');
    return offer;
  } catch (error) {
    throw receiveError(error);
  }
}

/** Receives the offered credential under a new holder key; the caller stores it. @throws ReceiveError */
export async function receiveOffer(offer: ResolvedOffer, txCode: string | undefined, now = new Date()): Promise<StoredCredential> {
  const holderKey = await newHolderKey();
  try {
    const received = await receiveCredential({
      allowHttp: isLoopbackUrl(offer.credentialIssuer),
      offer,
      txCode: txCode?.trim() || undefined,
      holderKey: { jwk: publicJwk(holderKey), alg: 'ES256' },
      signProofJwt: (header, payload) => signJws(holderKey, header, payload),
      clock: () => now,
    });
    const issuerJwt = received.credential.slice(0, received.credential.indexOf('~'));
    return {
      id: `sha256:${bytesToBase64url(sha256Bytes(issuerJwt))}`,
      format: 'dc+sd-jwt',
      sdJwt: received.credential,
      holderKey,
      type: received.type,
      issuer: decodeSdJwtVc(received.credential)?.issuer ?? received.credentialIssuer,
      issuerName: Object.fromEntries(offer.issuerDisplay.map((d) => [d.locale, d.name])),
      receivedAt: now.toISOString(),
    };
  } catch (error) {
    throw receiveError(error);
  }
}
