import { randomInt, randomUUID } from 'node:crypto';
import { ES256KSigner, createJWS } from 'did-jwt';
import { createVerifiableCredentialJwt, type CredentialPayload } from 'did-jwt-vc';
import { Wallet, getBytes } from 'ethers';
import {
  buildCredential,
  ethrDid,
  getCredentialType,
  schemaReference,
  statusEntries,
  type IssueCredential,
  type SignProofJwt,
} from '../../libs/credentials/src/index.js';

/** Valid claims of every catalog type (from the catalog's own tests). */
export const CLAIMS: Record<string, Record<string, unknown>> = {
  NationalIdCredential: {
    name: 'ZHANG San',
    nameZh: '张三',
    citizenIdNumber: '320102199003071239',
    birthDate: '1990-03-07',
    gender: 'male',
    ethnicity: '汉',
    address: '江苏省南京市玄武区中山路1号',
    issuingAuthority: '南京市公安局玄武分局',
    validFrom: '2015-06-01',
    validUntil: '2035-06-01',
  },
  EducationCredential: {
    holderName: 'LI Si',
    holderNameZh: '李四',
    degree: 'bachelor',
    fieldOfStudy: 'Computer Science and Technology',
    institution: 'Nanjing University',
    institutionZh: '南京大学',
    certificateNumber: '102841202405000123',
    graduationDate: '2024-06-30',
    studyMode: 'full-time',
  },
  PropertyCredential: {
    certificateNumber: '苏(2024)南京市不动产权第0012345号',
    parcelNumber: '320102003005GB00012F00010001',
    address: '南京市玄武区北京东路41号3幢201室',
    area: 89.57,
    use: 'residential',
    rightType: 'state-land-use-and-house-ownership',
    coOwners: [{ name: '王芳', citizenIdNumber: '11010519491231002X', share: 50 }],
    registrationDate: '2024-03-15',
  },
};

/** What the tests put in an offer's context: the claims to issue. */
export interface OfferContext {
  claims: Record<string, unknown>;
}

/**
 * The hosting service's part of issuance, as the issuer app does it: a real VC-JWT in govcred's format
 * (did-jwt-vc over buildCredential), signed by the agency's did:ethr key, about the proven holder DID.
 */
export function agencyIssue(agency: Wallet, statusRegistry: string, chainId = 31337): IssueCredential {
  const did = ethrDid(chainId, agency.address);
  const signer = ES256KSigner(getBytes(agency.privateKey));
  return async ({ context, holderDid, type }) => {
    const { claims } = context as OfferContext;
    const credential = buildCredential({
      type,
      id: `urn:uuid:${randomUUID()}`,
      issuerDid: did,
      subjectDid: holderDid,
      claims,
      schema: schemaReference(type),
      status: statusEntries({ chainId, statusRegistry, owner: agency.address, revocationListId: 1, suspensionListId: 2, index: randomInt(131_072) }),
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
