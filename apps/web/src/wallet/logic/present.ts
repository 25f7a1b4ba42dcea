import type { ConsentReceipt } from '../../../../../libs/credentials/src/holder/consent-receipt.js';
import { consentReceipt } from '../../../../../libs/credentials/src/holder/consent-receipt.js';
import { checkRegistration, planPresentation, type HeldForPresentation, type PlannedPresentation, type RegistrationCheck } from '../../../../../libs/credentials/src/holder/oid4vp-consent.js';
import { resolveOid4vpRequest, type WalletOid4vpRequest } from '../../../../../libs/credentials/src/holder/oid4vp-request.js';
import { submitOid4vpResponse } from '../../../../../libs/credentials/src/holder/oid4vp-response.js';
import { sdJwtVcClaimView, type HeldClaim } from '../../../../../libs/credentials/src/holder/sd-jwt-view.js';
import { createDidResolver } from '../../../../../libs/credentials/src/did/resolver.js';
import { presentSdJwtVc } from '../../../../../libs/credentials/src/formats/sd-jwt-vc/present.js';
import type { ParsedDcqlQuery } from '../../../../../libs/credentials/src/query/dcql.js';
import type { VerifierRegistration } from '../../../../../libs/credentials/src/trust/verifier-scope.js';
import type { StoredCredential, WalletStore } from '../store/wallet-store';
import { chainNow, readStatusLists, readVerifierRegistry, type WalletSettings } from './chain';
import { signInput } from './holder-key';
import { agencyName, credentialCard, typeLabel, type Lang } from './view';

/**
 * Answering an OpenID4VP 1.0 request (a link or QR text): the signed request checked against the chain, the
 * verifier's registration read from the whole VerifierRegistry, the exact claims that would leave worked out by
 * the shared DCQL matcher, then, with consent only, a presentation of just those claims with a Key Binding JWT.
 * Every outcome leaves a consent receipt in the encrypted store, as the CLI wallet keeps.
 */

/** Statuses a credential may be offered in: never one the chain shows revoked or suspended, or expired. */
const OFFERED = new Set(['valid', 'encumbered', 'unknown']);

/** One credential the citizen is asked to show: what leaves (labels and values) and what stays hidden. */
export interface ProposedCredential {
  planned: PlannedPresentation;
  stored: StoredCredential;
  typeLabel: string;
  agency: string;
  leaving: HeldClaim[];
  hidden: string[];
}

/** A request the wallet would answer, waiting for the citizen's decision. */
export interface Proposal {
  request: WalletOid4vpRequest;
  registration: VerifierRegistration;
  credentials: ProposedCredential[];
  /** Claims asked in total (all claims of a credential asked whole). */
  asked: number;
}

/** Why a request is not put to the citizen: unreadable, or refused by the wallet on their behalf (see the receipt). */
export type RequestOutcome =
  | { ok: true; proposal: Proposal }
  | { ok: false; code: string; registration?: VerifierRegistration; beyond?: string[]; verifierDid?: string };

/** What leaves of `stored` and what stays, with the labels of `lang`. */
function described(planned: PlannedPresentation, stored: StoredCredential, lang: Lang): ProposedCredential {
  const claims = sdJwtVcClaimView(stored.sdJwt, lang)?.claims ?? [];
  const label = (key: string) => claims.find((c) => c.key === key)?.label ?? key;
  return {
    planned,
    stored,
    typeLabel: typeLabel(planned.type, lang),
    agency: agencyName(stored, lang),
    leaving: planned.leaving.map((key) => claims.find((c) => c.key === key) ?? { key, label: key, value: undefined }),
    hidden: planned.hidden.map(label),
  };
}

/**
 * The same proposal labelled in `lang`: the citizen may switch the language while the request waits for an answer,
 * and every label on the consent screen follows (what leaves does not change).
 */
export function proposalIn(proposal: Proposal, lang: Lang): Proposal {
  return { ...proposal, credentials: proposal.credentials.map((c) => described(c.planned, c.stored, lang)) };
}

/** The holder's claims of a stored credential as the DCQL matcher sees them. */
function heldOf(stored: StoredCredential): HeldForPresentation | undefined {
  const view = sdJwtVcClaimView(stored.sdJwt, 'en');
  return view?.type ? { format: 'dc+sd-jwt', type: view.type, claims: Object.fromEntries(view.claims.map((c) => [c.key, c.value])) } : undefined;
}

/**
 * Which held credentials answer a DCQL query and exactly which of their claims would leave (the shared matcher:
 * the first satisfied claim set of the newest answering credential), with labels and values to show.
 */
export function proposeClaims(
  query: ParsedDcqlQuery,
  held: readonly StoredCredential[],
  lang: Lang,
): { ok: true; credentials: ProposedCredential[]; asked: number } | { ok: false; missing: string[] } {
  const offered = held
    .map((stored) => ({ stored, held: heldOf(stored) }))
    .filter((c): c is typeof c & { held: HeldForPresentation } => !!c.held)
    // Newest first: the matcher takes the first credential that answers.
    .sort((a, b) => b.stored.receivedAt.localeCompare(a.stored.receivedAt));
  const plan = planPresentation(query, offered.map((c) => c.held));
  if (!plan.ok) return plan;
  const credentials = plan.presentations.map((planned) => described(planned, offered[planned.held]!.stored, lang));
  // A credential query without claims asks for all of them (OID4VP 1.0 §6.1).
  const asked = query.credentials.reduce((n, c, i) => n + (c.claims?.length ? c.claims.length : Object.keys(offered[plan.presentations[i]!.held]!.held.claims).length), 0);
  return { ok: true, credentials, asked };
}

async function keep(store: WalletStore, receipt: ConsentReceipt): Promise<void> {
  store.data.receipts.push(receipt);
  await store.save();
}

/** Reads and checks a request; refusals are recorded as receipts. Never throws on hostile input. */
export async function readRequest(uri: string, settings: WalletSettings, store: WalletStore, lang: Lang, now = () => new Date()): Promise<RequestOutcome> {
  const resolved = await resolveOid4vpRequest(uri, { resolver: createDidResolver(settings), chainId: settings.chainId });
  if (!resolved.ok) {
    if (resolved.code === 'service_unreachable') return { ok: false, code: 'service_unreachable' };
    const did = resolved.claimedClientId?.replace(/^decentralized_identifier:/, '');
    await keep(store, consentReceipt({ verifier: did ? { did } : {}, disclosed: [], outcome: 'refused', reason: resolved.code }, now()));
    return { ok: false, code: resolved.code };
  }
  const request = resolved.request;
  const registry = await readVerifierRegistry(settings);
  const check: RegistrationCheck = registry ? checkRegistration(registry, request.verifierDid, request.query, await chainNow(settings)) : { allowed: false, code: 'registry_unavailable' };
  const registration = check.registration;
  const base = {
    verifier: { did: request.verifierDid, ...(registration ? { name: registration.name } : {}) },
    ...(registration ? { purpose: registration.purpose } : {}),
    requestHash: request.requestHash,
  };
  if (!check.allowed) {
    await keep(store, consentReceipt({ ...base, disclosed: [], outcome: 'refused', reason: check.code }, now()));
    return { ok: false, code: check.code, verifierDid: request.verifierDid, ...(registration ? { registration } : {}), ...(check.beyond ? { beyond: check.beyond } : {}) };
  }

  const lists = await readStatusLists(settings);
  const usable = store.data.credentials.filter((stored) => OFFERED.has(credentialCard(stored, lang, settings.chainId, lists, undefined, now()).status));
  const plan = proposeClaims(request.query, usable, lang);
  if (!plan.ok) {
    await keep(store, consentReceipt({ ...base, disclosed: [], outcome: 'refused', reason: 'request_unsatisfiable' }, now()));
    return { ok: false, code: 'request_unsatisfiable', verifierDid: request.verifierDid, registration: check.registration };
  }
  return { ok: true, proposal: { request, registration: check.registration, credentials: plan.credentials, asked: plan.asked } };
}

/** The base of a receipt about a proposal. */
const receiptBase = (p: Proposal) => ({
  verifier: { did: p.request.verifierDid, name: p.registration.name },
  purpose: p.registration.purpose,
  requestHash: p.request.requestHash,
});

/** The citizen said no: nothing is sent, a receipt is kept. */
export async function decline(proposal: Proposal, store: WalletStore, now = new Date()): Promise<void> {
  await keep(store, consentReceipt({ ...receiptBase(proposal), disclosed: [], outcome: 'declined' }, now));
}

/** What the verifier answered (an acknowledgement only: the result is the verifier's). */
export type ConsentOutcome = { ok: true } | { ok: false; code: 'response_rejected' | 'service_unreachable' };

/** The citizen agreed: presents exactly the planned claims, posts them, keeps the receipt. */
export async function consent(proposal: Proposal, store: WalletStore, now = new Date()): Promise<ConsentOutcome> {
  const vpToken: Record<string, string[]> = {};
  for (const c of proposal.credentials) {
    vpToken[c.planned.credentialQueryId] = [
      await presentSdJwtVc(c.stored.sdJwt, {
        claimPaths: c.planned.disclosePaths,
        nonce: proposal.request.nonce,
        audience: proposal.request.clientId,
        holderAlg: 'ES256',
        holderSigner: (input) => signInput(c.stored.holderKey, input),
        now,
      }),
    ];
  }
  const submitted = await submitOid4vpResponse(proposal.request, vpToken);
  if (!submitted.ok && submitted.code === 'service_unreachable') return { ok: false, code: 'service_unreachable' };
  const disclosed = proposal.credentials.map((c) => ({ type: c.planned.type, claims: c.planned.leaving }));
  await keep(store, consentReceipt({ ...receiptBase(proposal), disclosed, outcome: submitted.ok ? 'presented' : 'failed', ...(!submitted.ok && submitted.error ? { reason: submitted.error } : {}) }, now));
  return submitted.ok ? { ok: true } : { ok: false, code: 'response_rejected' };
}
