import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { getAddress, recoverAddress } from 'ethers';
import { Like, Not } from 'typeorm';
import {
  GovcredError,
  SIGNING_KEY_ATTRIBUTE,
  STATUS_WRITER_DELEGATE,
  erc1056SignedHash,
  signingKeyId,
  type Erc1056Call,
} from '../../../../libs/credentials/src/index.js';
import { AuditService } from '../audit/audit.service.js';
import { ChainService } from '../chain/chain.service.js';
import { ISSUER_CONFIG, type IssuerConfig } from '../config/issuer.config.js';
import { DbWriter } from '../database/db-writer.service.js';
import { VeramoService } from '../veramo/veramo.service.js';
import { AgenciesService } from './agencies.service.js';
import { AgencySetupService } from './agency-setup.service.js';
import { AgencyKey, type AgencyKeyRole } from './entities/agency-key.entity.js';
import { Agency } from './entities/agency.entity.js';

/** One ERC-1056 call of an operation, with the hash its owner signs (nonce = the owner's, in order). */
export interface PendingCall {
  call: Erc1056Call;
  nonce: string;
  hash: string;
}

/** A key operation waiting for (or done with) the owner's signatures: what the admin API answers. */
export interface KeyOperation {
  id: string;
  agencyId: string;
  state: 'awaiting_signatures' | 'done';
  /** The identity's owner: each hash must be signed (raw secp256k1, no prefix) by this address. */
  ownerAddress: string;
  calls: Array<{ method: Erc1056Call['method']; description: string; hash: string }>;
  /** Once done: the new signing key's DID URL and when it signs from. */
  signingKeyId?: string;
  keyActiveFrom?: string;
  writerAddress?: string;
  txHashes?: string[];
}

/** What `pendingCall` of an agency_key row holds. */
interface StoredCall extends PendingCall {
  operationId: string;
  order: number;
}

const DAY_MS = 86_400_000;

/**
 * Routine key rotation with an offline owner (issue 15 §2): the issuer makes the next key(s), returns the
 * ERC-1056 hashes for the owner to sign, relays the signed calls (`*Signed`, gas paid by the writer) and signs
 * with the new key once its block is final and its time reached (no credential time may predate it); the old
 * key stays listed, so credentials it signed keep verifying everywhere, and its private key is deleted once the
 * new one signs. A status writer due for renewal is renewed in the same operation. Idempotent: asking again
 * returns the operation waiting for signatures; relaying again returns the done result.
 */
@Injectable()
export class KeyRotationService {
  private readonly logger = new Logger('KeyRotation');

  constructor(
    @Inject(ISSUER_CONFIG) private readonly config: IssuerConfig,
    private readonly db: DbWriter,
    private readonly veramo: VeramoService,
    private readonly chain: ChainService,
    private readonly audit: AuditService,
    private readonly agencies: AgenciesService,
    private readonly setup: AgencySetupService,
  ) {}

  /**
   * Opens a rotation of `role` (the signing key, with the writer when due; or the writer alone), or returns the
   * one waiting for signatures, its hashes recomputed when the owner's nonce moved since.
   */
  async open(agencyId: string, role: AgencyKeyRole): Promise<KeyOperation> {
    const agency = await this.agencies.get(agencyId);
    if (!agency.ownerAddress || !agency.writerKeyId) throw new GovcredError('conflict', 'this agency has no key roles yet: its owner must add a writer and a signing key first (see the README)');
    return this.chain.withAccount(agency.identityAddress, async () => {
      const pending = await this.pendingRows(agencyId);
      if (pending.length) return this.refresh(agency, pending);
      const renewWriter = role === 'writer' || (await this.writerDue(agencyId));
      const made: Array<{ role: AgencyKeyRole; kmsKeyId: string; address: string; publicKeyHex: string }> = [];
      if (role === 'signing') made.push({ role: 'signing', ...(await this.newKey()) });
      if (renewWriter) made.push({ role: 'writer', ...(await this.newKey()) });
      const operationId = randomUUID();
      const now = new Date();
      const rows: AgencyKey[] = made.map((k) => ({
        id: randomUUID(),
        agencyId,
        role: k.role,
        address: k.address,
        publicKeyHex: k.publicKeyHex,
        kmsKeyId: k.kmsKeyId,
        kid: null,
        validTo: '',
        activeFrom: null,
        state: 'pending',
        txHash: null,
        blockNumber: null,
        pendingCall: JSON.stringify({ operationId }),
        reason: 'rotation',
        createdAt: now.toISOString(),
        revokedAt: null,
      }));
      await this.db.write(async (m) => {
        await m.getRepository(AgencyKey).insert(rows);
        await this.audit.append(m, { actor: 'admin', agencyId, action: 'agency.key_rotation_opened', data: { operationId, roles: made.map((k) => k.role), addresses: made.map((k) => k.address) } });
      });
      return this.refresh(agency, rows, operationId);
    });
  }

  /** The operation with its hashes for the current owner nonce (stored on its rows). */
  private async refresh(agency: Agency, rows: AgencyKey[], operationId = (JSON.parse(rows[0].pendingCall!) as StoredCall).operationId): Promise<KeyOperation> {
    // Rows are written in one transaction with their first hashes, so a pending row always names its operation.
    const owner = await this.chain.identityOwner(agency.identityAddress);
    let nonce = await this.chain.erc1056Nonce(owner);
    const ordered = [...rows].sort((a, b) => (a.role === b.role ? 0 : a.role === 'signing' ? -1 : 1));
    const calls: StoredCall[] = ordered.map((row, order) => {
      const call = this.callFor(row);
      const stored = { operationId, order, call, nonce: String(nonce), hash: erc1056SignedHash(this.chain.chain.didRegistry, nonce, agency.identityAddress, call) };
      nonce++;
      return stored;
    });
    await this.db.write(async (m) => {
      for (const [i, row] of ordered.entries()) await m.getRepository(AgencyKey).update({ id: row.id }, { pendingCall: JSON.stringify(calls[i], bigintJson) });
    });
    return { id: operationId, agencyId: agency.id, state: 'awaiting_signatures', ownerAddress: getAddress(owner), calls: calls.map((c) => ({ method: c.call.method, description: describe(c.call), hash: c.hash })) };
  }

  /**
   * Relays the owner's signatures (one per hash, in order), then switches the agency to the new key(s).
   * @throws owner_signature_invalid when a signature is not the owner's over its hash.
   */
  async complete(agencyId: string, operationId: string, signatures: string[]): Promise<KeyOperation> {
    const agency = await this.agencies.get(agencyId);
    return this.chain.withAccount(agency.identityAddress, async () => {
      const rows = (await this.pendingRows(agencyId)).filter((r) => (JSON.parse(r.pendingCall!) as StoredCall).operationId === operationId);
      if (!rows.length) return this.doneOperation(agencyId, operationId);
      const calls = rows.map((r) => ({ row: r, stored: JSON.parse(r.pendingCall!, bigintRevive) as StoredCall })).sort((a, b) => a.stored.order - b.stored.order);
      if (signatures.length !== calls.length) throw new GovcredError('owner_signature_invalid', `expected ${calls.length} signatures, one per hash, in order`);
      const owner = await this.chain.identityOwner(agency.identityAddress);
      for (const [i, { stored }] of calls.entries()) {
        let signer: string | undefined;
        try {
          signer = recoverAddress(stored.hash, signatures[i]);
        } catch {
          signer = undefined;
        }
        if (!signer || getAddress(signer) !== getAddress(owner)) throw new GovcredError('owner_signature_invalid', `signature ${i + 1} is not the owner's over hash ${stored.hash}`);
      }
      if ((await this.chain.erc1056Nonce(owner)) !== BigInt(calls[0].stored.nonce)) {
        throw new GovcredError('conflict', "the owner's ERC-1056 nonce moved since these hashes were made: ask for the operation again and sign the new hashes");
      }
      const receipts = [];
      try {
        for (const [i, { stored }] of calls.entries()) {
          receipts.push(await this.chain.relaySigned(agency.identityAddress, stored.call, signatures[i], agency.writerKeyId!, agency.writerAddress!));
        }
      } catch (error) {
        throw this.chain.toError(error, 'key rotation');
      }
      await this.switchOver(agency, operationId, calls.map((c) => c.row), receipts);
      return this.doneOperation(agencyId, operationId);
    });
  }

  /** Records the relayed keys as active (the signing key from its activation time) and retires the old ones. */
  private async switchOver(agency: Agency, operationId: string, rows: AgencyKey[], receipts: Array<{ hash: string; blockNumber: number }>): Promise<void> {
    const events = await this.chain.keyEvents(agency.identityAddress);
    const last = receipts[receipts.length - 1];
    await this.setup.awaitFinality(last.blockNumber);
    const blockTime = await this.chain.blockTime(last.blockNumber);
    const iso = (s: number | bigint) => new Date(Number(s) * 1000).toISOString();
    const signing = rows.find((r) => r.role === 'signing');
    const writer = rows.find((r) => r.role === 'writer');
    const kid = signing ? signingKeyId(agency.did, events, signing.publicKeyHex) : undefined;
    if (signing && !kid) throw new Error('the new signing key is not in the identity history after its transaction');
    if (signing) await this.db.exclusive(async () => this.veramo.attachKey(agency.did, await this.veramo.agent.keyManagerGet({ kid: signing.kmsKeyId! })));
    const activeFrom = iso(this.setup.activationTime(blockTime));
    const oldWriter = writer ? await this.db.dataSource.getRepository(AgencyKey).findOneBy({ agencyId: agency.id, role: 'writer', state: 'active' }) : null;
    await this.db.write(async (m) => {
      const keys = m.getRepository(AgencyKey);
      for (const [i, row] of rows.entries()) {
        const validity = row.role === 'signing' ? this.setup.signingValidity() : this.setup.writerValidity();
        // `pendingCall` stays: it names the operation, for idempotent retries.
        await keys.update({ id: row.id }, {
          state: 'active',
          kid: row.role === 'signing' ? kid! : null,
          txHash: receipts[i].hash,
          blockNumber: receipts[i].blockNumber,
          validTo: iso(BigInt(blockTime) + validity),
          activeFrom: row.role === 'signing' ? activeFrom : iso(blockTime),
        });
      }
      const update: Partial<Agency> = {};
      if (signing) {
        await keys.update({ agencyId: agency.id, role: 'signing', state: 'active', id: Not(signing.id) }, { state: 'retired', reason: 'rotation' });
        Object.assign(update, { previousKeyId: agency.keyId, previousSigningKid: agency.signingKid, keyId: signing.kmsKeyId!, keyAddress: signing.address, signingKid: kid!, keyActiveFrom: activeFrom });
      }
      if (writer) {
        if (oldWriter) await keys.update({ id: oldWriter.id }, { state: 'retired', reason: 'renewal', kmsKeyId: null });
        Object.assign(update, { writerKeyId: writer.kmsKeyId!, writerAddress: writer.address });
      }
      await m.getRepository(Agency).update({ id: agency.id }, update);
      await this.audit.append(m, {
        actor: 'admin',
        agencyId: agency.id,
        action: 'agency.key_rotated',
        data: { operationId, did: agency.did, ...(signing ? { signingKeyId: kid, previousSigningKeyId: agency.signingKid, keyActiveFrom: activeFrom } : {}), ...(writer ? { writerAddress: writer.address, previousWriterAddress: agency.writerAddress } : {}), txHashes: receipts.map((r) => r.hash) },
      });
    });
    // The old writer's delegate simply runs out; its key is of no use to the issuer any more.
    if (writer && agency.writerKeyId) await this.db.exclusive(() => this.veramo.deleteKey(agency.writerKeyId!)).catch((e: unknown) => this.logger.error(`old writer key: ${String(e)}`));
  }

  /** The answer for an operation already relayed (idempotent retries), from its key rows (they keep their call). */
  private async doneOperation(agencyId: string, operationId: string): Promise<KeyOperation> {
    const agency = await this.agencies.get(agencyId);
    const rows = await this.db.dataSource.getRepository(AgencyKey).findBy({ agencyId, pendingCall: Like(`%"operationId":"${operationId.replace(/[^0-9a-f-]/g, '')}"%`) });
    const done = rows.filter((r) => r.state !== 'pending');
    if (!done.length) throw new GovcredError('key_operation_not_found', 'no key operation of this id for this agency');
    const signing = done.find((r) => r.role === 'signing');
    const writer = done.find((r) => r.role === 'writer');
    return {
      id: operationId,
      agencyId,
      state: 'done',
      ownerAddress: agency.ownerAddress!,
      calls: [],
      ...(signing ? { signingKeyId: signing.kid!, keyActiveFrom: signing.activeFrom! } : {}),
      ...(writer ? { writerAddress: writer.address } : {}),
      txHashes: done.map((r) => r.txHash!),
    };
  }

  private pendingRows(agencyId: string): Promise<AgencyKey[]> {
    return this.db.dataSource.getRepository(AgencyKey).findBy({ agencyId, state: 'pending' });
  }

  private async writerDue(agencyId: string): Promise<boolean> {
    const writer = await this.db.dataSource.getRepository(AgencyKey).findOneBy({ agencyId, role: 'writer', state: 'active' });
    return !writer || Date.parse(writer.validTo) - Date.now() < this.config.STATUS_WRITER_RENEW_DAYS * DAY_MS;
  }

  private async newKey(): Promise<{ kmsKeyId: string; address: string; publicKeyHex: string }> {
    const { key, address, publicKeyHex } = await this.db.exclusive(() => this.veramo.createKey());
    return { kmsKeyId: key.kid, address, publicKeyHex };
  }

  private callFor(row: AgencyKey): Erc1056Call {
    return row.role === 'signing'
      ? { method: 'setAttribute', name: SIGNING_KEY_ATTRIBUTE, value: `0x${row.publicKeyHex}`, validity: this.setup.signingValidity() }
      : { method: 'addDelegate', delegateType: STATUS_WRITER_DELEGATE, delegate: row.address, validity: this.setup.writerValidity() };
  }
}

function describe(call: Erc1056Call): string {
  switch (call.method) {
    case 'setAttribute':
      return `setAttribute(${call.name}, ${call.value}, ${call.validity} s): the next signing key`;
    case 'addDelegate':
      return `addDelegate(${call.delegateType}, ${call.delegate}, ${call.validity} s): the next status writer`;
    case 'revokeAttribute':
      return `revokeAttribute(${call.name}, ${call.value}): the compromised signing key`;
    case 'revokeDelegate':
      return `revokeDelegate(${call.delegateType}, ${call.delegate})`;
    case 'changeOwner':
      return `changeOwner(${call.newOwner})`;
  }
}

const bigintJson = (_key: string, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value);
const bigintRevive = (_key: string, value: unknown) => (typeof value === 'string' && /^[0-9]+n$/.test(value) ? BigInt(value.slice(0, -1)) : value);
