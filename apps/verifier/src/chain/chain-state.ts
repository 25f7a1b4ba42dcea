import { getAddress, type JsonRpcProvider } from 'ethers';
import {
  BlockTimeIndex,
  DidMirror,
  NativeSignatureVerifier,
  StatusMirror,
  TitleMirror,
  TrustMirror,
  VerifierMirror,
  createDidResolver,
  listCredentialTypes,
  createProvider,
  type CredentialCatalogView,
  type VerificationContext,
} from '../../../../libs/credentials/src/index.js';
import type { VerifierConfig } from '../config/verifier.config.js';

/**
 * Everything the verifier knows of the chain: a status mirror, a trust mirror, a DID mirror and a verifier
 * registration mirror following new blocks (verifications ask the chain nothing about status, accreditation, the
 * keys of identities the DID mirror has seen, or what a verifier account may ask), native signature checks, and a
 * block clock for issuer keys at issuance. Started before the HTTP server listens.
 */
export class ChainState {
  readonly provider: JsonRpcProvider;
  readonly statusMirror: StatusMirror;
  /** Title transfers recorded on the StatusRegistry (property titles' history, from chain data alone). */
  readonly titleMirror: TitleMirror;
  readonly trustMirror: TrustMirror;
  readonly didMirror: DidMirror;
  readonly verifierMirror: VerifierMirror;
  private readonly context: VerificationContext;
  private stopped = false;

  constructor(
    readonly config: VerifierConfig,
    catalog: CredentialCatalogView,
    now: () => Date = () => new Date(),
  ) {
    this.provider = createProvider(config.CHAIN_RPC_URL, config.CHAIN_ID, Math.min(config.CHAIN_POLL_INTERVAL_MS, 4000));
    const follow = {
      provider: this.provider,
      fromBlock: config.DEPLOY_BLOCK,
      confirmations: config.CHAIN_CONFIRMATIONS,
      pollIntervalMs: config.CHAIN_POLL_INTERVAL_MS,
      maxStalenessMs: config.MIRROR_MAX_STALENESS_SECONDS * 1000,
    };
    this.statusMirror = new StatusMirror({ ...follow, registry: config.STATUS_REGISTRY, chainId: config.CHAIN_ID });
    this.titleMirror = new TitleMirror({ ...follow, registry: config.STATUS_REGISTRY });
    this.trustMirror = new TrustMirror({ ...follow, registry: config.TRUST_REGISTRY });
    this.verifierMirror = new VerifierMirror({
      ...follow,
      registry: config.VERIFIER_REGISTRY,
      chainId: config.CHAIN_ID,
      typeNames: listCredentialTypes().map((t) => t.type),
    });
    const chain = { chainId: config.CHAIN_ID, rpcUrl: config.CHAIN_RPC_URL, didRegistry: config.DID_REGISTRY };
    // One block clock for the pipeline (issuance time → block) and the DID mirror (validity windows by block).
    const blocks = new BlockTimeIndex(this.provider);
    // DID documents from memory; ethr-did-resolver reads the chain only for what the mirror cannot answer.
    this.didMirror = new DidMirror({
      ...follow,
      registry: config.DID_REGISTRY,
      chainId: config.CHAIN_ID,
      fallback: createDidResolver(chain, this.provider),
      blockTimes: blocks,
    });
    this.context = {
      chainId: config.CHAIN_ID,
      statusRegistry: getAddress(config.STATUS_REGISTRY),
      resolver: this.didMirror,
      // Revoked issuer keys, from the same mirror's registry history.
      keyRevocations: this.didMirror,
      signatures: new NativeSignatureVerifier(),
      blocks,
      status: this.statusMirror,
      trust: this.trustMirror,
      catalog,
      now,
      clockSkewSeconds: config.CLOCK_SKEW_SECONDS,
      keyBindingMaxAgeSeconds: config.KB_JWT_MAX_AGE_SECONDS,
    };
  }

  /** The pipeline's inputs. */
  verificationContext(): VerificationContext {
    return this.context;
  }

  /**
   * Checks the configuration against the chain (chain id, code at each registry address), then syncs the
   * mirrors and keeps them following. Throws with a clear message when the chain is not the configured one.
   */
  async start(): Promise<void> {
    const network = await this.provider.send('eth_chainId', []).catch((error: unknown) => {
      throw new Error(`the chain at CHAIN_RPC_URL cannot be reached`, { cause: error });
    });
    if (BigInt(network as string) !== BigInt(this.config.CHAIN_ID)) {
      throw new Error(`CHAIN_ID is ${this.config.CHAIN_ID} but the chain at CHAIN_RPC_URL has id ${BigInt(network as string)}`);
    }
    for (const key of ['DID_REGISTRY', 'TRUST_REGISTRY', 'STATUS_REGISTRY', 'VERIFIER_REGISTRY'] as const) {
      if ((await this.provider.getCode(this.config[key])) === '0x') throw new Error(`${key} ${this.config[key]} holds no contract on this chain`);
    }
    await Promise.all([this.statusMirror.start(), this.titleMirror.start(), this.trustMirror.start(), this.didMirror.start(), this.verifierMirror.start()]);
  }

  /** Nest calls this on shutdown (signals included: configureApp enables shutdown hooks). */
  onApplicationShutdown(): void {
    this.stop();
  }

  /** Stops following the chain; idempotent. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.statusMirror.stop();
    this.titleMirror.stop();
    this.trustMirror.stop();
    this.didMirror.stop();
    this.verifierMirror.stop();
    this.provider.destroy();
  }
}
