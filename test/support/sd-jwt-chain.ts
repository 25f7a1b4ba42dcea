import { SigningKey } from 'ethers';
import {
  createDidResolver,
  verifySdJwtVc,
  type IssuerKey,
  type SdJwtVcVerification,
  type VerifySdJwtVcOptions,
} from '../../libs/credentials/src/index.js';
import type { Fixture } from './chain.js';

/**
 * The issuer key of an SD-JWT VC as a verifier finds it: the verification method `kid` names in the issuer's
 * did:ethr document, resolved from the chain (ERC-1056) with the project's resolver. An address-form did:ethr
 * lists its owner as an `EcdsaSecp256k1RecoveryMethod2020` with a `blockchainAccountId`, a signing key attribute as an
 * `EcdsaSecp256k1VerificationKey2019` with a `publicKeyHex`.
 */
export function chainIssuerKeys(fixture: Fixture): VerifySdJwtVcOptions['resolveIssuerKey'] {
  const resolver = createDidResolver({ chainId: fixture.chainId, rpcUrl: process.env.GOVCRED_TEST_RPC_URL!, didRegistry: fixture.didRegistry });
  return async ({ iss, kid }) => {
    if (!kid.startsWith(`${iss}#`)) return undefined;
    const { didDocument } = await resolver.resolve(iss);
    const method = didDocument?.verificationMethod?.find((m) => m.id === kid);
    // An agency's signing key is an ERC-1056 attribute: a public key (`#delegate-N`), not an address.
    if (method?.publicKeyHex) {
      const point = Buffer.from(SigningKey.computePublicKey(`0x${method.publicKeyHex}`, false).slice(4), 'hex');
      return { jwk: { kty: 'EC', crv: 'secp256k1', x: point.subarray(0, 32).toString('base64url'), y: point.subarray(32).toString('base64url') } } satisfies IssuerKey;
    }
    const address = method?.blockchainAccountId?.split(':').pop();
    return address ? ({ ethereumAddress: address } satisfies IssuerKey) : undefined;
  };
}

/** Verifies an issued SD-JWT VC (no key binding) against the chain, as a verifier would. */
export function verifyIssued(fixture: Fixture, sdJwt: string, now = new Date()): Promise<SdJwtVcVerification> {
  return verifySdJwtVc(sdJwt, { resolveIssuerKey: chainIssuerKeys(fixture), now, requireKeyBinding: false });
}
