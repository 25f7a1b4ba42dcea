import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ContractFactory, type Signer } from 'ethers';
import { repoRoot } from './paths.js';

interface Artifact {
  abi: unknown[];
  bytecode: string;
}

/** Reads a compiled contract: one of ours from artifacts/, or the ERC-1056 registry from its package. */
export function loadArtifact(name: 'StatusRegistry' | 'TrustRegistry' | 'VerifierRegistry' | 'AuditAnchor' | 'NaiveStatusRegistry' | 'EthereumDIDRegistry'): Artifact {
  if (name === 'EthereumDIDRegistry') {
    // The package's main export is the compiled artifact (abi + bytecode) of the ERC-1056 reference registry.
    const require = createRequire(import.meta.url);
    return (require('ethr-did-registry') as { EthereumDIDRegistry: Artifact }).EthereumDIDRegistry;
  }
  const source = name === 'NaiveStatusRegistry' ? `bench/${name}.sol` : `${name}.sol`;
  const file = path.join(repoRoot(), 'artifacts/contracts', source, `${name}.json`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Artifact;
  } catch (error) {
    throw new Error(`missing artifact ${file}: run "npm run compile" first`, { cause: error });
  }
}

/** Deploys one contract from its artifact and waits for it. */
export async function deployContract(name: Parameters<typeof loadArtifact>[0], signer: Signer, ...args: unknown[]): Promise<string> {
  const artifact = loadArtifact(name);
  const factory = new ContractFactory(artifact.abi as never, artifact.bytecode, signer);
  const contract = await factory.deploy(...args);
  await contract.waitForDeployment();
  return contract.getAddress();
}

/** Addresses of a govcred deployment. */
export interface RegistryDeployment {
  didRegistry: string;
  trustRegistry: string;
  statusRegistry: string;
  /** VerifierRegistry: verifiers and what they may ask, under the TrustRegistry's governance. */
  verifierRegistry: string;
  /** AuditAnchor: Merkle roots of the issuers' audit logs. */
  auditAnchor: string;
  /** Block of the first deployment transaction. */
  deployBlock: number;
}

/**
 * Deploys the ERC-1056 DID registry, the TrustRegistry (with `governance` in charge), the StatusRegistry and the
 * VerifierRegistry (governed by the TrustRegistry's governance) and the AuditAnchor.
 * @param governance TrustRegistry governance. @default the deployer
 */
export async function deployRegistries(deployer: Signer, governance?: string): Promise<RegistryDeployment> {
  const provider = deployer.provider!;
  const deployBlock = (await provider.getBlockNumber()) + 1;
  const didRegistry = await deployContract('EthereumDIDRegistry', deployer);
  const trustRegistry = await deployContract('TrustRegistry', deployer, governance ?? (await deployer.getAddress()));
  const statusRegistry = await deployContract('StatusRegistry', deployer, didRegistry);
  const verifierRegistry = await deployContract('VerifierRegistry', deployer, trustRegistry);
  const auditAnchor = await deployContract('AuditAnchor', deployer, didRegistry);
  return { didRegistry, trustRegistry, statusRegistry, verifierRegistry, auditAnchor, deployBlock };
}
