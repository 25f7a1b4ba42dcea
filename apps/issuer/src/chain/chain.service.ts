import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Contract, Interface, Wallet, parseEther, type JsonRpcProvider, type Signer, type TransactionReceipt } from 'ethers';
import {
  DEFAULT_SIZE_LOG2,
  DID_REGISTRY_ABI,
  ERC1056_ABI,
  GovcredError,
  OPEN_ENDED,
  STATUS_REGISTRY_ABI,
  StatusListWriter,
  StatusPurpose,
  TRUST_REGISTRY_ABI,
  TrustRegistryClient,
  createProvider,
  credentialTypeHash,
  erc1056Calldata,
  erc1056SignedCalldata,
  readErc1056KeyEvents,
  type ChainConfig,
  type Erc1056Call,
  type Erc1056KeyEvent,
} from '../../../../libs/credentials/src/index.js';
import { ISSUER_CONFIG, type IssuerConfig } from '../config/issuer.config.js';
import { VeramoService } from '../veramo/veramo.service.js';
import { KeyedLock } from './keyed-lock.js';

/** Below this balance an agency account is topped up (when a funder is configured). */
const LOW_BALANCE = parseEther('0.05');
const TOP_UP = parseEther('1');

/** A transaction governance must submit itself (production: no governance key in the issuer). */
export interface UnsignedTransaction {
  to: string;
  data: string;
  description: string;
}

/**
 * Everything the issuer writes to the chain. Agency transactions are signed in Veramo's KMS and serialized per
 * sending account; every wait is bounded by CHAIN_TX_TIMEOUT_MS so an unreachable chain surfaces as
 * `chain_unavailable` instead of a request that never ends.
 */
@Injectable()
export class ChainService implements OnModuleDestroy {
  readonly provider: JsonRpcProvider;
  readonly chain: ChainConfig;
  private readonly lock = new KeyedLock();
  private readonly funder?: Wallet;
  private readonly governance?: Wallet;
  private readonly logger = new Logger('Chain');

  constructor(
    @Inject(ISSUER_CONFIG) private readonly config: IssuerConfig,
    private readonly veramo: VeramoService,
  ) {
    this.chain = {
      rpcUrl: config.CHAIN_RPC_URL,
      chainId: config.CHAIN_ID,
      didRegistry: config.DID_REGISTRY,
      trustRegistry: config.TRUST_REGISTRY,
      statusRegistry: config.STATUS_REGISTRY,
    };
    this.provider = createProvider(config.CHAIN_RPC_URL, config.CHAIN_ID, 200);
    if (config.FUNDER_PRIVATE_KEY) this.funder = new Wallet(config.FUNDER_PRIVATE_KEY, this.provider);
    if (config.GOVERNANCE_PRIVATE_KEY) this.governance = new Wallet(config.GOVERNANCE_PRIVATE_KEY, this.provider);
  }

  onModuleDestroy(): void {
    this.provider.destroy();
  }

  /**
   * Runs `task` with the chain lock of an agency identity held: its list writes and key rotations happen one
   * at a time, so transactions are sent in order and a rotation never overlaps a write with the old key.
   */
  withAccount<T>(identity: string, task: () => Promise<T>): Promise<T> {
    return this.lock.run(`identity:${identity.toLowerCase()}`, task);
  }

  /** A signer for an agency key; its transactions are signed in the KMS. */
  signerFor(keyId: string): Promise<Signer> {
    return this.veramo.ethereumSigner(keyId, this.provider);
  }

  /** Bounds a chain call; a timeout or network failure becomes `chain_unavailable`. */
  async bounded<T>(what: string, call: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer within ${this.config.CHAIN_TX_TIMEOUT_MS} ms`)), this.config.CHAIN_TX_TIMEOUT_MS);
    });
    try {
      return await Promise.race([call, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Tops up `address` from the funder when it runs low; a no-op on gas-free chains (no funder). */
  async ensureGas(address: string): Promise<void> {
    const funder = this.funder;
    if (!funder) return;
    const balance = await this.bounded('getBalance', this.provider.getBalance(address));
    if (balance >= LOW_BALANCE) return;
    await this.lock.run(funder.address.toLowerCase(), async () => {
      const tx = await funder.sendTransaction({ to: address, value: TOP_UP });
      await this.bounded('top-up', tx.wait());
    });
  }

  /**
   * Creates the agency's revocation and suspension lists, signed by its current key.
   * Call inside {@link withAccount} of the identity.
   */
  async createStatusLists(identity: string, keyId: string, keyAddress: string, revocationListId: number, suspensionListId: number): Promise<void> {
    await this.ensureGas(keyAddress);
    const writer = this.statusWriter(await this.signerFor(keyId));
    await this.bounded('createList', writer.createList(identity, revocationListId, StatusPurpose.Revocation, DEFAULT_SIZE_LOG2));
    await this.bounded('createList', writer.createList(identity, suspensionListId, StatusPurpose.Suspension, DEFAULT_SIZE_LOG2));
  }

  /**
   * Creates the lists of `lists` that do not exist on chain yet (a crash after creating one and before recording
   * it must not make the next attempt fail with ListExists). Call inside {@link withAccount} of the identity.
   */
  async ensureStatusLists(identity: string, keyId: string, keyAddress: string, lists: Array<[number, StatusPurpose]>): Promise<void> {
    await this.ensureGas(keyAddress);
    const writer = this.statusWriter(await this.signerFor(keyId));
    for (const [listId, purpose] of lists) {
      if ((await this.getList(identity, listId)).exists) continue;
      await this.bounded('createList', writer.createList(identity, listId, purpose, DEFAULT_SIZE_LOG2));
    }
  }

  /** A StatusListWriter signing with `signer`. */
  statusWriter(signer: Signer): StatusListWriter {
    return new StatusListWriter({ registry: this.chain.statusRegistry, signer });
  }

  /**
   * ERC-1056 changeOwner(identity, newOwner), signed by the current owner key.
   * Call inside {@link withAccount} of the identity.
   */
  async changeOwner(identity: string, keyId: string, keyAddress: string, newOwner: string): Promise<TransactionReceipt> {
    await this.ensureGas(keyAddress);
    const registry = new Contract(this.chain.didRegistry, DID_REGISTRY_ABI, await this.signerFor(keyId));
    const tx = await this.bounded('changeOwner', registry.getFunction('changeOwner')(identity, newOwner));
    return (await this.bounded('changeOwner', (tx as { wait(): Promise<TransactionReceipt> }).wait())) as TransactionReceipt;
  }

  /**
   * Sends an ERC-1056 call as the identity's owner itself (the one-time identity key at agency creation).
   * Call inside {@link withAccount} of the identity.
   */
  async sendAsOwner(identity: string, keyId: string, keyAddress: string, call: Erc1056Call): Promise<TransactionReceipt> {
    await this.ensureGas(keyAddress);
    return this.send(call.method, keyId, erc1056Calldata(identity, call));
  }

  /**
   * Relays an owner-signed ERC-1056 call (`*Signed`), the gas paid by an agency key (`relayerKeyId`): the issuer
   * never holds the owner key. Call inside {@link withAccount} of the identity.
   */
  async relaySigned(identity: string, call: Erc1056Call, signature: string, relayerKeyId: string, relayerAddress: string): Promise<TransactionReceipt> {
    await this.ensureGas(relayerAddress);
    return this.send(`${call.method}Signed`, relayerKeyId, erc1056SignedCalldata(identity, call, signature));
  }

  private async send(what: string, keyId: string, data: string): Promise<TransactionReceipt> {
    const signer = await this.signerFor(keyId);
    const tx = await this.bounded(what, signer.sendTransaction({ to: this.chain.didRegistry, data }));
    const receipt = await this.bounded(what, tx.wait());
    if (!receipt || receipt.status !== 1) throw new Error(`${what}: transaction failed`);
    return receipt;
  }

  /** The ERC-1056 nonce of `owner`: part of the hash an owner signs for a `*Signed` call. */
  async erc1056Nonce(owner: string): Promise<bigint> {
    const registry = new Contract(this.chain.didRegistry, ERC1056_ABI, this.provider);
    return (await this.bounded('nonce', registry.getFunction('nonce')(owner))) as bigint;
  }

  /** The identity's delegate and attribute events, numbered as ethr-did-resolver numbers its keys. */
  keyEvents(identity: string): Promise<Erc1056KeyEvent[]> {
    return this.bounded('key events', readErc1056KeyEvents(this.provider, this.chain.didRegistry, identity));
  }

  /** Block time (Unix seconds) of a mined block. */
  async blockTime(blockNumber: number): Promise<number> {
    return (await this.bounded('getBlock', this.provider.getBlock(blockNumber)))!.timestamp;
  }

  /** The identity's current ERC-1056 owner. */
  async identityOwner(identity: string): Promise<string> {
    const registry = new Contract(this.chain.didRegistry, DID_REGISTRY_ABI, this.provider);
    return (await this.bounded('identityOwner', registry.getFunction('identityOwner')(identity))) as string;
  }

  /** The on-chain state of one list. */
  async getList(identity: string, listId: number): Promise<{ exists: boolean; version: bigint; head: string }> {
    const registry = new Contract(this.chain.statusRegistry, STATUS_REGISTRY_ABI, this.provider);
    const [exists, , , version, head] = (await this.bounded('getList', registry.getFunction('getList')(identity, listId))) as [
      boolean,
      number,
      number,
      bigint,
      string,
    ];
    return { exists, version, head };
  }

  /**
   * Accredits `identity` for `types` from now on, open-ended. With a governance key (devnet) the transactions
   * are sent; without one they are returned unsigned for governance to submit.
   */
  async accredit(identity: string, types: string[]): Promise<{ submitted: boolean; transactions: Array<UnsignedTransaction & { hash?: string }> }> {
    const latest = await this.bounded('getBlock', this.provider.getBlock('latest'));
    // The earlier of chain time and this machine's time: credentials issued right after must fall inside the
    // period whichever clock a verifier uses (a chain's clock can run ahead, e.g. a Hardhat chain under load).
    const validFrom = BigInt(Math.min(latest!.timestamp, Math.floor(Date.now() / 1000)));
    const iface = new Interface(TRUST_REGISTRY_ABI);
    const transactions = types.map((type) => ({
      to: this.chain.trustRegistry,
      data: iface.encodeFunctionData('accredit', [identity, credentialTypeHash(type), validFrom, OPEN_ENDED]),
      description: `TrustRegistry.accredit(${identity}, keccak256("${type}"), ${validFrom}, open-ended)`,
    }));
    const governance = this.governance;
    if (!governance) return { submitted: false, transactions };
    const client = new TrustRegistryClient(this.chain.trustRegistry, governance);
    const sent: Array<UnsignedTransaction & { hash?: string }> = [];
    await this.lock.run(governance.address.toLowerCase(), async () => {
      for (const [i, type] of types.entries()) {
        const receipt = await this.bounded('accredit', client.accredit(identity, type, validFrom));
        sent.push({ ...transactions[i], hash: receipt.hash });
      }
    });
    return { submitted: true, transactions: sent };
  }

  /** Maps a chain failure to the stable `chain_unavailable` error (keeps GovcredErrors as they are). */
  toError(error: unknown, what: string): GovcredError {
    if (error instanceof GovcredError) return error;
    this.logger.warn(`${what}: ${error instanceof Error ? error.message : String(error)}`);
    return new GovcredError('chain_unavailable', `${what}: the chain could not be reached or refused the transaction`, undefined, { cause: error });
  }
}
