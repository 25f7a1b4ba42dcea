import {
  claimPathText,
  decodeJwt,
  getCredentialType,
  readCredentialPayload,
  sameDid,
  selectCredentials,
  type HeldCredential,
  type PresentationQuery,
} from '../../../../libs/credentials/src/index.js';
import type { WalletContext } from '../context.js';
import { loadStatusMirror, viewCredential, type CredentialView } from '../credential-view.js';
import { WalletError } from '../errors.js';
import { Holder } from '../holder/holder-agent.js';
import type { StoredCredential } from '../store/wallet-store.js';

/**
 * A presentation request as the verifier publishes it at its URL to whoever holds it (no API key): what to
 * answer, never the result of an answer.
 */
interface PresentationRequest {
  id: string;
  challenge: string;
  domain: string;
  query: PresentationQuery;
  expiresAt: string;
  state?: 'pending' | 'completed' | 'expired';
}

/** What the verifier answers a wallet: the outcome and problem codes only (the result is the verifier's). */
interface VerificationAnswer {
  verified: boolean;
  problems?: Array<{ code: string; path?: string }>;
}

async function fetchJson(url: string, init?: RequestInit): Promise<{ status: number; body: unknown }> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
  } catch (error) {
    throw new WalletError('service_unreachable', url, { cause: error });
  }
  return { status: response.status, body: await response.json().catch(() => undefined) };
}

function parseRequest(body: unknown): PresentationRequest {
  const r = body as Partial<PresentationRequest> | undefined;
  const ok =
    typeof r?.id === 'string' &&
    typeof r.challenge === 'string' &&
    typeof r.domain === 'string' &&
    typeof r.expiresAt === 'string' &&
    Array.isArray(r.query?.credentials) &&
    r.query.credentials.every((c) => typeof c?.type === 'string');
  if (!ok) throw new WalletError('request_invalid', 'unexpected content');
  return r as PresentationRequest;
}

/** The subject claims of a stored JWT VC (without `id`), as the verifier will read them; none when unreadable. */
function claimsOf(stored: StoredCredential): Record<string, unknown> {
  const decoded = decodeJwt(stored.jwt);
  const read = decoded.ok ? readCredentialPayload(decoded.decoded) : undefined;
  return read?.ok ? read.view.claims : {};
}

/**
 * Picks one credential per requested entry with the verifier's own matcher (libs/credentials holder/ and query/):
 * right type, accepted issuer, every asked claim by its full path, and a status that is not revoked, suspended or
 * expired (unless `anyStatus`: then the verifier decides); the newest first.
 */
function select(request: PresentationRequest, stored: StoredCredential[], views: CredentialView[], anyStatus: boolean, chainId: number) {
  // This answer is a VP-JWT, which embeds JWT VCs only; SD-JWT VCs are presented over OID4VP.
  const held: Array<HeldCredential & { stored: StoredCredential }> = stored.map((c, i) => ({
    stored: c,
    type: c.type,
    issuer: c.issuer,
    claims: claimsOf(c),
    receivedAt: c.receivedAt,
    usable: c.format === 'jwt_vc_json' && (anyStatus || ['valid', 'encumbered', 'unknown'].includes(views[i].status)),
  }));
  const { chosen, missing } = selectCredentials(request.query, held, (a, b) => sameDid(a, b, chainId));
  return { chosen: chosen.map((c) => c.stored), missing };
}

/** `present <url>`: answers a verifier's presentation request with the citizen's consent. */
export async function present(ctx: WalletContext, url: string | undefined, yes: boolean, anyStatus = false): Promise<boolean> {
  if (!url || !/^https?:\/\/[^/]+\/.*presentation-requests\/[^/?#]+$/.test(url)) {
    throw new WalletError('usage', 'present <http(s)://verifier/presentation-requests/<id>>');
  }
  const { status, body } = await fetchJson(url);
  if (status === 404) throw new WalletError('request_invalid', 'no such request');
  if (status !== 200) throw new WalletError('request_invalid', `HTTP ${status}`);
  const request = parseRequest(body);
  if (request.state === 'completed') throw new WalletError('request_invalid', 'already answered');
  if (request.state === 'expired' || new Date(request.expiresAt).getTime() <= Date.now()) throw new WalletError('request_invalid', 'expired');

  const store = await ctx.open();
  const chain = await ctx.chain();
  const t = ctx.t;
  const mirror = await loadStatusMirror(chain);
  const views = store.data.credentials.map((c) => viewCredential(c, ctx.lang, chain, mirror));

  ctx.io.out(`${t.requestFrom}: ${request.domain}   (${t.expiresAt} ${request.expiresAt})`);
  ctx.io.out(`${t.requestWants}:`);
  for (const wanted of request.query.credentials) {
    const labels = getCredentialType(wanted.type)?.labels[ctx.lang];
    const claims = (wanted.claims ?? []).map((c) => labels?.fields[claimPathText(c)] ?? claimPathText(c)).join(', ');
    ctx.io.out(`  - ${labels?.name ?? wanted.type}${claims ? `: ${claims}` : ''}`);
  }
  const { chosen, missing } = select(request, store.data.credentials, views, anyStatus, chain.chainId);
  if (missing.length > 0) {
    throw new WalletError('request_unsatisfiable', `${t.missing}: ${missing.map((m) => getCredentialType(m)?.labels[ctx.lang].name ?? m).join(', ')}`);
  }
  ctx.io.out(`${t.willShare}:`);
  for (const credential of chosen) {
    const v = views[store.data.credentials.indexOf(credential)];
    ctx.io.out(`  - ${v.typeLabel} — ${v.issuerName ?? v.issuer} — ${t.status}: ${t.statuses[v.status]}`);
  }
  ctx.io.out(t.wholeCredential);
  if (!yes) {
    const answer = (await ctx.io.prompt(t.consentPrompt)).trim().toLowerCase();
    if (!['y', 'yes', '是', '好', '同意'].includes(answer)) throw new WalletError('consent_refused');
  }

  const holder = await Holder.load(chain, store.data.holder);
  const vp = await holder.present(
    chosen.map((c) => c.jwt),
    request.challenge,
    request.domain,
  );
  const origin = new URL(url).origin;
  const answer = await fetchJson(`${origin}/presentations/verify`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ verifiablePresentation: vp, options: { challenge: request.challenge, domain: request.domain } }),
  });
  const result = answer.body as VerificationAnswer | undefined;
  if (answer.status !== 200 || typeof result?.verified !== 'boolean') {
    throw new WalletError('service_unreachable', `verifier answered HTTP ${answer.status}`);
  }
  ctx.io.out(result.verified ? t.verified : t.notVerified);
  if (!result.verified) {
    ctx.io.out(`${t.problems}:`);
    for (const p of result.problems ?? []) ctx.io.out(`  - ${p.code}${p.path ? ` (${p.path})` : ''}`);
  }
  return result.verified;
}
