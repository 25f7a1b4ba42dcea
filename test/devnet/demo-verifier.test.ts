import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Wallet } from 'ethers';
import { VerifierRegistryClient, createProvider, ethrDid } from '../../libs/credentials/src/index.js';
import { startChainNode } from '../../scripts/lib/chain-node.js';
import type { DevnetManifest } from '../../scripts/lib/manifest.js';
import { startSystem, type LocalSystem } from '../../scripts/lib/system.js';
import { freePort } from '../support/free-port.js';

/**
 * `npm start` (from the build, as the demo test): the demo verifier's DID is registered on chain, its key kept in
 * secrets.json, its account tied to the DID; a restart reuses all of it, and a manifest from before registrations
 * (an account without a DID) is brought up to date.
 */
test('npm start registers the demo verifier on chain and ties its account to the DID, once', async () => {
  const home = mkdtempSync(path.join(tmpdir(), 'govcred-system-'));
  const chainPort = await freePort();
  const chain = await startChainNode({ hostname: '127.0.0.1', port: chainPort });
  const provider = createProvider(`http://127.0.0.1:${chainPort}`, 31337);
  const lines: string[] = [];
  const start = async () =>
    startSystem({ home, chainHost: '127.0.0.1', chainPort, issuerPort: await freePort(), verifierPort: await freePort(), log: (l) => lines.push(l) });
  const manifest = () => JSON.parse(readFileSync(path.join(home, 'devnet.json'), 'utf8')) as DevnetManifest;
  let system: LocalSystem | undefined;
  try {
    system = await start();
    const key = (JSON.parse(readFileSync(path.join(home, 'secrets.json'), 'utf8')) as { demoVerifierKey: string }).demoVerifierKey;
    const address = new Wallet(key).address;
    const first = manifest();
    expect(first.verifiers).toEqual([
      {
        id: expect.any(String),
        name: '示例用人单位 (Example Employer)',
        did: ethrDid(31337, address),
        apiKey: expect.any(String),
        signsRequests: true,
        clerks: [{ username: 'employer.clerk', password: expect.any(String) }],
      },
    ]);
    expect(first.contracts.verifierRegistry).toMatch(/^0x[0-9a-fA-F]{40}$/);
    const registry = new VerifierRegistryClient(first.contracts.verifierRegistry, provider);
    expect(await registry.registrations(address)).toHaveLength(1);
    // Its registration bounds what it may ask: a query beyond it is refused before any presentation is looked at.
    const asks = (apiKey: string, claims: string[]) =>
      fetch(`${first.services.verifier}/presentations/verify`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
        body: JSON.stringify({
          verifiablePresentation: 'a.b.c',
          options: { challenge: 'made-up', domain: 'x', query: { credentials: [{ type: 'NationalIdCredential', claims }] } },
        }),
      }).then((r) => r.status);
    expect([await asks(first.verifiers[0].apiKey, ['age_over_18']), await asks(first.verifiers[0].apiKey, ['nameZh'])]).toEqual([200, 403]);
    // The demo staff: a clerk, an officer and an auditor per agency, recorded with passwords that work, and the portal.
    expect(first.agencies.map((a) => a.staff?.map((s) => s.role))).toEqual(first.agencies.map(() => ['clerk', 'officer', 'auditor']));
    const clerk = first.agencies.find((a) => a.credentialTypes.includes('EducationCredential'))!.staff![0];
    expect(clerk.username).toBe('nju.clerk');
    const signIn = await fetch(`${first.services.issuer}/staff/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: clerk.username, password: clerk.password }) });
    expect(signIn.status).toBe(200);
    const portal = await fetch(`${first.services.issuer}/portal/`);
    expect(portal.status).toBe(200);
    expect(await portal.text()).toContain('<div id="root">');
    // The demo clerk signs in at the verifier's counter page, served at /.
    const counter = await fetch(`${first.services.verifier}/`);
    expect([counter.status, await counter.text()]).toEqual([200, expect.stringContaining('<div id="root">')]);
    const { username, password } = first.verifiers[0].clerks![0];
    const clerkSignIn = await fetch(`${first.services.verifier}/counter/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
    expect(clerkSignIn.status).toBe(200);
    // The verifier holds the DID's key: the demo verifier signs OpenID4VP requests.
    const oid4vp = await fetch(`${first.services.verifier}/oid4vp/requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': first.verifiers[0].apiKey },
      body: JSON.stringify({
        dcql_query: { credentials: [{ id: 'id', format: 'dc+sd-jwt', meta: { vct_values: ['urn:govcred:vct:NationalIdCredential:1'] }, claims: [{ path: ['age_over_18'] }] }] },
      }),
    });
    expect([oid4vp.status, ((await oid4vp.json()) as { authorizationRequestUri?: string }).authorizationRequestUri]).toEqual([201, expect.stringMatching(/^openid4vp:\/\//)]);
    await system.stop();

    // A home from before registrations: its verifier entry has no DID.
    writeFileSync(path.join(home, 'devnet.json'), JSON.stringify({ ...first, verifiers: [{ id: 'legacy', name: 'Example Employer', apiKey: 'gvk_legacy' }] }));
    system = await start();
    const second = manifest();
    expect(second.verifiers).toEqual([expect.objectContaining({ did: first.verifiers[0].did })]);
    expect(second.verifiers[0].id).not.toBe(first.verifiers[0].id);
    // The first account's clerk keeps its name; the new account's clerk gets one of its own.
    expect(second.verifiers[0].clerks).toEqual([{ username: `employer.clerk.${second.verifiers[0].id.slice(0, 8)}`, password: expect.any(String) }]);
    await system.stop();

    // A plain restart reuses the registration and the account.
    system = await start();
    expect(manifest().verifiers).toEqual(second.verifiers);
    expect(await registry.registrations(address)).toHaveLength(1); // never registered twice
    expect(lines.filter((l) => l.includes('registering did:ethr'))).toHaveLength(1);
  } finally {
    await system?.stop();
    provider.destroy();
    await chain.stop();
  }
}, 180_000);
