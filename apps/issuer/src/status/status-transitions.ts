import { GovcredError, StatusOperation } from '../../../../libs/credentials/src/index.js';
import type { CredentialState } from '../credentials/entities/issued-credential.entity.js';
import type { StatusAction } from './entities/status-change.entity.js';

/** How an action moves a credential, and which list operation carries it to the chain. */
export interface Transition {
  /** States the action applies in. Revoked is in none: revocation is final. */
  from: readonly CredentialState[];
  to: CredentialState;
  list: 'revocation' | 'suspension';
  operation: StatusOperation;
}

export const TRANSITIONS: Readonly<Record<StatusAction, Transition>> = {
  revoke: { from: ['active', 'suspended'], to: 'revoked', list: 'revocation', operation: StatusOperation.Set },
  suspend: { from: ['active'], to: 'suspended', list: 'suspension', operation: StatusOperation.Set },
  reinstate: { from: ['suspended'], to: 'active', list: 'suspension', operation: StatusOperation.Clear },
};

/** What to do with an action on a credential in `state` whose latest status change was `lastAction`. */
export type Decision = { kind: 'apply'; to: CredentialState } | { kind: 'repeat' } | { kind: 'refuse'; error: GovcredError };

/**
 * The transition table as one pure function. `repeat`: the action is the one that produced the current state
 * (a client retrying after a lost answer, or two replicas given the same request): it is answered with that
 * earlier change, not recorded twice and not refused.
 */
export function decide(state: CredentialState, action: StatusAction, lastAction: StatusAction | undefined): Decision {
  const t = TRANSITIONS[action];
  if (t.from.includes(state)) return { kind: 'apply', to: t.to };
  if (state === t.to && lastAction === action) return { kind: 'repeat' };
  return { kind: 'refuse', error: refusal(action, state) };
}

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
