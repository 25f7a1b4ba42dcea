import type { VerificationMethod } from 'did-resolver';
import { SigningKey } from 'ethers';
import { isBrokenEthrDid, parseEthrDid } from '../../did/ethr-did.js';
import type { VerificationContext } from '../../verification/types.js';
import type { IssuerKey } from './keys.js';
import { checksummedAddress } from '../../chain/address.js';

/** Why an issuer key could not be resolved at all (as opposed to: the DID has no such key). */
export class IssuerKeyFailure extends Error {
  constructor(readonly code: 'did_invalid' | 'did_unresolvable' | 'sd_jwt_malformed') {
    super(code);
  }
}

/**
 * The issuer key an SD-JWT VC names (`iss`, `kid`), as the issuer's did:ethr document was at `iat`: resolved at
 * the last block mined at or before that time through the verifier's DID mirror, as JWT VCs are at `nbf`. The
 * `kid` must be a verification method of `iss` listed for assertions. `undefined` when the DID had no such key
 * then (a rotated-out key signing after the rotation is a bad signature). `seen.block` receives the block read.
 * @throws IssuerKeyFailure when the DID is broken, not a did:ethr of this chain, or the chain could not be read.
 */
export async function issuerKeyAtIssuance(
  ctx: VerificationContext,
  ref: { iss: string; kid: string; iat: number },
  seen: { block?: number } = {},
): Promise<IssuerKey | undefined> {
  const did = parseEthrDid(ref.iss, ctx.chainId);
  if (!did.ok) throw new IssuerKeyFailure(isBrokenEthrDid(did.reason) ? 'did_invalid' : 'did_unresolvable');
  // A time the chain cannot have a block for is not a time: refuse it before any RPC.
  if (!Number.isSafeInteger(ref.iat) || ref.iat < 0) throw new IssuerKeyFailure('sd_jwt_malformed');
  if (!ref.kid.startsWith(`${ref.iss}#`)) return undefined;
  let document;
  try {
    const block = await ctx.blocks.blockAt(ref.iat);
    seen.block = block;
    const resolution = await ctx.resolver.resolve(`${ref.iss}?versionId=${block}`, { accept: 'application/did+json' });
    document = resolution.didResolutionMetadata?.error ? undefined : resolution.didDocument;
  } catch {
    throw new IssuerKeyFailure('did_unresolvable');
  }
  if (!document) throw new IssuerKeyFailure('did_unresolvable');
  const assertion = (document.assertionMethod ?? []).map((ref) => (typeof ref === 'string' ? ref : ref.id));
  if (!assertion.includes(ref.kid)) return undefined;
  const method = (document.verificationMethod ?? []).find((m) => m.id === ref.kid);
  const key = method ? keyOfMethod(method) : undefined;
  // An address whose key an earlier signature revealed is checked natively (node:crypto) rather than by recovery.
  const known = key && 'ethereumAddress' in key ? ctx.signatures?.jwkOfAddress(key.ethereumAddress) : undefined;
  return known ? { jwk: known } : key;
}

/** The key of a did:ethr verification method: an address (recovery method) or a secp256k1 public key. */
function keyOfMethod(method: VerificationMethod): IssuerKey | undefined {
  try {
    if (method.type === 'EcdsaSecp256k1RecoveryMethod2020' || method.blockchainAccountId || method.ethereumAddress) {
      const raw = method.blockchainAccountId ? /^eip155:[0-9]+:(0x[0-9a-fA-F]{40})$/.exec(method.blockchainAccountId)?.[1] : method.ethereumAddress;
      return raw ? { ethereumAddress: checksummedAddress(raw) } : undefined;
    }
    if (method.type === 'EcdsaSecp256k1VerificationKey2019' && typeof method.publicKeyHex === 'string') {
      const point = SigningKey.computePublicKey(`0x${method.publicKeyHex.replace(/^0x/, '')}`, false);
      const bytes = Buffer.from(point.slice(4), 'hex');
      return { jwk: { kty: 'EC', crv: 'secp256k1', x: bytes.subarray(0, 32).toString('base64url'), y: bytes.subarray(32).toString('base64url') } };
    }
  } catch {
    // a malformed key in a document: no key
  }
  return undefined;
}
