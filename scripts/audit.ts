/**
 * `npm run audit -- verify <export file> [--rpc URL] [--contract ADDR] [--stream ADDR] [--from-block N]
 *  [--allow-unanchored] [--json]`
 *
 * Proves to a third party, with only an export (`GET /admin/audit/export`) and the chain, that the issuer's
 * audit log was not edited, reordered or shortened up to its last anchor: every entry hash and link is
 * recomputed, the entries are grouped into the ranges the AuditAnchor contract's events anchored, and every
 * Merkle root and count is checked, as is the anchors' own running head against the contract. No call to the
 * issuer. Exit code 0 when everything holds, 1 when anything does not, 2 on a usage error.
 *
 * Entries after the last anchor prove nothing either way, so by default they fail the check (an attacker can
 * append well-formed entries at will); `--allow-unanchored` reports them as a warning instead. The stream (the
 * issuer's audit identity) comes from the export unless `--stream` pins the one the issuer published: pin it,
 * or a forger could anchor a fabricated log under a stream of their own.
 */
import { readFileSync } from 'node:fs';
import {
  checkAuditExport,
  createProvider,
  parseAuditExport,
  readAuditAnchors,
  type AuditExportCheck,
  type AuditExportProblem,
} from '../libs/credentials/src/index.js';

const USAGE = 'usage: npm run audit -- verify <export file> [--rpc URL] [--contract ADDR] [--stream ADDR] [--from-block N] [--allow-unanchored] [--json]';

function parseArgs(argv: string[]): { file: string; flags: Map<string, string | true> } | undefined {
  const [command, file, ...rest] = argv;
  if (command !== 'verify' || !file) return undefined;
  const flags = new Map<string, string | true>();
  for (let i = 0; i < rest.length; i++) {
    const name = rest[i];
    if (!name.startsWith('--')) return undefined;
    if (name === '--allow-unanchored' || name === '--json') flags.set(name, true);
    else if (i + 1 < rest.length) flags.set(name, rest[++i]);
    else return undefined;
  }
  return { file, flags };
}

async function verify(file: string, flags: Map<string, string | true>): Promise<AuditExportCheck & { stream?: string; contract?: string }> {
  const parsed = parseAuditExport(readFileSync(file, 'utf8'));
  const fail = (problems: AuditExportProblem[]) => ({ verified: false, entries: parsed.entries.length, anchors: 0, anchoredThrough: 0, unanchored: 0, problems, warnings: [] });
  if (!parsed.header || parsed.problems.length > 0) return fail(parsed.problems);
  const option = (name: string) => (typeof flags.get(name) === 'string' ? (flags.get(name) as string) : undefined);
  const contract = option('--contract') ?? parsed.header.contract;
  const stream = option('--stream') ?? parsed.header.stream;
  const fromBlock = Number(option('--from-block') ?? parsed.header.fromBlock ?? 0);
  const provider = createProvider(option('--rpc') ?? 'http://127.0.0.1:8545');
  try {
    const chainId = Number((await provider.getNetwork()).chainId);
    if (chainId !== parsed.header.chainId) {
      return fail([{ code: 'anchor_chain_broken', message: `the export names chain ${parsed.header.chainId}, the RPC serves chain ${chainId}` }]);
    }
    const { state, anchors } = await readAuditAnchors(provider, contract, stream, fromBlock);
    const result = checkAuditExport(parsed.entries, { chainId, contract, stream, state, anchors }, { allowUnanchored: flags.has('--allow-unanchored') });
    return { ...result, stream, contract };
  } finally {
    provider.destroy();
  }
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (!args) {
    console.error(USAGE);
    return 2;
  }
  const result = await verify(args.file, args.flags);
  if (args.flags.has('--json')) console.log(JSON.stringify(result, null, 2));
  else {
    console.log(`audit export ${args.file}: ${result.entries} entries; stream ${result.stream ?? '?'} on contract ${result.contract ?? '?'}`);
    console.log(`  ${result.anchors} anchors on chain, through entry ${result.anchoredThrough}; ${result.unanchored} entries after it`);
    for (const p of result.problems) console.log(`  FAIL ${p.code}: ${p.message}`);
    for (const w of result.warnings) console.log(`  WARN ${w.code}: ${w.message}`);
    console.log(result.verified ? 'VERIFIED: nothing was edited, reordered or removed up to the last anchor' : 'NOT VERIFIED');
  }
  return result.verified ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`audit verify failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
