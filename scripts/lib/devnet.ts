import path from 'node:path';
import { HDNodeWallet, Wallet, type JsonRpcProvider } from 'ethers';
import { ensurePrivateDir, restrictFolderContents } from '../../apps/common/src/runtime/private-files.js';
import { createProvider } from '../../libs/credentials/src/index.js';
import { probeChainId, startChainNode, type ChainNode } from './chain-node.js';
import { deployRegistries } from './deploy.js';
import { readManifest, writeManifest, type DevnetManifest } from './manifest.js';

/** Settings of the local devnet. */
export interface DevnetOptions {
  /** Folder for the manifest, logs and databases. @default .govcred */
  home: string;
  /** Chain host. @default 127.0.0.1 */
  chainHost: string;
  /** Chain port. @default 8545 */
  chainPort: number;
  /** Governance private key. @default Hardhat's development account #0 (local chain only) */
  governanceKey?: string;
  /** Progress lines. */
  log: (line: string) => void;
}

/** A running devnet. */
export interface Devnet {
  manifest: DevnetManifest;
  manifestFile: string;
  provider: JsonRpcProvider;
  governance: Wallet;
  /** Pays gas for agency accounts on the devnet (Hardhat's development account #1). */
  funder: Wallet;
  /** Whether the registries were deployed by this run (services' databases of an older deployment are stale). */
  freshDeployment: boolean;
  /** The chain this run started, if it did not find one already up. */
  chain?: ChainNode;
  stop(): Promise<void>;
}

/**
 * An account of Hardhat's public development mnemonic, funded on every Hardhat node. Only ever used for the
 * local devnet: its keys are public knowledge.
 */
export function developmentAccount(index: number, provider: JsonRpcProvider): Wallet {
  const wallet = HDNodeWallet.fromPhrase(HARDHAT_MNEMONIC, undefined, `m/44'/60'/0'/0/${index}`);
  return new Wallet(wallet.privateKey, provider);
}

const HARDHAT_MNEMONIC = 'test test test test test test test test test test test junk';

async function hasCode(provider: JsonRpcProvider, addresses: string[]): Promise<boolean> {
  const codes = await Promise.all(addresses.map((a) => provider.getCode(a)));
  return codes.every((code) => code !== '0x');
}

/**
 * Brings up the chain side of the local system: a Hardhat chain (or the one already listening), the four
 * registries (reused when the manifest's addresses hold code on that chain), and `<home>/devnet.json`.
 */
export async function startDevnet(options: DevnetOptions): Promise<Devnet> {
  const { log } = options;
  // The home holds secrets, keys (in the issuer's database), personal data and logs: owner-only, including
  // what an older version left readable.
  ensurePrivateDir(options.home);
  restrictFolderContents(options.home);
  const manifestFile = path.join(options.home, 'devnet.json');
  const rpcUrl = `http://${options.chainHost}:${options.chainPort}`;

  let chain: ChainNode | undefined;
  let chainId = await probeChainId(rpcUrl);
  if (chainId !== undefined) {
    log(`chain: reusing the chain already answering at ${rpcUrl} (chain id ${chainId})`);
  } else {
    log(`chain: starting a local Hardhat chain at ${rpcUrl} …`);
    chain = await startChainNode({
      hostname: options.chainHost,
      port: options.chainPort,
      logFile: path.join(options.home, 'chain.log'),
    });
    chainId = chain.chainId;
    log(`chain: up (chain id ${chainId}; its log is ${path.join(options.home, 'chain.log')})`);
  }

  const provider = createProvider(rpcUrl, chainId);
  try {
    return await prepare(options, manifestFile, rpcUrl, chainId, provider, chain);
  } catch (error) {
    provider.destroy();
    await chain?.stop();
    throw error;
  }
}

async function prepare(
  options: DevnetOptions,
  manifestFile: string,
  rpcUrl: string,
  chainId: number,
  provider: JsonRpcProvider,
  chain: ChainNode | undefined,
): Promise<Devnet> {
  const { log } = options;
  const governance = options.governanceKey ? new Wallet(options.governanceKey, provider) : developmentAccount(0, provider);
  const funder = developmentAccount(1, provider);
  const governanceAddress = governance.address;

  const previous = readManifest(manifestFile);
  let contracts: DevnetManifest['contracts'];
  let freshDeployment = false;
  if (
    previous?.chain.chainId === chainId &&
    previous.chain.rpcUrl === rpcUrl &&
    // A manifest from before the VerifierRegistry or the AuditAnchor existed lacks their address: deploy everything afresh.
    previous.contracts.verifierRegistry !== undefined &&
    previous.contracts.auditAnchor !== undefined &&
    (await hasCode(provider, [previous.contracts.didRegistry, previous.contracts.trustRegistry, previous.contracts.statusRegistry, previous.contracts.verifierRegistry, previous.contracts.auditAnchor]))
  ) {
    contracts = previous.contracts;
    log(`registries: reusing the deployment in ${manifestFile}`);
  } else {
    log('registries: deploying EthereumDIDRegistry (ERC-1056), TrustRegistry, StatusRegistry, VerifierRegistry, AuditAnchor …');
    contracts = await deployRegistries(governance, governanceAddress);
    freshDeployment = true;
    log(`registries: deployed at block ${contracts.deployBlock}`);
  }
  log(`  did registry     ${contracts.didRegistry}`);
  log(`  trust registry   ${contracts.trustRegistry}`);
  log(`  status registry  ${contracts.statusRegistry}`);
  log(`  verifier registry ${contracts.verifierRegistry}`);
  log(`  audit anchor     ${contracts.auditAnchor}`);
  log(`  governance       ${governanceAddress}`);

  const sameDeployment = previous && previous.contracts.statusRegistry === contracts.statusRegistry;
  const manifest: DevnetManifest = {
    chain: { rpcUrl, chainId },
    contracts,
    governance: { address: governanceAddress },
    services: {},
    agencies: sameDeployment ? previous.agencies : [],
    verifiers: sameDeployment ? (previous.verifiers ?? []) : [],
  };
  writeManifest(manifestFile, manifest);
  log(`manifest: ${manifestFile}`);

  return {
    manifest,
    manifestFile,
    provider,
    governance,
    funder,
    freshDeployment,
    chain,
    async stop() {
      provider.destroy();
      await chain?.stop();
    },
  };
}
