import { createHash } from 'node:crypto';
import { GovcredError, decodeSdJwtVc, getCredentialType, receiveCredential, resolveOffer } from '../../../../libs/credentials/src/index.js';
import type { WalletContext } from '../context.js';
import { WalletError, type WalletErrorCode } from '../errors.js';
import { Holder } from '../holder/holder-agent.js';
import { newHolderKey, publicHolderJwk, signWithHolderKey, type HolderKeyKind } from '../holder/holder-keys.js';
import type { StoredCredential } from '../store/wallet-store.js';

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/;

/**
 * Plain http is accepted only for an issuer on this machine (the local devnet): the host is read from the
 * offer text before the OID4VCI client, whose http switch is all-or-nothing, gets it.
 */
function isLoopbackOffer(text: string): boolean {
  try {
    const url = new URL(text.trim());
    const byValue = url.searchParams.get('credential_offer');
    const target = byValue ? (JSON.parse(byValue) as { credential_issuer?: string }).credential_issuer : url.searchParams.get('credential_offer_uri');
    return typeof target === 'string' && LOOPBACK.test(new URL(target).hostname);
  } catch {
    return false;
  }
}

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
export async function receive(ctx: WalletContext, offerText: string | undefined, pin: string | undefined, keyKind: string = 'p256'): Promise<void> {
  if (!offerText) throw new WalletError('usage', 'receive <openid-credential-offer://…> [--pin CODE] [--key p256|secp256k1]');
  if (keyKind !== 'p256' && keyKind !== 'secp256k1') throw new WalletError('usage', '--key p256|secp256k1');
  const store = await ctx.open();
  const chain = await ctx.chain();
  const network = { allowHttp: isLoopbackOffer(offerText) };
  try {
    const offer = await resolveOffer(offerText, network);
    const txCode = offer.txCode ? (pin ?? (await ctx.io.prompt(ctx.t.pinPrompt, { hidden: false })).trim()) : undefined;
    let stored: StoredCredential;
    const issuerName = Object.fromEntries(offer.issuerDisplay.map((d) => [d.locale, d.name]));
    const receivedAt = new Date().toISOString();
    if (offer.format === 'dc+sd-jwt') {
      const holderKey = newHolderKey(keyKind as HolderKeyKind, store.data.holder);
      const received = await receiveCredential({
        ...network,
        offer,
        txCode,
        holderKey: { jwk: publicHolderJwk(holderKey), alg: holderKey.alg },
        signProofJwt: async (header, payload) => signWithHolderKey(holderKey, header, payload),
      });
      const issuerJwt = received.credential.slice(0, received.credential.indexOf('~'));
      const id = `sha256:${createHash('sha256').update(issuerJwt).digest('base64url')}`;
      const issuer = decodeSdJwtVc(received.credential)?.issuer ?? received.credentialIssuer;
      stored = { id, format: 'dc+sd-jwt', jwt: received.credential, holderKey, type: received.type, issuer, issuerName, receivedAt };
    } else {
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
  } catch (error) {
    throw walletError(error);
  }
}
