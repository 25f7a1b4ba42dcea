/**
 * `npm start`: the whole local system on embedded defaults; `GOVCRED_PROFILE=postgres npm start` on a local
 * PostgreSQL cluster with two replicas of each service. Ctrl-C stops everything it started.
 *
 * Settings (environment): GOVCRED_HOME (.govcred), GOVCRED_PROFILE (embedded), GOVCRED_CHAIN_HOST (127.0.0.1),
 * GOVCRED_CHAIN_PORT (8545), GOVCRED_ISSUER_PORT (3001), GOVCRED_VERIFIER_PORT (3002), GOVCRED_PG_PORT (a free
 * port), GOVCRED_GOVERNANCE_KEY (Hardhat's development account #0 when unset: local chain only).
 */
import path from 'node:path';
import { restrictUmask } from '../apps/common/src/runtime/private-files.js';
import { startSystem, type SystemProfile } from './lib/system.js';

function port(value: string | undefined, fallback: number): number {
  const n = Number(value ?? fallback);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`invalid port: ${value}`);
  return n;
}

function profile(value: string | undefined): SystemProfile {
  if (value === undefined || value === '' || value === 'embedded') return 'embedded';
  if (value === 'postgres') return 'postgres';
  throw new Error(`GOVCRED_PROFILE must be embedded or postgres, not ${JSON.stringify(value)}`);
}

const log = (line: string) => console.log(`[govcred] ${line}`);

async function main(): Promise<void> {
  // Everything under GOVCRED_HOME and whatever else this run writes: owner-only.
  restrictUmask();
  const system = await startSystem({
    home: path.resolve(process.env.GOVCRED_HOME ?? '.govcred'),
    chainHost: process.env.GOVCRED_CHAIN_HOST ?? '127.0.0.1',
    chainPort: port(process.env.GOVCRED_CHAIN_PORT, 8545),
    issuerPort: port(process.env.GOVCRED_ISSUER_PORT, 3001),
    verifierPort: port(process.env.GOVCRED_VERIFIER_PORT, 3002),
    profile: profile(process.env.GOVCRED_PROFILE),
    postgresPort: process.env.GOVCRED_PG_PORT ? port(process.env.GOVCRED_PG_PORT, 0) : undefined,
    governanceKey: process.env.GOVCRED_GOVERNANCE_KEY,
    log,
  });
  const { devnet } = system;
  for (const service of system.services.values()) log(`${service.name}: ${service.url}  (API docs: ${service.url}/docs)`);
  const issuer = system.services.get('issuer')!.url;
  const verifier = system.services.get('verifier')!.url;
  const university = devnet.manifest.agencies.find((a) => a.credentialTypes.includes('EducationCredential'));
  const employer = devnet.manifest.verifiers[0];
  const staff = devnet.manifest.agencies.flatMap((a) => (a.staff ?? []).map((s) => `  ${s.username.padEnd(16)} ${s.password}   ${s.role.padEnd(8)} ${a.name}`));
  const clerks = devnet.manifest.verifiers.flatMap((v) => (v.clerks ?? []).map((c) => `  ${c.username.padEnd(16)} ${c.password}   clerk    ${v.name}`));
  // The names the story hint uses: the university's staff and the demo verifier's counter clerk.
  const staffName = (role: string, fallback: string) => university?.staff?.find((s) => s.role === role)?.username ?? fallback;
  const counterClerk = employer?.clerks?.[0]?.username ?? 'employer.clerk';
  console.log(`
govcred is running. Agencies and verifier accounts, with their API keys: ${devnet.manifestFile}

Open the three pages in a browser (zh-CN / English):
  Agency portal    ${issuer}/portal/
  Citizen wallet   ${verifier}/wallet/      (made for a phone's screen; any browser on this machine works)
  Counter page     ${verifier}/

Demo staff of the portal (username, password, role, agency; also in the manifest):
${staff.join('\n')}
Demo clerk of the counter page (username, password; also in the manifest):
${clerks.join('\n')}

Walk the story: ${staffName('clerk', 'nju.clerk')} issues a diploma (format SD-JWT VC) → wallet, Receive: scan its QR code (or paste the offer link), the PIN → counter, ${counterClerk}: "holds a bachelor's degree" → wallet, Present: scan (or paste) the request, agree → green.
Then read a new counter request in the wallet, let ${staffName('officer', 'nju.officer')} revoke the diploma (Records) until anchored, agree → red; the wallet lists it revoked.

Try:
  npm run demo                                   the whole story, told step by step (on its own chain and ports)
  npm run wallet -- init                         a citizen's wallet (passphrase asked, or GOVCRED_WALLET_PASSPHRASE)
  curl -s -X POST ${issuer}/oid4vci/offers -H 'content-type: application/json' \\
       -H 'x-api-key: ${university?.apiKey ?? '<agency API key>'}' \\
       -d '{"type":"EducationCredential","claims":{…}}'         a credential offer for the wallet: npm run wallet -- receive '<offerUri>'
  curl -s -X POST ${verifier}/oid4vp/requests -H 'content-type: application/json' \\
       -H 'x-api-key: ${employer?.apiKey ?? '<verifier API key>'}' \\
       -d '{"dcql_query":{"credentials":[{"id":"diploma","format":"jwt_vc_json","meta":{"type_values":[["EducationCredential"]]},"claims":[{"path":["credentialSubject","degree"]}]}]}}'
                                                 an OpenID4VP request: npm run wallet -- present '<authorizationRequestUri>'
  curl -s ${verifier}/oid4vp/requests/<id> -H 'x-api-key: …'          its result, for that verifier account only
  curl -s -X POST ${verifier}/challenges -H 'x-api-key: …'            VC-API style: a challenge for POST /presentations/verify
API docs: ${issuer}/docs  ${verifier}/docs
`);
  log('ready. Press Ctrl-C to stop.');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping …`);
    await system.stop();
    log('stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  // A chain or service this run started that dies takes the system down with it.
  for (const [name, child] of [
    ['chain', devnet.chain?.process] as const,
    ...[...system.services.values()].map((s) => [s.name, s.process] as const),
  ]) {
    child?.once('exit', (code) => {
      if (stopping) return;
      log(`${name} exited (code ${code}); stopping.`);
      void shutdown('exit');
    });
  }
}

main().catch((error: unknown) => {
  console.error(`[govcred] failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
