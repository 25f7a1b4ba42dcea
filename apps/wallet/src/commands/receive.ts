import { GovcredError, getCredentialType, receiveCredential, resolveOffer } from '../../../../libs/credentials/src/index.js';
import type { WalletContext } from '../context.js';
import { WalletError, type WalletErrorCode } from '../errors.js';
import { Holder } from '../holder/holder-agent.js';

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

/** `receive <offer>`: the OID4VCI pre-authorized code flow, then the credential is stored encrypted. */
export async function receive(ctx: WalletContext, offerText: string | undefined, pin: string | undefined): Promise<void> {
  if (!offerText) throw new WalletError('usage', 'receive <openid-credential-offer://…>');
  const store = await ctx.open();
  const chain = await ctx.chain();
  const network = { allowHttp: isLoopbackOffer(offerText) };
  try {
    const offer = await resolveOffer(offerText, network);
    const txCode = offer.txCode ? (pin ?? (await ctx.io.prompt(ctx.t.pinPrompt, { hidden: false })).trim()) : undefined;
    const holder = await Holder.load(chain, store.data.holder);
    const received = await receiveCredential({
      ...network,
      offer,
      txCode,
      holderDid: holder.identity.did,
      signProofJwt: (header, payload) => holder.signJwt(header, payload),
    });
    const payload = JSON.parse(Buffer.from(received.credential.split('.')[1], 'base64url').toString('utf8')) as { jti?: string; iss?: string };
    const issuerName = Object.fromEntries(received.issuerDisplay.map((d) => [d.locale, d.name]));
    store.data.credentials.push({
      id: payload.jti ?? `received-${Date.now()}`,
      jwt: received.credential,
      type: received.type,
      issuer: payload.iss ?? received.credentialIssuer,
      issuerName,
      receivedAt: new Date().toISOString(),
    });
    await store.save();
    const label = getCredentialType(received.type)?.labels[ctx.lang].name ?? received.type;
    const name = issuerName[ctx.lang] ?? issuerName.en ?? payload.iss;
    ctx.io.out(`${ctx.t.receivedCredential}: ${label} — ${ctx.t.from} ${name}`);
  } catch (error) {
    throw walletError(error);
  }
}
