import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { IKey } from '@veramo/core';
import {
  GovcredError,
  SIGNING_KEY_ATTRIBUTE,
  STATUS_WRITER_DELEGATE,
  StatusPurpose,
  ethrDid,
  signingKeyId,
} from '../../../../libs/credentials/src/index.js';
import { ChainService } from '../chain/chain.service.js';
import { ISSUER_CONFIG, type IssuerConfig } from '../config/issuer.config.js';
import { DbWriter } from '../database/db-writer.service.js';
import { VeramoService } from '../veramo/veramo.service.js';
import type { AgencyKey } from './entities/agency-key.entity.js';

const DAY_SECONDS = 86_400n;

/** A key made in the KMS for a role. */
interface NewKey {
  key: IKey;
  address: string;
  publicKeyHex: string;
}

/** What the chain side of an agency's creation produced. */
export interface AgencyIdentity {
  did: string;
  identityAddress: string;
  ownerAddress: string;
  signing: NewKey & { kid: string; activeFrom: string };
  writer: NewKey;
  /** The rows of `agency_key` for the two keys (without the agency id). */
  keys: Array<Omit<AgencyKey, 'agencyId'>>;
}

/** Lists an agency creates at its set-up: [list id, purpose]. */
export type ListPlan = Array<[number, StatusPurpose]>;

/**
 * Sets up an agency's identity with split key roles (ERC-1056): a one-time identity key adds the
 * `govcred/statusWriter` delegate and the first signing key (attribute `did/pub/Secp256k1/veriKey/hex`), creates
 * the status lists, hands the identity to the governance owner (`changeOwner`) and is deleted from the KMS. The
 * issuer never holds an owner key afterwards: a stolen signing key can sign but not write status or touch keys,
 * a stolen writer key can write status bits only, and the owner can revoke either.
 */
@Injectable()
export class AgencySetupService {
  private readonly logger = new Logger('AgencySetup');

  constructor(
    @Inject(ISSUER_CONFIG) private readonly config: IssuerConfig,
    private readonly db: DbWriter,
    private readonly veramo: VeramoService,
    private readonly chain: ChainService,
  ) {}

  /** ERC-1056 validity (seconds) of a signing key: its period plus the horizon of what it signs. */
  signingValidity(): bigint {
    return BigInt(this.config.SIGNING_KEY_PERIOD_DAYS + this.config.SIGNING_KEY_HORIZON_DAYS) * DAY_SECONDS;
  }

  /**
   * When a signing key set in a block of time `blockTime` (Unix seconds) may sign: its block time rounded up to
   * the granularity of the times credentials claim, so that no credential's time predates its key's block.
   */
  activationTime(blockTime: number): number {
    const r = this.config.CREDENTIAL_TIME_ROUNDING_SECONDS;
    return Math.ceil(blockTime / r) * r;
  }

  /** Waits (bounded) until `blockNumber` has KEY_FINALITY_BLOCKS blocks on top of it. */
  async awaitFinality(blockNumber: number): Promise<void> {
    const target = blockNumber + this.config.KEY_FINALITY_BLOCKS;
    const deadline = Date.now() + this.config.CHAIN_TX_TIMEOUT_MS;
    while ((await this.chain.bounded('getBlockNumber', this.chain.provider.getBlockNumber())) < target) {
      if (Date.now() > deadline) throw new Error(`block ${blockNumber} not final within ${this.config.CHAIN_TX_TIMEOUT_MS} ms`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  /** ERC-1056 validity (seconds) of a status writer delegate. */
  writerValidity(): bigint {
    return BigInt(this.config.STATUS_WRITER_VALIDITY_DAYS) * DAY_SECONDS;
  }

  /**
   * Creates the identity on chain for `ownerAddress`. On any failure the keys made here are deleted (the
   * identity is abandoned); on success only the signing and writer keys remain in the KMS.
   */
  async create(ownerAddress: string, lists: ListPlan): Promise<AgencyIdentity> {
    const identity = await this.db.exclusive(() => this.veramo.createKey());
    const made: NewKey[] = [identity];
    let done = false;
    try {
      const writer = await this.db.exclusive(() => this.veramo.createKey());
      made.push(writer);
      const signing = await this.db.exclusive(() => this.veramo.createKey());
      made.push(signing);
      const did = ethrDid(this.chain.chain.chainId, identity.address);
      const at = identity.address;
      const { writerReceipt, signingReceipt } = await this.chain.withAccount(at, async () => {
        const send = (call: Parameters<ChainService['sendAsOwner']>[3]) => this.chain.sendAsOwner(at, identity.key.kid, at, call);
        const writerReceipt = await send({ method: 'addDelegate', delegateType: STATUS_WRITER_DELEGATE, delegate: writer.address, validity: this.writerValidity() });
        const signingReceipt = await send({ method: 'setAttribute', name: SIGNING_KEY_ATTRIBUTE, value: `0x${signing.publicKeyHex}`, validity: this.signingValidity() });
        await this.chain.ensureStatusLists(at, identity.key.kid, at, lists);
        // Last: from here on only governance can change the identity's keys or create lists.
        await send({ method: 'changeOwner', newOwner: ownerAddress });
        return { writerReceipt, signingReceipt };
      });
      const iso = (seconds: number | bigint) => new Date(Number(seconds) * 1000).toISOString();
      const kid = signingKeyId(did, await this.chain.keyEvents(at), signing.publicKeyHex);
      if (!kid) throw new Error('the signing key is not in the identity history after its transaction');
      await this.awaitFinality(signingReceipt.blockNumber);
      const signingTime = await this.chain.blockTime(signingReceipt.blockNumber);
      const activeFrom = iso(this.activationTime(signingTime));
      const writerTime = await this.chain.blockTime(writerReceipt.blockNumber);
      // The DID's identifier in Veramo's store is controlled by the signing key (the identity key never joins it).
      await this.db.exclusive(() => this.veramo.registerIdentifier(did, signing.key));
      const createdAt = new Date().toISOString();
      const row = (k: NewKey, role: AgencyKey['role'], extra: Partial<AgencyKey>): Omit<AgencyKey, 'agencyId'> => ({
        id: randomUUID(),
        role,
        address: k.address,
        publicKeyHex: k.publicKeyHex,
        kmsKeyId: k.key.kid,
        kid: null,
        validTo: '',
        activeFrom: null,
        state: 'active',
        txHash: null,
        blockNumber: null,
        pendingCall: null,
        reason: null,
        createdAt,
        revokedAt: null,
        revokedBlock: null,
        ...extra,
      });
      const keys = [
        row(signing, 'signing', {
          kid,
          validTo: iso(BigInt(signingTime) + this.signingValidity()),
          activeFrom,
          txHash: signingReceipt.hash,
          blockNumber: signingReceipt.blockNumber,
        }),
        row(writer, 'writer', {
          validTo: iso(BigInt(writerTime) + this.writerValidity()),
          activeFrom: iso(writerTime),
          txHash: writerReceipt.hash,
          blockNumber: writerReceipt.blockNumber,
        }),
      ];
      done = true;
      return { did, identityAddress: at, ownerAddress, signing: { ...signing, kid, activeFrom }, writer, keys };
    } catch (error) {
      throw this.chain.toError(error, 'agency set-up on chain');
    } finally {
      // The identity key goes whatever happened: after changeOwner it controls nothing, before it the identity
      // is abandoned. The role keys go too when the set-up failed.
      for (const k of done ? [identity] : made) {
        await this.db.exclusive(() => this.veramo.deleteKey(k.key.kid)).catch((e: unknown) => this.logger.error(`could not delete key ${k.address}: ${String(e)}`));
      }
    }
  }

  /** Refuses owner addresses that could never sign (the zero address deactivates a did:ethr). */
  static checkOwner(address: string): void {
    if (/^0x0{40}$/i.test(address)) throw new GovcredError('invalid_request', 'ownerAddress must not be the zero address (it would deactivate the DID)');
  }
}
