/**
 * Verification of an agency that rotated its signing key ten times (issue 15): each rotation a new
 * `did/pub/Secp256k1/veriKey/hex` attribute and a renewed status-writer delegate, the owner changed once. The
 * verifier's own ChainState runs in process, its chain calls through a counting proxy; credentials of all eleven
 * keys (header `kid` = `#delegate-N`) are verified by the pipeline. The row says whether the DID mirror answered
 * every query from memory (`fallback` must stay 0) and how many chain calls verification made.
 */
import { Contract, Wallet, encodeBytes32String, type JsonRpcProvider, type Signer } from 'ethers';
import { ChainState } from '../../apps/verifier/src/chain/chain-state.js';
import { defaultCatalogView } from '../../apps/verifier/src/catalog-view.js';
import { loadVerifierConfig } from '../../apps/verifier/src/config/verifier.config.js';
import { DID_REGISTRY_ABI, verifyCredential } from '../../libs/credentials/src/index.js';
import { deployRegistries } from '../lib/deploy.js';
import { createAgency, createHolder, issueCredential } from './fixtures.js';
import { timedInProcess } from './load.js';
import { startRpcCounter } from './rpc-counter.js';

export interface DidRotationFigures {
  rotations: number;
  verifications: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** DID queries the mirror answered from memory / sent to ethr-did-resolver during the timed run. */
  mirrorMemory: number;
  mirrorFallback: number;
  /** Chain JSON-RPC calls during the timed run (the mirrors' polling included). */
  rpcCalls: number;
}

export async function runDidRotationBench(
  provider: JsonRpcProvider,
  governance: Signer,
  rpcUrl: string,
  options: { rotations: number; verifications: number; concurrency: number },
  log: (line: string) => void,
): Promise<DidRotationFigures> {
  const deployment = await deployRegistries(governance);
  const agency = await createAgency(provider, governance, deployment);
  let owner: Wallet = agency.wallet;
  const keys: Array<{ key: Wallet; kid: string; issuedAt: Date }> = [];
  let position = 0;
  for (let rotation = 0; rotation <= options.rotations; rotation++) {
    const registry = new Contract(deployment.didRegistry, DID_REGISTRY_ABI, owner);
    const key = new Wallet(Wallet.createRandom().privateKey);
    const tx = await registry.getFunction('setAttribute')(agency.wallet.address, encodeBytes32String('did/pub/Secp256k1/veriKey/hex'), key.signingKey.compressedPublicKey, 10 * 365 * 86_400);
    const block = (await provider.getBlock((await tx.wait()).blockNumber))!;
    keys.push({ key, kid: `${agency.did}#delegate-${++position}`, issuedAt: new Date(block.timestamp * 1000) });
    await (await registry.getFunction('addDelegate')(agency.wallet.address, encodeBytes32String('govcred/statusWriter'), Wallet.createRandom().address, 90 * 86_400)).wait();
    position++;
    if (rotation === Math.floor(options.rotations / 2)) {
      const next = new Wallet(Wallet.createRandom().privateKey, provider);
      await provider.send('hardhat_setBalance', [next.address, '0x21e19e0c9bab2400000']);
      await (await registry.getFunction('changeOwner')(agency.wallet.address, next.address)).wait();
      owner = next;
    }
  }
  const holder = createHolder();
  const credentials = await Promise.all(keys.map((k) => issueCredential(agency, holder, deployment, k)));

  const counter = await startRpcCounter(rpcUrl);
  const config = loadVerifierConfig({
    CHAIN_RPC_URL: counter.url,
    CHAIN_ID: '31337',
    DID_REGISTRY: deployment.didRegistry,
    TRUST_REGISTRY: deployment.trustRegistry,
    STATUS_REGISTRY: deployment.statusRegistry,
    VERIFIER_REGISTRY: deployment.verifierRegistry,
    DEPLOY_BLOCK: String(deployment.deployBlock),
    VERIFIER_DOMAIN: 'bench.verifier.example',
    VERIFIER_ADMIN_TOKEN: 'bench-verifier-admin-token',
  });
  const chain = new ChainState(config, defaultCatalogView());
  await chain.start();
  try {
    const ctx = chain.verificationContext();
    // Warm-up: one verification per key (the block clock and the native signature checks learn).
    for (const credential of credentials) {
      const result = await verifyCredential(credential, ctx);
      if (!result.verified) throw new Error(`did-rotation: a credential did not verify: ${JSON.stringify(result.problems)}`);
    }
    const before = { ...chain.didMirror.stats };
    counter.reset();
    const run = await timedInProcess(
      options.verifications,
      options.concurrency,
      async (i) => (await verifyCredential(credentials[i % credentials.length], ctx)).verified,
      'did-rotation: credentials that verify',
    );
    const figures: DidRotationFigures = {
      rotations: options.rotations,
      verifications: options.verifications,
      perSecond: run.perSecond,
      p50Ms: run.p50Ms,
      p99Ms: run.p99Ms,
      mirrorMemory: chain.didMirror.stats.memory - before.memory,
      mirrorFallback: chain.didMirror.stats.fallback - before.fallback,
      rpcCalls: counter.total(),
    };
    log(
      `did-rotation: ${options.rotations} rotations, ${options.verifications} verifications: ${figures.perSecond}/s in process ` +
        `(p50 ${figures.p50Ms} ms); DID mirror ${figures.mirrorMemory} from memory, ${figures.mirrorFallback} fallback; ${figures.rpcCalls} chain calls`,
    );
    if (figures.mirrorFallback !== 0) throw new Error('did-rotation: the DID mirror sent queries to ethr-did-resolver');
    return figures;
  } finally {
    chain.stop();
    await counter.close();
  }
}
