import { randomBytes } from 'node:crypto';
import { Wallet } from 'ethers';
import { VerifierRegistryClient, ethrDid, type VerifierRegistrationInput } from '../../libs/credentials/src/index.js';
import type { Devnet } from './devnet.js';
import type { ManifestClerk, ManifestVerifier } from './manifest.js';

/**
 * The demo verifier of `npm start`, an employer, as governance registers it on the VerifierRegistry: education
 * questions (degree and its ISCED level, institution, graduation date, name on the diploma) and whether the holder
 * is over 18.
 */
export const DEMO_VERIFIER_REGISTRATION: Pick<VerifierRegistrationInput, 'name' | 'purpose' | 'credentials'> = {
  name: { 'zh-CN': '示例用人单位', en: 'Example Employer' },
  purpose: {
    'zh-CN': '招聘：核验应聘者的学历学位及是否年满18周岁',
    en: "Hiring: checks an applicant's degree and that they are over 18",
  },
  credentials: [
    // degree_level (derived, ISCED): the counter page's "holds a bachelor's degree" asks only that.
    { type: 'EducationCredential', claims: [['degree'], ['degree_level'], ['institution'], ['institutionZh'], ['graduationDate'], ['holderName'], ['holderNameZh']] },
    { type: 'NationalIdCredential', claims: [['age_over_18']] },
  ],
};

/**
 * Registers the demo verifier's DID on chain unless a registration is in force (a reused deployment keeps it).
 * @param key The demo verifier's private key (kept in secrets.json): its address is the DID's identity.
 * @returns the DID
 */
export async function registerDemoVerifier(devnet: Devnet, key: string, log: (line: string) => void): Promise<string> {
  const address = new Wallet(key).address;
  const did = ethrDid(devnet.manifest.chain.chainId, address);
  const registry = new VerifierRegistryClient(devnet.manifest.contracts.verifierRegistry, devnet.governance);
  const now = (await devnet.provider.getBlock('latest'))!.timestamp;
  if (await registry.isRegistered(address, now)) {
    log(`verifiers: ${did} is registered on the VerifierRegistry`);
  } else {
    log(`verifiers: registering ${did} on the VerifierRegistry (education and age questions) …`);
    await registry.register(address, DEMO_VERIFIER_REGISTRATION);
  }
  return did;
}

/**
 * Creates the demo verifier's account on the verifier service, tied to its registered DID, handing the verifier the
 * DID's key (kept sealed under VERIFIER_KEY_SECRET) so it signs the account's OpenID4VP requests.
 */
export async function createDemoVerifier(verifierUrl: string, adminToken: string, did: string, signingKey: string): Promise<ManifestVerifier> {
  const { name } = DEMO_VERIFIER_REGISTRATION;
  const response = await fetch(`${verifierUrl}/admin/verifiers`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
    body: JSON.stringify({ name, did, signingKey }),
  });
  const body = (await response.json()) as { id: string; apiKey: string };
  if (response.status !== 201) throw new Error(`creating the demo verifier failed: ${response.status} ${JSON.stringify(body)}`);
  return { id: body.id, name: `${name['zh-CN']} (${name.en})`, did, apiKey: body.apiKey, signsRequests: true };
}

/**
 * The demo verifier's counter clerk (signs in at `/` on the verifier), made through the admin API with a random
 * password kept in the manifest (a devnet: the manifest is owner-only, and nothing real is behind the account).
 * Usernames are unique across accounts: when an earlier account of this database holds `employer.clerk` (a
 * manifest from before registrations got a new account), the new clerk's name carries its account's id.
 */
export async function createDemoClerk(verifierUrl: string, adminToken: string, verifierId: string): Promise<ManifestClerk> {
  for (const username of ['employer.clerk', `employer.clerk.${verifierId.slice(0, 8)}`]) {
    const clerk = { username, password: randomBytes(12).toString('base64url') };
    const response = await fetch(`${verifierUrl}/admin/verifiers/${verifierId}/clerks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({ ...clerk, displayName: '柜员 Counter clerk' }),
    });
    if (response.status === 201) return clerk;
    if (response.status !== 409) throw new Error(`creating the demo clerk failed: ${response.status} ${await response.text()}`);
  }
  throw new Error('creating the demo clerk failed: its usernames are taken');
}
