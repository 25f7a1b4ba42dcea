import { getCredentialType, type PresentationQuery } from '../../../../libs/credentials/src/index.js';
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

function hasClaim(view: CredentialView, path: string): boolean {
  const [first] = path.split('.');
  return view.claims.some((c) => c.key === first);
}

/**
 * Picks one credential per requested entry: right type, accepted issuer, every asked claim present, and a
 * status that is not revoked, suspended or expired (unless `anyStatus`: then the verifier decides); the newest first.
 */
function select(request: PresentationRequest, stored: StoredCredential[], views: CredentialView[], anyStatus: boolean) {
  const chosen: StoredCredential[] = [];
  const missing: string[] = [];
  for (const wanted of request.query.credentials) {
    const index = views
      .map((v, i) => ({ v, i }))
      // This answer is a VP-JWT, which embeds JWT VCs only; SD-JWT VCs are presented over OID4VP.
      .filter(({ i }) => stored[i].format === 'jwt_vc_json')
      .filter(({ v }) => v.type === wanted.type)
      .filter(({ v }) => !wanted.issuers || wanted.issuers.some((d) => d.toLowerCase() === v.issuer.toLowerCase()))
      .filter(({ v }) => (wanted.claims ?? []).every((c) => hasClaim(v, c)))
      .filter(({ v }) => anyStatus || v.status === 'valid' || v.status === 'encumbered' || v.status === 'unknown')
      .sort((a, b) => stored[b.i].receivedAt.localeCompare(stored[a.i].receivedAt))[0]?.i;
    if (index === undefined) missing.push(wanted.type);
    else if (!chosen.includes(stored[index])) chosen.push(stored[index]);
  }
  return { chosen, missing };
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
    const claims = (wanted.claims ?? []).map((c) => labels?.fields[c] ?? c).join(', ');
    ctx.io.out(`  - ${labels?.name ?? wanted.type}${claims ? `: ${claims}` : ''}`);
  }
  const { chosen, missing } = select(request, store.data.credentials, views, anyStatus);
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
