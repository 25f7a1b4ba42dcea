import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { GovcredError, StatusOperation } from '../../../../libs/credentials/src/index.js';
import type { Agency } from '../agencies/entities/agency.entity.js';
import { AuditService } from '../audit/audit.service.js';
import { DbWriter } from '../database/db-writer.service.js';
import { IssuedCredential, type CredentialState } from '../credentials/entities/issued-credential.entity.js';
import { StatusChange, type StatusAction } from './entities/status-change.entity.js';

/** How each action moves a credential, and which list operation carries it. */
const TRANSITIONS: Record<StatusAction, { from: Partial<Record<CredentialState, true>>; to: CredentialState; list: 'revocation' | 'suspension'; operation: StatusOperation }> = {
  revoke: { from: { active: true, suspended: true }, to: 'revoked', list: 'revocation', operation: StatusOperation.Set },
  suspend: { from: { active: true }, to: 'suspended', list: 'suspension', operation: StatusOperation.Set },
  reinstate: { from: { suspended: true }, to: 'active', list: 'suspension', operation: StatusOperation.Clear },
};

/** Why an action is refused in a state: one stable code per case. */
function refusal(action: StatusAction, state: CredentialState): GovcredError {
  if (state === 'revoked') {
    return action === 'revoke'
      ? new GovcredError('already_revoked', 'the credential is already revoked')
      : action === 'reinstate'
        ? new GovcredError('revocation_is_final', 'a revoked credential cannot be reinstated')
        : new GovcredError('credential_revoked', 'a revoked credential cannot be suspended');
  }
  if (action === 'suspend') return new GovcredError('already_suspended', 'the credential is already suspended');
  return new GovcredError('not_suspended', 'only a suspended credential can be reinstated');
}

/** Accepts status changes into the outbox; the anchoring worker takes them to the chain. */
@Injectable()
export class StatusService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly db: DbWriter,
    private readonly audit: AuditService,
  ) {}

  /**
   * Records a status change durably (outbox row + audit entry + the credential's new state, one transaction)
   * and returns it pending. Nothing reaches the chain here.
   */
  request(agency: Agency, credentialId: string, action: StatusAction): Promise<StatusChange> {
    return this.db.write(async (m) => {
      const credentials = m.getRepository(IssuedCredential);
      const credential = await credentials.findOneBy({ id: credentialId, agencyId: agency.id });
      if (!credential) throw new GovcredError('credential_not_found', 'no such credential of this agency');
      const t = TRANSITIONS[action];
      if (!t.from[credential.state]) throw refusal(action, credential.state);
      const now = new Date().toISOString();
      const change: Omit<StatusChange, 'seq'> = {
        id: randomUUID(),
        agencyId: agency.id,
        credentialId,
        action,
        listId: t.list === 'revocation' ? agency.revocationListId : agency.suspensionListId,
        operation: t.operation,
        statusIndex: credential.statusIndex,
        state: 'pending',
        attempts: 0,
        lastError: null,
        txHash: null,
        blockNumber: null,
        createdAt: now,
        anchoredAt: null,
      };
      await m.getRepository(StatusChange).insert(change);
      await credentials.update({ id: credentialId }, { state: t.to, updatedAt: now });
      await this.audit.append(m, {
        actor: `agency:${agency.id}`,
        agencyId: agency.id,
        action: `status.${action}.requested`,
        data: { changeId: change.id, credentialId, listId: change.listId, statusIndex: change.statusIndex },
      });
      return (await m.getRepository(StatusChange).findOneByOrFail({ id: change.id }));
    });
  }

  /** One status change of this agency. */
  async get(agency: Agency, id: string): Promise<StatusChange> {
    const change = await this.dataSource.getRepository(StatusChange).findOneBy({ id, agencyId: agency.id });
    if (!change) throw new GovcredError('status_change_not_found', 'no such status change of this agency');
    return change;
  }
}
