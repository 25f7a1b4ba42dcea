import { createHash, randomInt, randomUUID } from 'node:crypto';
import { ES256KSigner, createJWS } from 'did-jwt';
import { createVerifiableCredentialJwt, type CredentialPayload } from 'did-jwt-vc';
import { Wallet, getBytes } from 'ethers';
import {
  buildCredential,
  ethrDid,
  getCredentialType,
  issueSdJwtVc,
  schemaReference,
  statusEntries,
  type IssueCredential,
  type SignProofJwt,
} from '../../libs/credentials/src/index.js';
import { SAMPLE_CLAIMS } from '../../scripts/lib/sample-claims.js';

/** Valid claims of every catalog type. */
export const CLAIMS: Record<string, Record<string, unknown>> = SAMPLE_CLAIMS;

/** What the tests put in an offer's context: the claims to issue. */
export interface OfferContext {
  claims: Record<string, unknown>;
}

/**
 * The hosting service's part of issuance, as the issuer app does it: a real VC-JWT in govcred's format
 * (did-jwt-vc over buildCredential) about the proven holder DID, or an SD-JWT VC bound to the proven holder
 * key, signed by the agency's did:ethr key.
 */
export function agencyIssue(agency: Wallet, statusRegistry: string, chainId = 31337): IssueCredential {
  const did = ethrDid(chainId, agency.address);
  const signer = ES256KSigner(getBytes(agency.privateKey));
  return async ({ context, holderDid, holderJwk, type, format }) => {
    const { claims } = context as OfferContext;
    const status = statusEntries({ chainId, statusRegistry, owner: agency.address, revocationListId: 1, suspensionListId: 2, index: randomInt(131_072) });
    if (format === 'dc+sd-jwt') {
      return issueSdJwtVc({
        type,
        claims,
        issuerDid: did,
        kid: `${did}#controller`,
        signer: async (input) => {
          const signature = agency.signingKey.sign(createHash('sha256').update(input, 'ascii').digest());
          return Buffer.from(getBytes(signature.r + signature.s.slice(2))).toString('base64url');
        },
        holderJwk,
        statusEntries: status,
        validUntil: getCredentialType(type)?.expirationDate?.(claims),
        now: new Date(),
      });
    }
    const credential = buildCredential({
      type,
      id: `urn:uuid:${randomUUID()}`,
      issuerDid: did,
      subjectDid: holderDid!,
      claims,
      schema: schemaReference(type),
      status,
      issuanceDate: new Date(),
      expirationDate: getCredentialType(type)?.expirationDate?.(claims),
    });
    // VCDM allows a list of status entries (govcred has two); did-jwt-vc's type declares a single one.
    return createVerifiableCredentialJwt(credential as unknown as CredentialPayload, { did, signer, alg: 'ES256K' });
  };
}

/** A holder: a random secp256k1 key, its address-form did:ethr, and a proof signer (did-jwt ES256K). */
export function didJwtHolder(chainId = 31337, key: Wallet = Wallet.createRandom() as unknown as Wallet): { wallet: Wallet; did: string; sign: SignProofJwt } {
  const signer = ES256KSigner(getBytes(key.privateKey));
  return {
    wallet: key,
    did: ethrDid(chainId, key.address),
    sign: (header, payload) => createJWS(payload, signer, header),
  };
}
