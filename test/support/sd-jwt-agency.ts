/**
 * SD-JWT VCs made by the tests on the real chain, independent of the issuer service: signed with `issueSdJwtVc`
 * by a {@link TestAgency}'s did:ethr controller key (the address form: the verifier recovers the key), with the
 * agency's on-chain status lists, and presented by a holder key with a Key Binding JWT.
 */
import { createHash, randomInt } from 'node:crypto';
import type { Wallet } from 'ethers';
import { issueSdJwtVc, presentSdJwtVc, statusEntries, type DcqlClaimPath } from '../../libs/credentials/src/index.js';
import { TestAgency, nowSeconds } from './credentials.js';
import { SAMPLE_CLAIMS } from './sample-claims.js';
import type { TestKey } from './sd-jwt-fixtures.js';

/** An ES256K JWS signer (r‖s, base64url) of an ethers wallet: what an agency's KMS does. */
export function walletSigner(wallet: Pick<Wallet, 'signingKey'>): (input: string) => Promise<string> {
  return async (input) => {
    const signature = wallet.signingKey.sign(createHash('sha256').update(input, 'ascii').digest());
    return Buffer.concat([Buffer.from(signature.r.slice(2), 'hex'), Buffer.from(signature.s.slice(2), 'hex')]).toString('base64url');
  };
}

export interface SdJwtIssueOptions {
  type: keyof typeof SAMPLE_CLAIMS;
  holder: TestKey;
  claims?: Record<string, unknown>;
  /** Unix seconds (`iat`). @default now - 60 */
  issuedAt?: number;
  /** Unix seconds (`exp`); none when absent. */
  expiresAt?: number;
  /** Sign with this wallet instead of the agency's controller. */
  signingKey?: Pick<Wallet, 'signingKey'>;
  /** Status index. @default random */
  index?: number;
  /** The issuer key's DID URL. @default the agency's `#controller` */
  kid?: string;
}

/** Issues an SD-JWT VC of `agency` (every claim disclosable, decoys included); returns it with its status index. */
export async function issueSdJwt(agency: TestAgency, options: SdJwtIssueOptions): Promise<{ sdJwt: string; index: number }> {
  const index = options.index ?? randomInt(0, 2 ** 17);
  const issuedAt = options.issuedAt ?? nowSeconds() - 60;
  const sdJwt = await issueSdJwtVc({
    type: options.type,
    claims: options.claims ?? SAMPLE_CLAIMS[options.type],
    issuerDid: agency.did,
    kid: options.kid ?? `${agency.did}#controller`,
    signer: walletSigner(options.signingKey ?? agency.controller),
    holderJwk: options.holder.jwk,
    statusEntries: statusEntries({
      chainId: agency.fixture.chainId,
      statusRegistry: agency.fixture.statusRegistry,
      owner: agency.address,
      revocationListId: TestAgency.REVOCATION_LIST,
      suspensionListId: TestAgency.SUSPENSION_LIST,
      index,
    }),
    ...(options.expiresAt !== undefined ? { validUntil: new Date(options.expiresAt * 1000) } : {}),
    now: new Date(issuedAt * 1000),
  });
  return { sdJwt, index };
}

/** Presents `paths` of an SD-JWT VC with a KB-JWT for `nonce` (challenge) and `audience` (domain). */
export function presentSdJwt(
  sdJwt: string,
  holder: TestKey,
  paths: DcqlClaimPath[],
  nonce: string,
  audience: string,
  now = new Date(),
): Promise<string> {
  return presentSdJwtVc(sdJwt, { claimPaths: paths, nonce, audience, holderSigner: holder.sign, holderAlg: holder.alg, now });
}
