/** The same-origin JSON API of the service that serves the page, with the staff session's CSRF token. */

/** An API error: the stable `code` (translated for people) and the server's details. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

let csrfToken: string | undefined;

/** Set after sign-in (and from `GET /staff/session`): echoed on every state-changing request. */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'network', 'network error');
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    const error = (parsed ?? {}) as { code?: string; message?: string; details?: Record<string, unknown> };
    throw new ApiError(response.status, error.code ?? 'generic', error.message ?? response.statusText, error.details);
  }
  return parsed as T;
}

/** The text key of an error for people: its code when the pages know it, else a generic one. */
export function errorKey(error: unknown, known: Record<string, unknown>): string {
  const code = error instanceof ApiError ? error.code : 'generic';
  return Object.hasOwn(known, code) ? `errors.${code}` : 'errors.generic';
}
