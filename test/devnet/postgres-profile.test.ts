import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DevnetManifest } from '../../scripts/lib/manifest.js';
import { issueRequest, holderDid } from '../issuer/claims.js';
import { freePort } from '../support/free-port.js';
import { postgresServerTest } from '../support/postgres.js';
import { SAMPLE_CLAIMS } from '../support/sample-claims.js';
import { preAuthorizedCodeOf } from '../support/offer-code.js';

const root = path.resolve(import.meta.dirname, '../..');
const mode = (file: string) => statSync(file).mode & 0o777;

async function json(url: string, init: RequestInit = {}): Promise<{ status: number; body: any }> {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

/** Umask of a live process and of its children (Linux /proc), e.g. `0077`. */
function umasks(pid: number): string[] {
  const of = (p: number) => /^Umask:\s+(\d+)/m.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? '?';
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  return [of(pid), ...children.map(of)];
}

/**
 * `GOVCRED_PROFILE=postgres npm start` from the build (npm test builds first), as an operator runs it: a local
 * PostgreSQL cluster under GOVCRED_HOME, two replicas of each service, Ctrl-C stops everything.
 */
postgresServerTest(
  'the postgres profile runs two replicas of each service on one cluster; offers and credentials cross replicas; Ctrl-C stops all',
  async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'govcred-pg-profile-'));
    const ports = { chain: await freePort(), issuer: await freePort(), verifier: await freePort(), postgres: await freePort() };
    const child = spawn(process.execPath, [path.join(root, 'dist/scripts/devnet.js')], {
      cwd: root,
      env: {
        ...process.env,
        GOVCRED_PROFILE: 'postgres',
        GOVCRED_HOME: home,
        GOVCRED_CHAIN_PORT: String(ports.chain),
        GOVCRED_ISSUER_PORT: String(ports.issuer),
        GOVCRED_VERIFIER_PORT: String(ports.verifier),
        GOVCRED_PG_PORT: String(ports.postgres),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const replicaPorts: number[] = [];
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`not ready in time:\n${out}`)), 150_000);
        const onData = (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes('ready. Press Ctrl-C to stop.')) (clearTimeout(timer), resolve());
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        void exited.then((code) => (clearTimeout(timer), reject(new Error(`devnet exited (${code}):\n${out}`))));
      });

      const manifest = JSON.parse(readFileSync(path.join(home, 'devnet.json'), 'utf8')) as DevnetManifest;
      const { issuerReplicas = [], verifierReplicas = [] } = manifest.services;
      expect(manifest.profile).toBe('postgres');
      expect(issuerReplicas).toHaveLength(2);
      expect(verifierReplicas).toHaveLength(2);
      expect([manifest.services.issuer, manifest.services.verifier]).toEqual([issuerReplicas[0], verifierReplicas[0]]);
      expect(issuerReplicas[0]).toBe(`http://127.0.0.1:${ports.issuer}`);
      // Every URL is printed.
      for (const url of [...issuerReplicas, ...verifierReplicas]) expect(out).toContain(url);
      replicaPorts.push(...[...issuerReplicas, ...verifierReplicas].map((url) => Number(new URL(url).port)));
      for (const url of issuerReplicas) expect((await json(`${url}/credential-types`)).status).toBe(200);
      for (const url of verifierReplicas) expect((await json(`${url}/health`)).body.status).toBe('ok');

      // An offer made at the first issuer is redeemed at the second (same database, same public URL).
      const university = manifest.agencies.find((a) => a.credentialTypes.includes('EducationCredential'))!;
      const agencyHeaders = { 'content-type': 'application/json', 'x-api-key': university.apiKey };
      const offer = await json(`${issuerReplicas[0]}/oid4vci/offers`, {
        method: 'POST',
        headers: agencyHeaders,
        body: JSON.stringify({ type: 'EducationCredential', claims: SAMPLE_CLAIMS.EducationCredential }),
      });
      expect(offer.status).toBe(201);
      expect(offer.body.credentialIssuer).toBe(`${issuerReplicas[0]}/oid4vci/${university.id}`);
      // The offer made on the first replica is read from the second, by the reference in its QR code.
      const code = await preAuthorizedCodeOf(offer.body.offerUri, { origin: issuerReplicas[1] });
      const token = await json(`${issuerReplicas[1]}/oid4vci/${university.id}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code', 'pre-authorized_code': code }).toString(),
      });
      expect([token.status, typeof token.body.access_token]).toEqual([200, 'string']);

      // A credential issued at the first is found and revoked at the second, and the change is seen at the first.
      const issued = await json(`${issuerReplicas[0]}/credentials/issue`, {
        method: 'POST',
        headers: agencyHeaders,
        body: JSON.stringify(issueRequest('EducationCredential', holderDid(7))),
      });
      expect(issued.status).toBe(201);
      const jti = JSON.parse(Buffer.from(issued.body.verifiableCredential.split('.')[1], 'base64url').toString()).jti as string;
      expect((await json(`${issuerReplicas[1]}/credentials/${encodeURIComponent(jti)}`, { headers: agencyHeaders })).status).toBe(200);
      const revoke = await json(`${issuerReplicas[1]}/credentials/status`, { method: 'POST', headers: agencyHeaders, body: JSON.stringify({ credentialId: jti, action: 'revoke' }) });
      expect(revoke.status).toBe(202);
      expect((await json(`${issuerReplicas[0]}/credentials/status/${revoke.body.id}`, { headers: agencyHeaders })).body.credentialId).toBe(jti);
      // Both replicas run the workers under one lease: the revocation is anchored exactly once.
      let state = '';
      for (let i = 0; i < 120 && state !== 'anchored'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        state = (await json(`${issuerReplicas[i % 2]}/credentials/status/${revoke.body.id}`, { headers: agencyHeaders })).body.state;
      }
      expect(state).toBe('anchored');

      // A challenge taken at one verifier is known at the other (the garbage presentation fails on its own).
      const employer = manifest.verifiers[0];
      const headers = { 'content-type': 'application/json', 'x-api-key': employer.apiKey };
      const challenge = await json(`${verifierReplicas[0]}/challenges`, { method: 'POST', headers, body: '{}' });
      expect(challenge.status).toBe(201);
      const verified = await json(`${verifierReplicas[1]}/presentations/verify`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ verifiablePresentation: 'a.b.c', options: { challenge: challenge.body.challenge, domain: challenge.body.domain } }),
      });
      const codes = (verified.body.problems as Array<{ code: string }>).map((p) => p.code);
      expect([verified.status, verified.body.verified, codes.length > 0, codes.includes('challenge_unknown')]).toEqual([200, false, true, false]);

      // Owner-only: umask 077 in the devnet and every process it started; the home (passable by the postgres
      // account when the server runs as it), the cluster, logs and manifest.
      expect(new Set(umasks(child.pid!))).toEqual(new Set(['0077']));
      expect(mode(home)).toBe(process.getuid?.() === 0 ? 0o710 : 0o700);
      expect(mode(path.join(home, 'postgres'))).toBe(0o700);
      for (const file of ['devnet.json', 'secrets.json', 'issuer.log', 'issuer-2.log', 'verifier.log', 'verifier-2.log', 'chain.log']) {
        expect([file, mode(path.join(home, file))]).toEqual([file, 0o600]);
      }
    } finally {
      child.kill('SIGINT'); // as Ctrl-C
      const code = await exited;
      expect(code).toBe(0);
      for (const [name, port] of [...Object.entries(ports), ...replicaPorts.map((p) => ['replica', p] as const)]) {
        expect([name, port, await listening(port)]).toEqual([name, port, false]);
      }
      rmSync(home, { recursive: true, force: true });
    }
  },
  240_000,
);
