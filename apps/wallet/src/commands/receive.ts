import { createHash } from 'node:crypto';
import canonicalizeModule from 'canonicalize';
import { GovcredError, decodeSdJwtVc, getCredentialType, isLoopbackOffer, receiveCredential, resolveOffer, type ResolvedOffer } from '../../../../libs/credentials/src/index.js';
import type { WalletContext } from '../context.js';
import { WalletError, type WalletErrorCode } from '../errors.js';
import { Holder } from '../holder/holder-agent.js';
import { newHolderKey, publicHolderJwk, signWithHolderKey, type HolderKeyKind } from '../holder/holder-keys.js';
import { copyMessages } from '../i18n-copies.js';
import { unusedCopies, type StoredCopy } from '../store/copies.js';
import type { StoredCredential, StoredHolderKey, WalletStore } from '../store/wallet-store.js';

// The package's CommonJS default export, typed for ESM callers.
const canonicalize = canonicalizeModule as unknown as (input: unknown) => string | undefined;

const CODE_MAP: Record<string, WalletErrorCode> = {
  offer_invalid: 'offer_invalid',
  issuer_response_invalid: 'offer_invalid',
  offer_rejected: 'offer_rejected',
  credential_rejected: 'offer_rejected',
  service_unreachable: 'service_unreachable',
};

function walletError(error: unknown): unknown {
  if (!(error instanceof GovcredError)) return error;
  const description = (error.details?.description ?? error.details?.error) as string | undefined;
  return new WalletError(CODE_MAP[error.code] ?? 'offer_invalid', description ?? error.message, { cause: error });
}

/**
 * `receive <offer>`: the OID4VCI pre-authorized code flow, then the credential is stored encrypted. A JWT VC
 * is bound to the wallet's DID; an SD-JWT VC to a holder key made for it (`--key p256`, the default) or to the
 * DID's secp256k1 key (`--key secp256k1`), kept in the wallet file.
 */
export async function receive(ctx: WalletContext, offerText: string | undefined, pin: string | undefined, keyKind: string = 'p256', refill?: string): Promise<void> {
  if (!offerText) throw new WalletError('usage', 'receive <openid-credential-offer://…> [--pin CODE] [--key p256|secp256k1] [--refill <number|id>]');
  if (keyKind !== 'p256' && keyKind !== 'secp256k1') throw new WalletError('usage', '--key p256|secp256k1');
  const store = await ctx.open();
  const refilled = refill === undefined ? undefined : heldCredential(store, refill);
  const chain = await ctx.chain();
  const network = { allowHttp: isLoopbackOffer(offerText) };
  try {
    const offer = await resolveOffer(offerText, network);
    const txCode = offer.txCode ? (pin ?? (await ctx.io.prompt(ctx.t.pinPrompt, { hidden: false })).trim()) : undefined;
    let stored: StoredCredential;
    const issuerName = Object.fromEntries(offer.issuerDisplay.map((d) => [d.locale, d.name]));
    const receivedAt = new Date().toISOString();
    if (offer.format === 'dc+sd-jwt') {
      const copies = await receiveCopies(offer, { ...network, txCode }, keyKind as HolderKeyKind, store);
      const first = copies[0]!;
      const decoded = decodeSdJwtVc(first.jwt);
      const issuer = decoded?.issuer ?? offer.credentialIssuer;
      // The agency's refill offer: its copies join the credential held, if they are copies of it (anything
      // else is kept as a credential of its own: received is never thrown away).
      if (refilled && sameCredential(refilled, first.jwt)) {
        refilled.copies = [...(refilled.copies ?? [{ jwt: refilled.jwt, holderKey: refilled.holderKey!, usedAt: refilled.receivedAt }]), ...copies];
        await store.save();
        ctx.io.out(copyMessages(ctx.lang).refilled(copies.length, unusedCopies(refilled) ?? 0));
        return;
      }
      const issuerJwt = first.jwt.slice(0, first.jwt.indexOf('~'));
      const id = `sha256:${createHash('sha256').update(issuerJwt).digest('base64url')}`;
      stored = {
        id,
        format: 'dc+sd-jwt',
        jwt: first.jwt,
        holderKey: first.holderKey,
        ...(copies.length > 1 ? { copies } : {}),
        type: offer.type,
        issuer,
        issuerName,
        receivedAt,
      };
    } else {
      if (refilled) throw new WalletError('offer_invalid', 'only SD-JWT VCs are refilled: this offer is for a JWT VC');
      const holder = await Holder.load(chain, store.data.holder);
      const received = await receiveCredential({
        ...network,
        offer,
        txCode,
        holderDid: holder.identity.did,
        signProofJwt: (header, payload) => holder.signJwt(header, payload),
      });
      const payload = JSON.parse(Buffer.from(received.credential.split('.')[1], 'base64url').toString('utf8')) as { jti?: string; iss?: string };
      stored = {
        id: payload.jti ?? `received-${Date.now()}`,
        format: 'jwt_vc_json',
        jwt: received.credential,
        type: received.type,
        issuer: payload.iss ?? received.credentialIssuer,
        issuerName,
        receivedAt,
      };
    }
    store.data.credentials.push(stored);
    await store.save();
    const label = getCredentialType(stored.type)?.labels[ctx.lang].name ?? stored.type;
    const name = issuerName[ctx.lang] ?? issuerName.en ?? stored.issuer;
    ctx.io.out(`${ctx.t.receivedCredential}: ${label} — ${ctx.t.from} ${name}${stored.format === 'dc+sd-jwt' ? ' (SD-JWT VC)' : ''}`);
    if (stored.copies) ctx.io.out(copyMessages(ctx.lang).copiesReceived(stored.copies.length));
  } catch (error) {
    throw walletError(error);
  }
}

/**
 * An SD-JWT VC offer: one fresh key per copy the issuer issues in one request (its batch_size; OID4VCI batch
 * issuance), or the offer's single key when it issues no batches. Returns the copies with their keys.
 */
async function receiveCopies(offer: ResolvedOffer, options: { allowHttp: boolean; txCode?: string }, kind: HolderKeyKind, store: WalletStore): Promise<StoredCopy[]> {
  const keys: StoredHolderKey[] = Array.from({ length: offer.batchSize }, () => newHolderKey(kind, store.data.holder, offer.batchSize > 1));
  const publicKeys = keys.map((key) => ({ jwk: publicHolderJwk(key), alg: key.alg }));
  const received = await receiveCredential({
    ...options,
    offer,
    holderKeys: publicKeys,
    // Each proof is signed by the key its jwk header names.
    signProofJwt: async (header, payload) => {
      const jwk = header.jwk as { x?: string; y?: string } | undefined;
      const key = keys[publicKeys.findIndex((k) => k.jwk.x === jwk?.x && k.jwk.y === jwk?.y)];
      if (!key) throw new Error('a key proof for a key this wallet did not make');
      return signWithHolderKey(key, header, payload);
    },
  });
  return received.copies.map(({ credential, keyIndex }) => ({ jwt: credential, holderKey: keys[keyIndex]! }));
}

/** The held SD-JWT VC `which` names (its number in `list`, or its id) for a refill. */
function heldCredential(store: WalletStore, which: string): StoredCredential {
  const index = /^[0-9]+$/.test(which) ? Number(which) - 1 : store.data.credentials.findIndex((c) => c.id === which);
  const held = store.data.credentials[index];
  if (!held) throw new WalletError('credential_not_found', which);
  if (held.format !== 'dc+sd-jwt' || !held.holderKey) throw new WalletError('usage', '--refill takes an SD-JWT VC');
  return held;
}

/** Whether `sdJwt` is a copy of `held`: the same issuer, type and claims. */
function sameCredential(held: StoredCredential, sdJwt: string): boolean {
  const [a, b] = [decodeSdJwtVc(held.jwt), decodeSdJwtVc(sdJwt)];
  return !!a && !!b && a.issuer === b.issuer && a.vct === b.vct && canonicalize(a.claims) === canonicalize(b.claims);
}
