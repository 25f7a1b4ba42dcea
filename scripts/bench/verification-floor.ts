/**
 * The floor of a presentation verification over HTTP, measured beside the verifier in the same run: a bare
 * `node:http` server that does per `POST /presentations/verify` only what no verifier can skip, and nothing of
 * govcred.
 *
 * - the body read whole (bounded), `JSON.parse`d;
 * - the VP-JWT and its one VC-JWT split and decoded (base64url, `JSON.parse`), `alg` ES256K;
 * - both ES256K signatures checked with libsecp256k1 (`es256kVerify`, as the service and the bare checks), the keys
 *   in hand, found by the `iss` address;
 * - `nonce` is the challenge, `aud` names the domain;
 * - the challenge used up by one conditional `UPDATE` on SQLite (WAL, `synchronous = NORMAL`: the verifier's
 *   defaults), shared by the workers;
 * - a small JSON answer.
 *
 * What the service does beyond it: DID documents (from its chain mirror), holder binding, the credential's
 * validity, schema, status and accreditation, the request's query, the verifier's registration, readable problems,
 * the error contract, Nest's routing around the lean route.
 *
 * `bench-verifier-floor`: run as a child process with the same number of node:cluster workers as the verifier
 * (`FLOOR_WORKERS`), `FLOOR_PORT`, `FLOOR_SQLITE_PATH` and `FLOOR_KEYS` (JSON: lower-case address → uncompressed
 * point, hex). `POST /challenges` (a JSON array of challenges) loads challenges untimed; `GET /health` answers once
 * the server listens. Bench code only: it checks far less than a verifier must.
 */
import cluster from 'node:cluster';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import Database from 'better-sqlite3';
import { es256kVerify } from '../../libs/credentials/src/crypto/secp256k1.js';

/** The largest body read, as the verifier's default `VERIFIER_BODY_LIMIT`. */
const BODY_LIMIT = 1024 * 1024;

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > BODY_LIMIT) {
        resolve(undefined);
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', () => resolve(undefined));
  });
}

const decodeSection = (section: string) => JSON.parse(Buffer.from(section, 'base64url').toString('utf8')) as Record<string, unknown>;

/** The payload of an ES256K compact JWT whose signer `iss` (a did:ethr) has a key in `keys` that signed it. */
function signedPayload(jwt: unknown, keys: Map<string, Uint8Array>): Record<string, unknown> | undefined {
  if (typeof jwt !== 'string') return undefined;
  const first = jwt.indexOf('.');
  const second = jwt.indexOf('.', first + 1);
  if (first < 0 || second < 0) return undefined;
  const header = decodeSection(jwt.slice(0, first));
  const payload = decodeSection(jwt.slice(first + 1, second));
  const key = typeof payload.iss === 'string' ? keys.get(payload.iss.slice(payload.iss.lastIndexOf(':') + 1).toLowerCase()) : undefined;
  if (header.alg !== 'ES256K' || !key) return undefined;
  return es256kVerify(key, jwt.slice(0, second), Buffer.from(jwt.slice(second + 1), 'base64url')) ? payload : undefined;
}

function answer(res: ServerResponse, status: number, value: unknown): void {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
  res.end(body);
}

function openDatabase(file: string): Database.Database {
  const db = new Database(file);
  db.pragma('busy_timeout = 10000');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  return db;
}

function serve(port: number, file: string, keys: Map<string, Uint8Array>): void {
  const db = openDatabase(file);
  const insert = db.prepare('INSERT INTO challenge (id, expires_at) VALUES (?, ?)');
  const insertAll = db.transaction((ids: string[], expiresAt: number) => ids.forEach((id) => insert.run(id, expiresAt)));
  const consume = db.prepare('UPDATE challenge SET used_at = ? WHERE id = ? AND used_at IS NULL AND expires_at > ?');
  const server = createServer((req, res) => {
    void (async () => {
      if (req.method === 'GET' && req.url === '/health') return answer(res, 200, { ok: true });
      const body = await readBody(req);
      if (!body) return answer(res, 413, { code: 'payload_too_large' });
      if (req.url === '/challenges') {
        insertAll(JSON.parse(body.toString('utf8')) as string[], Date.now() + 3_600_000);
        return answer(res, 201, {});
      }
      const request = JSON.parse(body.toString('utf8')) as { verifiablePresentation?: unknown; options: { challenge: string; domain: string } };
      const vp = signedPayload(request.verifiablePresentation, keys);
      const credentials = (vp?.vp as { verifiableCredential?: unknown[] } | undefined)?.verifiableCredential;
      const vc = credentials?.length === 1 ? signedPayload(credentials[0], keys) : undefined;
      const audience = Array.isArray(vp?.aud) ? vp.aud : [vp?.aud];
      const now = Date.now();
      const verified = vc !== undefined && vp!.nonce === request.options.challenge && audience.includes(request.options.domain) && consume.run(now, request.options.challenge, now).changes === 1;
      answer(res, 200, { verified, problems: [] });
    })().catch(() => answer(res, 400, { code: 'invalid_request' }));
  });
  server.listen(port, '127.0.0.1', () => {
    if (cluster.isWorker) process.send?.('listening');
    else console.log(`[verification-floor] listening on ${port}`);
  });
}

function main(): void {
  const port = Number(process.env.FLOOR_PORT);
  const file = process.env.FLOOR_SQLITE_PATH!;
  const workers = Number(process.env.FLOOR_WORKERS ?? 1);
  if (cluster.isPrimary) {
    const db = openDatabase(file);
    db.exec('CREATE TABLE IF NOT EXISTS challenge (id TEXT PRIMARY KEY, expires_at INTEGER NOT NULL, used_at INTEGER)');
    db.close();
  }
  if (cluster.isPrimary && workers > 1) {
    let listening = 0;
    for (let i = 0; i < workers; i++) {
      cluster.fork().on('message', (message) => {
        if (message === 'listening' && ++listening === workers) console.log(`[verification-floor] ${workers} workers listening on ${port}`);
      });
    }
    const stop = () => {
      for (const worker of Object.values(cluster.workers ?? {})) worker?.kill();
      process.exit(0);
    };
    process.on('SIGTERM', stop).on('SIGINT', stop);
    return;
  }
  const keys = new Map(Object.entries(JSON.parse(process.env.FLOOR_KEYS!) as Record<string, string>).map(([address, point]) => [address, Uint8Array.from(Buffer.from(point, 'hex'))]));
  serve(port, file, keys);
}

main();
