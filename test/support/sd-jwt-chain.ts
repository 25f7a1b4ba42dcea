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
 * lists its owner as an `EcdsaSecp256k1RecoveryMethod2020` with a `blockchainAccountId`.
 */
export function chainIssuerKeys(fixture: Fixture): VerifySdJwtVcOptions['resolveIssuerKey'] {
  const resolver = createDidResolver({ chainId: fixture.chainId, rpcUrl: process.env.GOVCRED_TEST_RPC_URL!, didRegistry: fixture.didRegistry });
  return async ({ iss, kid }) => {
    if (!kid.startsWith(`${iss}#`)) return undefined;
    const { didDocument } = await resolver.resolve(iss);
    const method = didDocument?.verificationMethod?.find((m) => m.id === kid);
    const address = method?.blockchainAccountId?.split(':').pop();
    return address ? ({ ethereumAddress: address } satisfies IssuerKey) : undefined;
  };
}

/** Verifies an issued SD-JWT VC (no key binding) against the chain, as a verifier would. */
export function verifyIssued(fixture: Fixture, sdJwt: string, now = new Date()): Promise<SdJwtVcVerification> {
  return verifySdJwtVc(sdJwt, { resolveIssuerKey: chainIssuerKeys(fixture), now, requireKeyBinding: false });
}
