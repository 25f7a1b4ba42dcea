import path from 'node:path';
import { startDevnet, type Devnet, type DevnetOptions } from './devnet.js';
import { writeManifest } from './manifest.js';
import { startService, type ServiceProcess } from './service.js';

/** Settings of the whole local system. */
export interface SystemOptions extends DevnetOptions {
  issuerPort: number;
  verifierPort: number;
}

/** The running local system. */
export interface LocalSystem {
  devnet: Devnet;
  services: ServiceProcess[];
  stop(): Promise<void>;
}

/** Chain settings every service reads from its environment. */
function chainEnv(devnet: Devnet): Record<string, string> {
  const { chain, contracts } = devnet.manifest;
  return {
    CHAIN_RPC_URL: chain.rpcUrl,
    CHAIN_ID: String(chain.chainId),
    DID_REGISTRY: contracts.didRegistry,
    TRUST_REGISTRY: contracts.trustRegistry,
    STATUS_REGISTRY: contracts.statusRegistry,
    DEPLOY_BLOCK: String(contracts.deployBlock),
  };
}

/**
 * `npm start`: chain and registries (startDevnet), then the verifier, each service a child process with its
 * SQLite file and log under `home`; the manifest records their URLs.
 */
export async function startSystem(options: SystemOptions): Promise<LocalSystem> {
  const { log, home } = options;
  const devnet = await startDevnet(options);
  const services: ServiceProcess[] = [];
  const stop = async () => {
    for (const service of services.reverse()) await service.stop();
    await devnet.stop();
  };
  try {
    const host = options.chainHost;
    log(`verifier: starting on http://${host}:${options.verifierPort} …`);
    services.push(
      await startService({
        name: 'verifier',
        entry: 'dist/apps/verifier/src/main.js',
        url: `http://${host}:${options.verifierPort}`,
        logFile: path.join(home, 'verifier.log'),
        env: {
          ...chainEnv(devnet),
          VERIFIER_HOST: host,
          VERIFIER_PORT: String(options.verifierPort),
          VERIFIER_SQLITE_PATH: path.join(home, 'verifier.sqlite'),
        },
      }),
    );
    devnet.manifest.services.verifier = services.at(-1)!.url;
    writeManifest(devnet.manifestFile, devnet.manifest);
    return { devnet, services, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
