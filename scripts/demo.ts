/**
 * `npm run demo`: the whole govcred story, told step by step against a running system. It brings up its own
 * system (chain, registries, issuer, verifier, demo agencies) in a temporary folder on free ports, so it can
 * really stop the issuer half-way without touching a system started with `npm start`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Wallet } from 'ethers';
import { getCredentialType, vctOf } from '../libs/credentials/src/index.js';
import { repoRoot } from './lib/paths.js';
import { freePort } from './lib/processes.js';
import { SAMPLE_CLAIMS } from './lib/sample-claims.js';
import { serveSignedRequest } from './lib/self-served-request.js';
import { startSystem, type LocalSystem } from './lib/system.js';

const home = mkdtempSync(path.join(tmpdir(), 'govcred-demo-'));
const walletEnv = {
  GOVCRED_WALLET: path.join(home, 'citizen-wallet.json'),
  GOVCRED_MANIFEST: path.join(home, 'devnet.json'),
  GOVCRED_WALLET_PASSPHRASE: 'zhang-san demo passphrase',
};
let step = 0;

const vct = (type: string) => vctOf(getCredentialType(type)!);
/** The employer's question: over 18 (a derived claim of the ID card) and the degree level, nothing else. */
const EMPLOYER_QUERY = {
  credentials: [
    { id: 'id_card', format: 'dc+sd-jwt', meta: { vct_values: [vct('NationalIdCredential')] }, claims: [{ path: ['age_over_18'] }] },
    { id: 'diploma', format: 'dc+sd-jwt', meta: { vct_values: [vct('EducationCredential')] }, claims: [{ path: ['degree'] }] },
  ],
};
const ID_NUMBER_QUERY = { credentials: [{ id: 'id_card', format: 'dc+sd-jwt', meta: { vct_values: [vct('NationalIdCredential')] }, claims: [{ path: ['citizenIdNumber'] }] }] };

function say(title: string, text?: string): void {
  console.log(`\n━━ ${++step}. ${title}`);
  if (text) console.log(`   ${text}`);
}


/** Runs the real wallet program, as a citizen would; its output is shown indented. */
function wallet(...args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot(), 'dist/apps/wallet/src/cli.js'), ...args], {
      env: { ...process.env, ...walletEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const show = (chunk: Buffer) => {
      out += chunk.toString();
      process.stdout.write(chunk.toString().replace(/^(?=.)/gm, '   │ '));
    };
    child.stdout.on('data', show);
    child.stderr.on('data', show);
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code: code ?? 1, out }));
  });
}

async function http<T>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await response.json()) as T;
  if (!response.ok) throw new Error(`${method} ${url} → ${response.status} ${JSON.stringify(json)}`);
  return json;
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(`demo: ${message}`);
}

async function story(system: LocalSystem): Promise<void> {
  const { manifest } = system.devnet;
  const issuer = system.services.get('issuer')!.url;
  const verifier = system.services.get('verifier')!.url;
  const agency = (type: string) => manifest.agencies.find((a) => a.credentialTypes.includes(type))!;
  const bureau = agency('NationalIdCredential');
  const university = agency('EducationCredential');
  const employer = manifest.verifiers[0];

  say('Zhang San sets up his wallet', 'A key and a DID of his own; the wallet file is encrypted with his passphrase.');
  check((await wallet('init')).code === 0, 'wallet init failed');

  say(`${bureau.name} issues his resident ID card`, 'As an SD-JWT VC: every claim selectively disclosable. An OID4VCI offer with a PIN sent by SMS; his wallet redeems it.');
  const idOffer = await http<{ offerUri: string; txCode: string }>('POST', `${issuer}/oid4vci/offers`, {
    type: 'NationalIdCredential',
    format: 'dc+sd-jwt',
    claims: SAMPLE_CLAIMS.NationalIdCredential,
    txCode: true,
  }, { 'x-api-key': bureau.apiKey });
  console.log(`   offer: ${idOffer.offerUri}   PIN: ${idOffer.txCode}`);
  check((await wallet('receive', '--pin', idOffer.txCode, idOffer.offerUri)).code === 0, 'receiving the ID card failed');

  say(`${university.name} issues his diploma`, 'Same protocol and format, another agency, no PIN this time.');
  const diplomaOffer = await http<{ offerUri: string }>('POST', `${issuer}/oid4vci/offers`, {
    type: 'EducationCredential',
    format: 'dc+sd-jwt',
    claims: { ...SAMPLE_CLAIMS.EducationCredential, holderName: 'ZHANG San', holderNameZh: '张三' },
  }, { 'x-api-key': university.apiKey });
  check((await wallet('receive', diplomaOffer.offerUri)).code === 0, 'receiving the diploma failed');

  say('His wallet, in Chinese', 'Labels from the catalog, status read from the chain (whole lists: the node cannot tell which).');
  await wallet('--lang', 'zh-CN', 'list');

  say(
    `${employer.name} may ask only what it is registered for`,
    'Governance registered its DID on chain for education and age questions; asking for the ID card number is refused.',
  );
  const overAsking = await fetch(`${verifier}/oid4vp/requests`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': employer.apiKey },
    body: JSON.stringify({ dcql_query: ID_NUMBER_QUERY }),
  });
  const overAskingBody = (await overAsking.json()) as { code?: string; details?: unknown };
  check(overAsking.status === 403 && overAskingBody.code === 'request_not_registered', 'asking beyond the registration was not refused');
  console.log(`   ${overAsking.status} ${overAskingBody.code}: ${JSON.stringify(overAskingBody.details)}`);

  say(`${employer.name} asks for proof over OpenID4VP`, 'Is he over 18, and what degree level does he hold? A DCQL query; the request object is signed with its registered DID.');
  const ask = () => http<{ id: string; authorizationRequestUri: string }>('POST', `${verifier}/oid4vp/requests`, { dcql_query: EMPLOYER_QUERY }, { 'x-api-key': employer.apiKey });
  const first = await ask();
  console.log(`   QR / link: ${first.authorizationRequestUri}`);

  say('The issuer goes offline', 'Verification needs only the presentation and the chain.');
  await system.stopService('issuer');

  say('Zhang San reads the request and presents', 'His wallet checks on chain who asks and that it may ask this, shows what leaves and what stays hidden; consent given with --yes.');
  const accepted = await wallet('--lang', 'en', 'present', '--yes', first.authorizationRequestUri);
  check(accepted.code === 0 && accepted.out.includes('Registered on chain as: Example Employer'), 'the wallet did not show the registered employer');
  check(accepted.out.includes('Claims disclosed ÷ claims asked: 2 ÷ 2'), 'more left the wallet than was asked');

  say('Only the employer reads what was disclosed', 'The wallet got an acknowledgement; the result is the employer\'s, read with its API key.');
  const result = await http<{ status: string; result?: { verified: boolean; credentials: Array<{ type: string; claims: Record<string, unknown> }> } }>(
    'GET',
    `${verifier}/oid4vp/requests/${first.id}`,
    undefined,
    { 'x-api-key': employer.apiKey },
  );
  check(result.status === 'verified' && result.result?.verified === true, 'the employer could not read a verified result');
  for (const c of result.result!.credentials) console.log(`   ${c.type}: ${JSON.stringify(c.claims)}`);
  const disclosed = result.result!.credentials.flatMap((c) => Object.keys(c.claims)).sort();
  check(JSON.stringify(disclosed) === JSON.stringify(['age_over_18', 'degree']), `disclosed ${disclosed.join(', ')}`);
  console.log('   verified, with the issuer stopped: only age_over_18 and the degree level left the wallet');

  say('The issuer is back; the university revokes the diploma', 'Recorded first, then anchored on chain by the outbox worker.');
  await system.startService('issuer');
  const records = await http<{ items: Array<{ id: string; type: string }> }>('GET', `${issuer}/credentials?type=EducationCredential`, undefined, {
    'x-api-key': university.apiKey,
  });
  const diplomaId = records.items[0].id;
  const change = await http<{ id: string; state: string }>('POST', `${issuer}/credentials/status`, {
    credentialId: diplomaId,
    action: 'revoke',
  }, { 'x-api-key': university.apiKey });
  let anchored: { state: string; txHash?: string; blockNumber?: number } = change;
  for (let i = 0; i < 120 && anchored.state !== 'anchored'; i++) {
    await new Promise((r) => setTimeout(r, 250));
    anchored = await http('GET', `${issuer}/credentials/status/${change.id}`, undefined, { 'x-api-key': university.apiKey });
  }
  check(anchored.state === 'anchored', 'the revocation was not anchored');
  console.log(`   anchored in block ${anchored.blockNumber}, transaction ${anchored.txHash}`);
  // The verifier's status mirror follows the chain on its own; wait until it has seen that block.
  for (let i = 0; i < 100; i++) {
    const health = await http<{ statusMirror: { syncedBlock: number } }>('GET', `${verifier}/health`);
    if (health.statusMirror.syncedBlock >= anchored.blockNumber!) break;
    await new Promise((r) => setTimeout(r, 200));
  }

  say('Zhang San presents again', 'His wallet now shows the diploma as revoked; he insists (--any-status). The employer refuses it.');
  const second = await ask();
  check((await wallet('--lang', 'en', 'present', '--yes', '--any-status', second.authorizationRequestUri)).code === 0, 'the second response was not acknowledged');
  const refused = await http<{ status: string; result?: { problems: Array<{ code: string }> } }>('GET', `${verifier}/oid4vp/requests/${second.id}`, undefined, {
    'x-api-key': employer.apiKey,
  });
  const codes = [...new Set(refused.result?.problems.map((p) => p.code))];
  console.log(`   ${refused.status}: ${codes.join(', ')}`);
  check(refused.status === 'refused' && codes.includes('credential_revoked'), 'the revoked diploma was not refused');

  say('Second act: a "verifier" nobody registered asks for his ID number', 'It signs and serves its own request object with a did:ethr of its own; the registry on chain does not know it.');
  const rogueKey = Wallet.createRandom();
  const rogue = await serveSignedRequest({ chainId: manifest.chain.chainId, privateKeyHex: rogueKey.privateKey, address: rogueKey.address, dcqlQuery: ID_NUMBER_QUERY });
  try {
    const refusal = await wallet('--lang', 'en', 'present', '--yes', rogue.uri);
    check(refusal.code !== 0 && refusal.out.includes('not registered on the chain') && rogue.responses.length === 0, 'the wallet did not refuse the unregistered verifier');
    console.log('   refused by the wallet: nothing was sent');
  } finally {
    await rogue.close();
  }

  say('Who looked at his data', 'Every request answered or refused left a consent receipt in his encrypted wallet.');
  await wallet('--lang', 'zh-CN', 'history');

  console.log('\n━━ The end: issued once, disclosed minimally, verified without the issuer, revoked on chain, refused everywhere at once — and a verifier nobody registered got nothing.\n');
}

async function main(): Promise<void> {
  console.log('govcred demo — starting a fresh system (chain, registries, issuer, verifier, agencies) …');
  const system = await startSystem({
    home,
    chainHost: '127.0.0.1',
    chainPort: await freePort(),
    issuerPort: await freePort(),
    verifierPort: await freePort(),
    log: () => undefined,
  });
  try {
    await story(system);
  } finally {
    await system.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`\ndemo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
