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
import { describeCall, parseStoredRow, revokeCallFor, storeRow, type KeyOperation, type KeyOperationReason, type StoredCall } from './key-operation.js';

export type { KeyOperation, KeyOperationReason } from './key-operation.js';

const DAY_MS = 86_400_000;

/**
 * Key rotation with an offline owner (issue 15 §2): the issuer makes the next key(s), returns the ERC-1056 hashes
 * for the owner to sign, relays the signed calls (`*Signed`, gas paid by the writer) and signs with the new key once
 * its block is final and its time reached (no credential time may predate it). Routine rotation never revokes: the
 * old key stays listed, so what it signed keeps verifying, and its private key is deleted once the new one signs.
 * A compromise (`reason: compromised`) also revokes the key on chain (retroactive: everything it signed fails),
 * halts signing from the moment it is opened and deletes the old private key as soon as the relay lands. A status
 * writer due for renewal is renewed in the same operation. Idempotent: asking again returns the operation waiting
 * for signatures; relaying again returns the done result.
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
   * Opens an operation on `role` (the signing key, with the writer when due; or the writer alone), or returns the
   * one waiting for signatures, its hashes recomputed when the owner's nonce moved since. A compromise replaces a
   * routine rotation still waiting (its keys are discarded: the owner has not signed them).
   */
  async open(agencyId: string, role: AgencyKeyRole, reason: KeyOperationReason = 'rotation'): Promise<KeyOperation> {
    const agency = await this.agencies.get(agencyId);
    if (!agency.ownerAddress || !agency.writerKeyId) throw new GovcredError('conflict', 'this agency has no key roles yet: its owner must add a writer and a signing key first (see the README)');
    return this.chain.withAccount(agency.identityAddress, async () => {
      const pending = await this.pendingRows(agencyId);
      if (pending.length) {
        const waiting = pending.map(parseStoredRow);
        const covers = waiting.some((w, i) => w.replaces && pending[i].role === role);
        if (reason === 'rotation' || covers) return this.refresh(agency, pending);
        if (waiting[0].reason === 'compromised') throw new GovcredError('conflict', 'a compromise operation is waiting for the owner\'s signatures: complete it first');
        await this.discard(agency, pending, waiting[0].operationId);
      }
      const compromised = reason === 'compromised' ? await this.db.dataSource.getRepository(AgencyKey).findOneBy({ agencyId, role, state: 'active' }) : null;
      if (reason === 'compromised' && !compromised) throw new GovcredError('conflict', `this agency has no active ${role} key to revoke`);
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
        pendingCall: storeRow({ operationId, reason, ...(compromised && k.role === role ? { replaces: compromised.id } : {}) }),
        reason,
        createdAt: now.toISOString(),
        revokedAt: null,
        revokedBlock: null,
      }));
      await this.db.write(async (m) => {
        await m.getRepository(AgencyKey).insert(rows);
        // Signing stops here, before the owner has even signed: the stolen key must not sign one more credential.
        if (compromised?.role === 'signing') await m.getRepository(Agency).update({ id: agencyId }, { signingHaltedAt: now.toISOString() });
        await this.audit.append(m, {
          actor: 'admin',
          agencyId,
          action: reason === 'compromised' ? 'agency.key_compromise_opened' : 'agency.key_rotation_opened',
          data: { operationId, reason, roles: made.map((k) => k.role), addresses: made.map((k) => k.address), ...(compromised ? { compromisedRole: role, compromisedKeyId: compromised.kid, compromisedAddress: compromised.address } : {}) },
        });
      });
      return this.refresh(agency, rows);
    });
  }

  /** The operation with its hashes for the current owner nonce (stored on its rows). */
  private async refresh(agency: Agency, rows: AgencyKey[]): Promise<KeyOperation> {
    const owner = await this.chain.identityOwner(agency.identityAddress);
    let nonce = await this.chain.erc1056Nonce(owner);
    let order = 0;
    const ordered = [...rows].sort((a, b) => (a.role === b.role ? 0 : a.role === 'signing' ? -1 : 1));
    const stored = ordered.map(parseStoredRow);
    for (const [i, row] of ordered.entries()) {
      const replaced = stored[i].replaces ? await this.db.dataSource.getRepository(AgencyKey).findOneByOrFail({ id: stored[i].replaces }) : null;
      // The revocation goes first: were the relay to stop half way, the stolen key is out before anything is added.
      const calls = [...(replaced ? [revokeCallFor(replaced)] : []), this.callFor(row)];
      stored[i].calls = calls.map((call) => {
        const c = { order: order++, call, nonce: String(nonce), hash: erc1056SignedHash(this.chain.chain.didRegistry, nonce, agency.identityAddress, call) };
        nonce++;
        return c;
      });
    }
    await this.db.write(async (m) => {
      for (const [i, row] of ordered.entries()) await m.getRepository(AgencyKey).update({ id: row.id }, { pendingCall: storeRow(stored[i]) });
    });
    const calls = stored.flatMap((r) => r.calls!);
    return {
      id: stored[0].operationId,
      agencyId: agency.id,
      state: 'awaiting_signatures',
      reason: stored[0].reason,
      ownerAddress: getAddress(owner),
      calls: calls.map((c) => ({ method: c.call.method, description: describeCall(c.call), hash: c.hash })),
    };
  }

  /** Drops a routine rotation nobody signed yet (a compromise takes its place): its rows and its fresh keys. */
  private async discard(agency: Agency, rows: AgencyKey[], operationId: string): Promise<void> {
    await this.db.write(async (m) => {
      await m.getRepository(AgencyKey).delete(rows.map((r) => r.id));
      await this.audit.append(m, { actor: 'admin', agencyId: agency.id, action: 'agency.key_rotation_discarded', data: { operationId } });
    });
    for (const row of rows) if (row.kmsKeyId) await this.db.exclusive(() => this.veramo.deleteKey(row.kmsKeyId!)).catch((e: unknown) => this.logger.error(`discarded key: ${String(e)}`));
  }

  /**
   * Relays the owner's signatures (one per hash, in order), then switches the agency to the new key(s).
   * @throws owner_signature_invalid when a signature is not the owner's over its hash.
   */
  async complete(agencyId: string, operationId: string, signatures: string[]): Promise<KeyOperation> {
    const agency = await this.agencies.get(agencyId);
    return this.chain.withAccount(agency.identityAddress, async () => {
      const rows = (await this.pendingRows(agencyId)).filter((r) => parseStoredRow(r).operationId === operationId);
      if (!rows.length) return this.doneOperation(agencyId, operationId);
      const perRow = rows.map((row) => ({ row, stored: parseStoredRow(row) }));
      const calls: Array<StoredCall & { rowId: string }> = perRow.flatMap(({ row, stored }) => (stored.calls ?? []).map((c) => ({ ...c, rowId: row.id }))).sort((a, b) => a.order - b.order);
      if (signatures.length !== calls.length) throw new GovcredError('owner_signature_invalid', `expected ${calls.length} signatures, one per hash, in order`);
      const owner = await this.chain.identityOwner(agency.identityAddress);
      for (const [i, stored] of calls.entries()) {
        let signer: string | undefined;
        try {
          signer = recoverAddress(stored.hash, signatures[i]);
        } catch {
          signer = undefined;
        }
        if (!signer || getAddress(signer) !== getAddress(owner)) throw new GovcredError('owner_signature_invalid', `signature ${i + 1} is not the owner's over hash ${stored.hash}`);
      }
      if ((await this.chain.erc1056Nonce(owner)) !== BigInt(calls[0].nonce)) {
        throw new GovcredError('conflict', "the owner's ERC-1056 nonce moved since these hashes were made: ask for the operation again and sign the new hashes");
      }
      const receipts: Array<{ hash: string; blockNumber: number; rowId: string; method: Erc1056Call['method'] }> = [];
      try {
        for (const [i, stored] of calls.entries()) {
          const receipt = await this.chain.relaySigned(agency.identityAddress, stored.call, signatures[i], agency.writerKeyId!, agency.writerAddress!);
          receipts.push({ hash: receipt.hash, blockNumber: receipt.blockNumber, rowId: stored.rowId, method: stored.call.method });
        }
      } catch (error) {
        throw this.chain.toError(error, 'key rotation');
      }
      await this.switchOver(agency, operationId, perRow, receipts);
      return this.doneOperation(agencyId, operationId);
    });
  }

  /**
   * Records the relayed keys as active (the signing key from its activation time) and retires the old ones; a
   * compromised key is marked revoked and its private key deleted at once (with any older key still held).
   */
  private async switchOver(
    agency: Agency,
    operationId: string,
    perRow: Array<{ row: AgencyKey; stored: { replaces?: string; reason: KeyOperationReason } }>,
    receipts: Array<{ hash: string; blockNumber: number; rowId: string; method: Erc1056Call['method'] }>,
  ): Promise<void> {
    const events = await this.chain.keyEvents(agency.identityAddress);
    const last = receipts[receipts.length - 1];
    await this.setup.awaitFinality(last.blockNumber);
    const blockTime = await this.chain.blockTime(last.blockNumber);
    const iso = (s: number | bigint) => new Date(Number(s) * 1000).toISOString();
    const rows = perRow.map((r) => r.row);
    const signing = rows.find((r) => r.role === 'signing');
    const writer = rows.find((r) => r.role === 'writer');
    const replaced = perRow.filter((r) => r.stored.replaces).map((r) => ({ role: r.row.role, id: r.stored.replaces! }));
    const revokedSigning = replaced.find((r) => r.role === 'signing');
    const revokedWriter = replaced.find((r) => r.role === 'writer');
    const compromised = perRow[0].stored.reason === 'compromised';
    const keyReceipt = (row: AgencyKey) => receipts.filter((r) => r.rowId === row.id && !r.method.startsWith('revoke')).pop()!;
    const revokeReceipt = (row: AgencyKey) => receipts.find((r) => r.rowId === row.id && r.method.startsWith('revoke'))!;
    const kid = signing ? signingKeyId(agency.did, events, signing.publicKeyHex) : undefined;
    if (signing && !kid) throw new Error('the new signing key is not in the identity history after its transaction');
    if (signing) await this.db.exclusive(async () => this.veramo.attachKey(agency.did, await this.veramo.agent.keyManagerGet({ kid: signing.kmsKeyId! })));
    const activeFrom = iso(this.setup.activationTime(blockTime));
    const repo = this.db.dataSource.getRepository(AgencyKey);
    const oldWriter = writer ? await repo.findOneBy({ agencyId: agency.id, role: 'writer', state: 'active' }) : null;
    // Private keys to delete now: a compromised signing key (and an older one still held) may sign nothing more.
    const deleteNow = revokedSigning ? [agency.keyId, ...(agency.previousKeyId && agency.previousKeyId !== agency.keyId ? [agency.previousKeyId] : [])] : [];
    const revokedSigningRow = revokedSigning ? await repo.findOneBy({ id: revokedSigning.id }) : null;
    const revokedAt = new Map<string, { at: string; block: number }>();
    for (const r of replaced) {
      const block = revokeReceipt(rows.find((row) => row.role === r.role)!).blockNumber;
      revokedAt.set(r.id, { at: iso(await this.chain.blockTime(block)), block });
    }
    await this.db.write(async (m) => {
      const keys = m.getRepository(AgencyKey);
      for (const row of rows) {
        const validity = row.role === 'signing' ? this.setup.signingValidity() : this.setup.writerValidity();
        const receipt = keyReceipt(row);
        // `pendingCall` stays: it names the operation, for idempotent retries.
        await keys.update({ id: row.id }, {
          state: 'active',
          kid: row.role === 'signing' ? kid! : null,
          txHash: receipt.hash,
          blockNumber: receipt.blockNumber,
          validTo: iso(BigInt(blockTime) + validity),
          activeFrom: row.role === 'signing' ? activeFrom : iso(blockTime),
        });
      }
      const update: Partial<Agency> = {};
      if (signing) {
        await keys.update({ agencyId: agency.id, role: 'signing', state: 'active', id: Not(signing.id) }, { state: 'retired', reason: 'rotation' });
        Object.assign(update, { previousKeyId: agency.keyId, previousSigningKid: agency.signingKid, keyId: signing.kmsKeyId!, keyAddress: signing.address, signingKid: kid!, keyActiveFrom: activeFrom });
        // No fallback to the compromised key while the new one is not yet in force: requests wait or answer 503.
        if (revokedSigning) Object.assign(update, { previousKeyId: null, previousSigningKid: null, signingHaltedAt: null });
      }
      if (writer) {
        if (oldWriter) await keys.update({ id: oldWriter.id }, { state: 'retired', reason: 'renewal', kmsKeyId: null });
        Object.assign(update, { writerKeyId: writer.kmsKeyId!, writerAddress: writer.address });
      }
      for (const r of replaced) await keys.update({ id: r.id }, { state: 'revoked', reason: 'compromised', kmsKeyId: null, revokedAt: revokedAt.get(r.id)!.at, revokedBlock: revokedAt.get(r.id)!.block });
      for (const kmsKeyId of deleteNow) await keys.update({ agencyId: agency.id, kmsKeyId }, { kmsKeyId: null });
      await m.getRepository(Agency).update({ id: agency.id }, update);
      await this.audit.append(m, {
        actor: 'admin',
        agencyId: agency.id,
        action: compromised ? 'agency.key_compromised' : 'agency.key_rotated',
        data: {
          operationId,
          reason: compromised ? 'compromised' : 'rotation',
          did: agency.did,
          ...(signing ? { signingKeyId: kid, previousSigningKeyId: agency.signingKid, keyActiveFrom: activeFrom } : {}),
          ...(writer ? { writerAddress: writer.address, previousWriterAddress: agency.writerAddress } : {}),
          ...(revokedSigningRow ? { revokedSigningKeyId: revokedSigningRow.kid } : {}),
          ...(revokedWriter ? { revokedWriterAddress: agency.writerAddress } : {}),
          txHashes: receipts.map((r) => r.hash),
        },
      });
    });
    for (const kmsKeyId of deleteNow) await this.db.exclusive(() => this.veramo.deleteKey(kmsKeyId)).catch((e: unknown) => this.logger.error(`compromised key: ${String(e)}`));
    // The old writer's delegate simply runs out (or was revoked); its key is of no use to the issuer any more.
    if (writer && agency.writerKeyId) await this.db.exclusive(() => this.veramo.deleteKey(agency.writerKeyId!)).catch((e: unknown) => this.logger.error(`old writer key: ${String(e)}`));
  }

  /** The answer for an operation already relayed (idempotent retries), from its key rows (they keep their call). */
  private async doneOperation(agencyId: string, operationId: string): Promise<KeyOperation> {
    const agency = await this.agencies.get(agencyId);
    const repo = this.db.dataSource.getRepository(AgencyKey);
    const rows = await repo.findBy({ agencyId, pendingCall: Like(`%"operationId":"${operationId.replace(/[^0-9a-f-]/g, '')}"%`) });
    const done = rows.filter((r) => r.state !== 'pending');
    if (!done.length) throw new GovcredError('key_operation_not_found', 'no key operation of this id for this agency');
    const signing = done.find((r) => r.role === 'signing');
    const writer = done.find((r) => r.role === 'writer');
    const stored = done.map(parseStoredRow);
    const revoked = await Promise.all(stored.filter((s) => s.replaces).map((s) => repo.findOneByOrFail({ id: s.replaces })));
    const revokedSigning = revoked.find((r) => r.role === 'signing');
    const revokedWriter = revoked.find((r) => r.role === 'writer');
    return {
      id: operationId,
      agencyId,
      state: 'done',
      reason: stored[0].reason,
      ownerAddress: agency.ownerAddress!,
      calls: [],
      ...(signing ? { signingKeyId: signing.kid!, keyActiveFrom: signing.activeFrom! } : {}),
      ...(writer ? { writerAddress: writer.address } : {}),
      ...(revokedSigning ? { revokedSigningKeyId: revokedSigning.kid! } : {}),
      ...(revokedWriter ? { revokedWriterAddress: revokedWriter.address } : {}),
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
