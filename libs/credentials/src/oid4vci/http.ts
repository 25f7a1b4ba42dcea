import { Oauth2ServerErrorResponseError } from '@openid4vc/oauth2';
import { encodeWwwAuthenticateHeader } from '@openid4vc/utils';

/**
 * Framework-free request and response shapes of the issuer endpoints: the hosting service (NestJS) copies
 * `status`, `headers` and `body` onto its response as they are.
 */

/** Request headers as Node (`req.headers`) or fetch (`Headers`) give them. */
export type Oid4vciRequestHeaders = Headers | Record<string, string | string[] | undefined>;

/** An incoming request: headers and the already-parsed body (JSON object, or form fields / raw form text for the token endpoint). */
export interface Oid4vciRequest {
  headers: Oid4vciRequestHeaders;
  body: unknown;
}

/** The response to send. Error bodies are OAuth 2.0 / OID4VCI error responses `{error, error_description}`. */
export interface Oid4vciResponse {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

/**
 * OAuth 2.0 and OID4VCI 1.0 error codes this layer answers with: RFC 6749 §5.2 (token endpoint), RFC 6750
 * §3.1 (bearer token), OID4VCI 1.0 §8.3.1.2 (credential endpoint). `server_error` for failures on our side.
 */
export type Oid4vciErrorCode =
  | 'invalid_request'
  | 'invalid_grant'
  | 'unsupported_grant_type'
  | 'invalid_client'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'invalid_credential_request'
  | 'unknown_credential_configuration'
  | 'unknown_credential_identifier'
  | 'invalid_proof'
  | 'invalid_nonce'
  | 'credential_request_denied'
  /** govcred's, for the offer-by-reference endpoint (§4.1.3 defines no error for it): used, expired or unknown. */
  | 'offer_not_found'
  | 'server_error';

/** Responses carrying tokens, nonces or credentials must not be cached (RFC 6749 §5.1, OID4VCI 1.0 §7.2). */
const NO_STORE = { 'Cache-Control': 'no-store' };

export function jsonResponse(status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): Oid4vciResponse {
  return { status, headers: { ...NO_STORE, 'Content-Type': 'application/json', ...headers }, body };
}

export function errorResponse(status: number, error: Oid4vciErrorCode, description: string): Oid4vciResponse {
  return jsonResponse(status, { error, error_description: description });
}

/** 401 with the Bearer challenge of RFC 6750 §3. */
export function invalidToken(description: string): Oid4vciResponse {
  const challenge = encodeWwwAuthenticateHeader([{ scheme: 'Bearer', payload: { error: 'invalid_token', error_description: description } }]);
  return jsonResponse(401, { error: 'invalid_token', error_description: description }, { 'WWW-Authenticate': challenge });
}

/** The error response of a library error that carries one (its status, code and description), else undefined. */
export function libraryErrorResponse(error: unknown): Oid4vciResponse | undefined {
  if (!(error instanceof Oauth2ServerErrorResponseError)) return undefined;
  const { error: code, error_description } = error.errorResponse;
  return jsonResponse(error.status, { error: code, ...(error_description ? { error_description: firstLine(error_description) } : {}) });
}

/** The library's descriptions append validation dumps after the first line; clients get the sentence only. */
function firstLine(text: string): string {
  return text.split('\n')[0].slice(0, 300);
}

/** Request headers as a fetch `Headers` object (the library's request type). */
export function toHeaders(headers: Oid4vciRequestHeaders): Headers {
  if (headers instanceof Headers) return headers;
  const result = new Headers();
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) result.append(name, v);
  }
  return result;
}

/** The body of a token request: form fields as an object, from an object or raw `application/x-www-form-urlencoded` text. */
export function formFields(body: unknown): Record<string, unknown> | undefined {
  if (typeof body === 'string') return Object.fromEntries(new URLSearchParams(body));
  if (body instanceof URLSearchParams) return Object.fromEntries(body);
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) return body as Record<string, unknown>;
  return undefined;
}
