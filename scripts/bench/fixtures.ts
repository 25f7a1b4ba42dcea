import { randomInt, randomUUID } from 'node:crypto';
import { ES256KSigner } from 'did-jwt';
import { createVerifiableCredentialJwt, createVerifiablePresentationJwt } from 'did-jwt-vc';
import { Wallet, getBytes, toBeHex, type JsonRpcProvider, type Signer } from 'ethers';
import {
  StatusListWriter,
  StatusPurpose,
  TrustRegistryClient,
  buildCredential,
  ethrDid,
  schemaReference,
  statusEntries,
} from '../../libs/credentials/src/index.js';
import type { RegistryDeployment } from '../lib/deploy.js';

export const BENCH_TYPE = 'NationalIdCredential';
const CLAIMS = {
  name: 'ZHANG San',
  nameZh: '张三',
  citizenIdNumber: '11010519491231002X',
  birthDate: '1949-12-31',
  gender: 'female',
  ethnicity: '汉',
  address: '江苏省南京市玄武区中山路1号',
  issuingAuthority: '南京市公安局玄武分局',
  validFrom: '2010-01-01',
  validUntil: '2035-06-01',
};
/** The status lists {@link createAgency} creates for the agency. */
export const REVOCATION_LIST = 1n;
export const SUSPENSION_LIST = 2n;

/** An accredited agency of the bench chain: a did:ethr identity with its two status lists. */
export interface BenchAgency {
  wallet: Wallet;
  did: string;
}

/** Creates an agency identity, its revocation and suspension lists, and accredits it for {@link BENCH_TYPE}. */
export async function createAgency(provider: JsonRpcProvider, governance: Signer, deployment: RegistryDeployment): Promise<BenchAgency> {
  const wallet = new Wallet(Wallet.createRandom().privateKey, provider);
  await provider.send('hardhat_setBalance', [wallet.address, toBeHex(10n ** 22n)]);
  const writer = new StatusListWriter({ registry: deployment.statusRegistry, signer: wallet });
  await writer.createList(wallet.address, REVOCATION_LIST, StatusPurpose.Revocation);
  await writer.createList(wallet.address, SUSPENSION_LIST, StatusPurpose.Suspension);
  const trust = new TrustRegistryClient(deployment.trustRegistry, governance);
  await trust.accredit(wallet.address, BENCH_TYPE, Math.floor(Date.now() / 1000) - 86_400);
  return { wallet, did: ethrDid(31337, wallet.address) };
}

/** A citizen: a did:ethr identity that never touched the chain. */
export interface BenchHolder {
  wallet: Wallet;
  did: string;
}

export function createHolder(): BenchHolder {
  const wallet = Wallet.createRandom();
  return { wallet: new Wallet(wallet.privateKey), did: ethrDid(31337, wallet.address) };
}

/** Signs a national ID VC-JWT for `holder` in govcred's format (two status entries, schema reference). */
export async function issueCredential(
  agency: BenchAgency,
  holder: BenchHolder,
  deployment: RegistryDeployment,
  /** A signing key of the agency's DID document instead of its owner key, named by header `kid`. */
  signing?: { key: Wallet; kid: string; issuedAt: Date },
): Promise<string> {
  const credential = buildCredential({
    type: BENCH_TYPE,
    id: `urn:uuid:${randomUUID()}`,
    issuerDid: agency.did,
    subjectDid: holder.did,
    claims: CLAIMS,
    schema: schemaReference(BENCH_TYPE),
    status: statusEntries({
      chainId: 31337,
      statusRegistry: deployment.statusRegistry,
      owner: agency.wallet.address,
      revocationListId: REVOCATION_LIST,
      suspensionListId: SUSPENSION_LIST,
      index: randomInt(0, 2 ** 17),
    }),
    issuanceDate: signing?.issuedAt ?? new Date(Date.now() - 60_000),
  });
  return createVerifiableCredentialJwt(
    credential as never,
    { did: agency.did, signer: ES256KSigner(getBytes((signing?.key ?? agency.wallet).privateKey)), alg: 'ES256K' },
    signing ? { header: { alg: 'ES256K', kid: signing.kid } } : {},
  );
}

/** The holder signs a VP-JWT carrying `credential`, answering `challenge` for `domain`. */
export function presentCredential(holder: BenchHolder, credential: string, challenge: string, domain: string): Promise<string> {
  return createVerifiablePresentationJwt(
    {
      vp: {
        '@context': ['https://www.w3.org/2018/credentials/v1'],
        type: ['VerifiablePresentation'],
        verifiableCredential: [credential],
      },
    } as never,
    { did: holder.did, signer: ES256KSigner(getBytes(holder.wallet.privateKey)), alg: 'ES256K' },
    { challenge, domain },
  );
}
