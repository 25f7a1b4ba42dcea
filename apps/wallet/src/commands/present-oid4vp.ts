import { normalizeCredential } from 'did-jwt-vc';
import {
  VerifierMirror,
  checkRegistration,
  chainNow,
  consentReceipt,
  createDidResolver,
  formatProvider,
  getCredentialType,
  listCredentialTypes,
  planPresentation,
  resolveOid4vpRequest,
  sdJwtVcClaimView,
  submitOid4vpResponse,
  syncedMirror,
  type ConsentReceipt,
  type HeldForPresentation,
  type PlannedPresentation,
  type RegistrationCheck,
  type WalletOid4vpRequest,
} from '../../../../libs/credentials/src/index.js';
import type { WalletChain, WalletContext } from '../context.js';
import { loadStatusMirror, viewCredential } from '../credential-view.js';
import { WalletError } from '../errors.js';
import { Holder } from '../holder/holder-agent.js';
import { signInputWithHolderKey } from '../holder/holder-keys.js';
import { copyMessages } from '../i18n-copies.js';
import { oid4vpMessages } from '../i18n-oid4vp.js';
import { markUsed, nextCopy, unusedCopies, type NextCopy } from '../store/copies.js';
import type { StoredCredential, WalletStore } from '../store/wallet-store.js';

/** Usable statuses: the wallet offers no credential the chain shows revoked, suspended or expired, unless asked to. */
const OFFERED = new Set(['valid', 'encumbered', 'unknown']);

/** The holder's claims of a stored credential, as the DCQL matcher sees them. */
function heldOf(stored: StoredCredential): HeldForPresentation | undefined {
  if (stored.format === 'dc+sd-jwt') {
    const view = sdJwtVcClaimView(stored.jwt, 'en');
    return view?.type ? { format: 'dc+sd-jwt', type: view.type, claims: Object.fromEntries(view.claims.map((c) => [c.key, c.value])) } : undefined;
  }
  try {
    const { id: _id, ...claims } = (normalizeCredential(stored.jwt) as unknown as { credentialSubject: Record<string, unknown> }).credentialSubject;
    return { format: 'jwt_vc_json', type: stored.type, claims };
  } catch {
    return undefined;
  }
}

/** Claim labels in the wallet's language: the catalog's (SD-JWT VC Type Metadata, derived claims included). */
function labeller(stored: StoredCredential, lang: 'zh-CN' | 'en'): (key: string) => string {
  if (stored.format === 'dc+sd-jwt') {
    const labels = new Map(sdJwtVcClaimView(stored.jwt, lang)?.claims.map((c) => [c.key, c.label]));
    return (key) => labels.get(key) ?? key;
  }
  const fields = getCredentialType(stored.type)?.labels[lang].fields ?? {};
  return (key) => fields[key] ?? key;
}

/** The verifier's registrations, read once for this command from the whole registry (no RPC per question). */
async function registry(chain: WalletChain): Promise<VerifierMirror | undefined> {
  if (!chain.verifierRegistry) return undefined; // the check below then refuses: registry_unavailable
  const address = chain.verifierRegistry;
  return syncedMirror(chain, (provider) => new VerifierMirror({ provider, registry: address, chainId: chain.chainId, fromBlock: chain.deployBlock, typeNames: listCredentialTypes().map((t) => t.type) }));
}

async function keep(store: WalletStore, receipt: ConsentReceipt): Promise<void> {
  (store.data.receipts ??= []).push(receipt);
  await store.save();
}

/**
 * `present '<openid4vp://…>'`: OpenID4VP 1.0 (§5–8) as a wallet. Reads and checks the signed request, checks on
 * chain that its verifier is registered for what it asks, shows who asks, why and exactly which claims would leave
 * (and which stay hidden), asks consent, presents minimally, posts the response and keeps a consent receipt of
 * the outcome, whatever it is.
 * @returns whether the verifier acknowledged the response
 */
export async function presentOid4vp(ctx: WalletContext, uri: string, yes: boolean, anyStatus: boolean): Promise<boolean> {
  const m = oid4vpMessages(ctx.lang);
  const store = await ctx.open();
  const chain = await ctx.chain();
  const fetchImpl = ctx.io.fetch ?? globalThis.fetch;
  const now = ctx.io.now ?? (() => new Date());

  const resolved = await resolveOid4vpRequest(uri, { resolver: createDidResolver(chain), chainId: chain.chainId, fetch: fetchImpl });
  if (!resolved.ok) {
    if (resolved.code === 'service_unreachable') throw new WalletError('service_unreachable', resolved.message);
    const did = resolved.claimedClientId?.replace(/^decentralized_identifier:/, '');
    await keep(store, consentReceipt({ verifier: did ? { did } : {}, disclosed: [], outcome: 'refused', reason: resolved.code }, now()));
    throw new WalletError('request_refused', `${m.refusals[resolved.code] ?? resolved.code}: ${resolved.message}`);
  }
  const request = resolved.request;

  const mirror = await registry(chain);
  const check: RegistrationCheck = mirror
    ? checkRegistration(mirror, request.verifierDid, request.query, await chainNow(chain))
    : { allowed: false, code: 'registry_unavailable' };
  const registration = 'registration' in check ? check.registration : undefined;
  const receiptBase = {
    verifier: { did: request.verifierDid, ...(registration ? { name: registration.name } : {}) },
    ...(registration ? { purpose: registration.purpose } : {}),
    requestHash: request.requestHash,
  };
  ctx.io.out(`${m.verifier}: ${request.verifierDid}`);
  ctx.io.out(`${m.registeredAs}: ${registration ? registration.name[ctx.lang] : m.unregistered}`);
  if (registration) ctx.io.out(`${m.purpose}: ${registration.purpose[ctx.lang]}`);
  if (!check.allowed) {
    if (check.beyond) ctx.io.out(`${m.beyond}: ${check.beyond.join(', ')}`);
    await keep(store, consentReceipt({ ...receiptBase, disclosed: [], outcome: 'refused', reason: check.code }, now()));
    throw new WalletError('request_refused', m.refusals[check.code] ?? check.code);
  }

  const statusMirror = await loadStatusMirror(chain);
  const offered = store.data.credentials
    .map((stored) => ({ stored, held: heldOf(stored), status: viewCredential(stored, ctx.lang, chain, statusMirror).status }))
    .filter((c): c is typeof c & { held: HeldForPresentation } => !!c.held && (anyStatus || OFFERED.has(c.status)))
    // Newest first: the matcher takes the first credential that answers.
    .sort((a, b) => b.stored.receivedAt.localeCompare(a.stored.receivedAt));
  const plan = planPresentation(request.query, offered.map((c) => c.held));
  if (!plan.ok) {
    await keep(store, consentReceipt({ ...receiptBase, disclosed: [], outcome: 'refused', reason: 'request_unsatisfiable' }, now()));
    throw new WalletError('request_unsatisfiable', plan.missing.join(', '));
  }

  const asked = request.query.credentials.reduce((n, c, i) => n + (c.claims?.length ? c.claims.length : Object.keys(offered[plan.presentations[i]!.held]!.held.claims).length), 0);
  const disclosed = plan.presentations.map((p) => ({ type: p.type, claims: p.leaving }));
  // The SD-JWT VC copy each presentation would show: an unused one, or (out of copies) one shown before.
  const chosen = plan.presentations.map((p) => (p.format === 'dc+sd-jwt' ? nextCopy(offered[p.held]!.stored) : undefined));
  ctx.io.out(`${ctx.t.willShare}:`);
  for (const [i, p] of plan.presentations.entries()) {
    const stored = offered[p.held]!.stored;
    const label = labeller(stored, ctx.lang);
    ctx.io.out(`  - ${getCredentialType(p.type)?.labels[ctx.lang].name ?? p.type} — ${stored.issuerName?.[ctx.lang] ?? stored.issuer}${p.format === 'jwt_vc_json' ? ` ${m.wholeJwtVc}` : ''}`);
    ctx.io.out(`      ${m.leaves}: ${p.leaving.map(label).join(', ')}`);
    if (p.hidden.length > 0) ctx.io.out(`      ${m.staysHidden}: ${p.hidden.map(label).join(', ')}`);
    if (chosen[i]?.reused) ctx.io.out(`      ${copyMessages(ctx.lang).reusedWarning}`);
  }
  ctx.io.out(m.disclosedOfAsked(disclosed.reduce((n, d) => n + d.claims.length, 0), asked));
  if (!yes) {
    const answer = (await ctx.io.prompt(m.consentPrompt)).trim().toLowerCase();
    if (!['y', 'yes', '是', '好', '同意'].includes(answer)) {
      await keep(store, consentReceipt({ ...receiptBase, disclosed: [], outcome: 'declined' }, now()));
      throw new WalletError('consent_refused');
    }
  }

  const vpToken: Record<string, string[]> = {};
  for (const [i, p] of plan.presentations.entries()) {
    vpToken[p.credentialQueryId] = [await presentation(chain, store, offered[p.held]!.stored, chosen[i], p, request, now())];
    // Used once it leaves the wallet, whatever the verifier answers: it was seen.
    if (chosen[i] && offered[p.held]!.stored.copies) markUsed(chosen[i]!.copy, now());
  }
  const submitted = await submitOid4vpResponse(request, vpToken, { fetch: fetchImpl });
  if (!submitted.ok && submitted.code === 'service_unreachable') throw new WalletError('service_unreachable', request.responseUri);
  await keep(store, consentReceipt({ ...receiptBase, disclosed, outcome: submitted.ok ? 'presented' : 'failed', ...(!submitted.ok && submitted.error ? { reason: submitted.error } : {}) }, now()));
  if (!submitted.ok) throw new WalletError('response_rejected', `HTTP ${submitted.status ?? '-'}${submitted.error ? ` ${submitted.error}` : ''}`);
  ctx.io.out(m.acknowledged);
  if (submitted.redirectUri) ctx.io.out(submitted.redirectUri);
  for (const p of plan.presentations) {
    const unused = unusedCopies(offered[p.held]!.stored);
    if (unused !== undefined && unused < ctx.refillBelow) ctx.io.out(copyMessages(ctx.lang).refillHint(unused));
  }
  return true;
}

/**
/**
 * One credential presented by its format's provider: an SD-JWT VC (the chosen copy) with only the planned
 * disclosures and a KB-JWT by that copy's `cnf` key, or a VP-JWT of a JWT VC (signed by the holder DID); both
 * bound to nonce and client_id.
 */
async function presentation(
  chain: WalletChain,
  store: WalletStore,
  stored: StoredCredential,
  chosen: NextCopy | undefined,
  planned: PlannedPresentation,
  request: WalletOid4vpRequest,
  at: Date,
): Promise<string> {
  let holder: { did?: string; alg: 'ES256' | 'ES256K'; sign: (input: string) => Promise<string> };
  let credential = stored.jwt;
  if (stored.format === 'dc+sd-jwt') {
    if (!chosen) throw new WalletError('store_corrupt', 'an SD-JWT VC without its holder key');
    const key = chosen.copy.holderKey;
    credential = chosen.copy.jwt;
    holder = { alg: key.alg, sign: async (input) => signInputWithHolderKey(key, input) };
  } else {
    const agent = await Holder.load(chain, store.data.holder);
    holder = { did: agent.identity.did, alg: 'ES256K', sign: (input) => agent.signInput(input) };
  }
  return formatProvider(stored.format).present(credential, { claimPaths: planned.disclosePaths, nonce: request.nonce, audience: request.clientId, holder, now: at });
}
