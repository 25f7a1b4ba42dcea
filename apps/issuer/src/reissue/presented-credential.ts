import { GovcredError, SD_JWT_DEFAULT_LIMITS, decodeJwt, decodeSdJwtVc } from '../../../../libs/credentials/src/index.js';

/** What re-issuance reads from a presented credential before trusting any of it. */
export interface PresentedCredential {
  /** Exactly as presented: its digest must be the one the issuer recorded. */
  text: string;
  issuer: string;
  kid: string;
  /** The issuer-signed JWS's `header.payload` and its signature (R‖S). */
  signingInput: string;
  signature: Uint8Array;
  /** The subject's claims (no `id`): the issuer keeps none, so the new credential takes them from here. */
  claims: Record<string, unknown>;
  expirationDate?: string;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const invalid = (message: string) => new GovcredError('reissue_credential_invalid', message);

/**
 * Reads a JWT VC or an SD-JWT VC (with every disclosure, as issued) with the libraries' bounded decoders, which
 * never throw; nothing here is trusted until the signature is checked against the revoked key.
 * @throws reissue_credential_invalid for anything else.
 */
export function readPresented(input: unknown): PresentedCredential {
  if (typeof input !== 'string' || input.length === 0) throw invalid('`credential` must be a JWT VC or an SD-JWT VC string');
  if (input.length > SD_JWT_DEFAULT_LIMITS.maxLength) throw invalid('the credential is too long');
  return input.includes('~') ? readSdJwt(input) : readJwt(input);
}

function splitJws(jws: string): { signingInput: string; signature: Uint8Array } {
  const last = jws.lastIndexOf('.');
  const signature = Buffer.from(jws.slice(last + 1), 'base64url');
  return { signingInput: jws.slice(0, last), signature: new Uint8Array(signature) };
}

function readJwt(text: string): PresentedCredential {
  const decoded = decodeJwt(text);
  if (!decoded.ok) throw invalid(`not a JWT VC: ${decoded.message}`);
  const { header, payload } = decoded.decoded;
  const vc = payload.vc;
  if (header.alg !== 'ES256K' || typeof header.kid !== 'string' || typeof payload.iss !== 'string' || !isObject(vc) || !isObject(vc.credentialSubject)) {
    throw invalid('not a JWT VC of this issuer: ES256K, a `kid`, an `iss` and a `vc.credentialSubject` are required');
  }
  const claims = { ...vc.credentialSubject };
  delete claims.id;
  const exp = typeof payload.exp === 'number' && Number.isFinite(payload.exp) ? new Date(payload.exp * 1000).toISOString() : undefined;
  return { text, issuer: payload.iss, kid: header.kid, ...splitJws(text), claims, ...(exp ? { expirationDate: exp } : {}) };
}

function readSdJwt(text: string): PresentedCredential {
  const decoded = decodeSdJwtVc(text);
  if (!decoded || !decoded.kid) throw invalid('not an SD-JWT VC with every disclosure and a `kid`');
  const jws = text.slice(0, text.indexOf('~'));
  return {
    text,
    issuer: decoded.issuer,
    kid: decoded.kid,
    ...splitJws(jws),
    claims: decoded.claims,
    ...(decoded.validUntil ? { expirationDate: decoded.validUntil } : {}),
  };
}
