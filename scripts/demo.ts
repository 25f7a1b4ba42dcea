/**
 * `npm run demo`: the whole govcred story, told step by step against a running system. It brings up its own
 * system (chain, registries, issuer, verifier, demo agencies) in a temporary folder on free ports, so it can
 * really stop the issuer half-way without touching a system started with `npm start`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from './lib/paths.js';
import { freePort } from './lib/processes.js';
import { SAMPLE_CLAIMS } from './lib/sample-claims.js';
import { startSystem, type LocalSystem } from './lib/system.js';

const home = mkdtempSync(path.join(tmpdir(), 'govcred-demo-'));
const walletEnv = {
  GOVCRED_WALLET: path.join(home, 'citizen-wallet.json'),
  GOVCRED_MANIFEST: path.join(home, 'devnet.json'),
  GOVCRED_WALLET_PASSPHRASE: 'zhang-san demo passphrase',
};
let step = 0;

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

  say(`${bureau.name} issues his resident ID card`, 'The bureau makes an OID4VCI offer with a PIN sent by SMS; his wallet redeems it.');
  const idOffer = await http<{ offerUri: string; txCode: string }>('POST', `${issuer}/oid4vci/offers`, {
    type: 'NationalIdCredential',
    claims: SAMPLE_CLAIMS.NationalIdCredential,
    txCode: true,
  }, { 'x-api-key': bureau.apiKey });
  console.log(`   offer: ${idOffer.offerUri.slice(0, 72)}…   PIN: ${idOffer.txCode}`);
  check((await wallet('receive', '--pin', idOffer.txCode, idOffer.offerUri)).code === 0, 'receiving the ID card failed');

  say(`${university.name} issues his diploma`, 'Same protocol, another agency, no PIN this time.');
  const diplomaOffer = await http<{ offerUri: string }>('POST', `${issuer}/oid4vci/offers`, {
    type: 'EducationCredential',
    claims: { ...SAMPLE_CLAIMS.EducationCredential, holderName: 'ZHANG San', holderNameZh: '张三' },
  }, { 'x-api-key': university.apiKey });
  check((await wallet('receive', diplomaOffer.offerUri)).code === 0, 'receiving the diploma failed');

  say('His wallet, in Chinese', 'Labels from the catalog, status read from the chain (whole lists: the node cannot tell which).');
  await wallet('--lang', 'zh-CN', 'list');

  say(
    `${employer.name} may ask only what it is registered for`,
    `Governance registered its DID on chain for education and age questions; asking for the ID card number is refused.`,
  );
  const overAsking = await fetch(`${verifier}/presentation-requests`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': employer.apiKey },
    body: JSON.stringify({ query: { credentials: [{ type: 'NationalIdCredential', claims: ['citizenIdNumber'] }] } }),
  });
  const overAskingBody = (await overAsking.json()) as { code?: string; details?: unknown };
  check(overAsking.status === 403 && overAskingBody.code === 'request_not_registered', 'asking beyond the registration was not refused');
  console.log(`   ${overAsking.status} ${overAskingBody.code}: ${JSON.stringify(overAskingBody.details)}`);

  say(`${employer.name} asks for proof`, 'With its verifier account it asks for the diploma (degree and name), within its registration, with a one-time challenge.');
  const ask = () =>
    http<{ id: string }>(
      'POST',
      `${verifier}/presentation-requests`,
      { query: { credentials: [{ type: 'EducationCredential', claims: ['degree', 'holderNameZh'] }] } },
      { 'x-api-key': employer.apiKey },
    );
  const first = await ask();

  say('The issuer goes offline', 'Verification needs only the presentation and the chain.');
  await system.stopService('issuer');

  say('Zhang San presents, and the employer verifies', 'Consent given with --yes; only the asked credentials are sent.');
  const accepted = await wallet('present', '--yes', `${verifier}/presentation-requests/${first.id}`);
  check(accepted.code === 0 && accepted.out.includes('accepted'), 'the honest presentation was not accepted');

  say('Only the employer reads what was disclosed', 'The wallet got the outcome alone; the result is kept for the employer until retention ends.');
  const result = await http<{ state: string; result?: { verified: boolean; credentials: Array<{ type: string; claims: Record<string, unknown> }> } }>(
    'GET',
    `${verifier}/presentation-requests/${first.id}`,
    undefined,
    { 'x-api-key': employer.apiKey },
  );
  check(result.state === 'completed' && result.result?.verified === true, 'the employer could not read its result');
  for (const c of result.result!.credentials) console.log(`   ${c.type}: ${Object.keys(c.claims).join(', ')}`);
  const anonymous = await http<Record<string, unknown>>('GET', `${verifier}/presentation-requests/${first.id}`);
  check(!('result' in anonymous), 'the result was shown without the API key');
  console.log(`   without the key: ${Object.keys(anonymous).join(', ')}`);

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

  say('Zhang San presents the same credentials again', 'His wallet now shows the diploma as revoked; he insists (--any-status).');
  const second = await ask();
  const refused = await wallet('present', '--yes', '--any-status', `${verifier}/presentation-requests/${second.id}`);
  check(refused.code === 3 && refused.out.includes('credential_revoked'), 'the revoked diploma was not refused');

  console.log('\n━━ The end: issued once, verified without the issuer, revoked on chain, refused everywhere at once.\n');
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
