import { GovcredError, StatusOperation } from '../../../../libs/credentials/src/index.js';
import type { CredentialState } from '../credentials/entities/issued-credential.entity.js';
import type { StatusAction } from './entities/status-change.entity.js';

/** How an action moves a credential, and which list operation carries it to the chain. */
export interface Transition {
  /** States the action applies in. Revoked and superseded are in none: both are final. */
  from: readonly CredentialState[];
  to: CredentialState;
  list: 'revocation' | 'suspension' | 'superseded' | 'encumbered';
  operation: StatusOperation;
  /** Only property titles have superseded and encumbered lists. */
  titlesOnly?: true;
}

export const TRANSITIONS: Readonly<Record<StatusAction, Transition>> = {
  // A registry may cancel a mortgaged title outright: revocation applies to encumbered ones too.
  revoke: { from: ['active', 'suspended', 'encumbered'], to: 'revoked', list: 'revocation', operation: StatusOperation.Set },
  suspend: { from: ['active'], to: 'suspended', list: 'suspension', operation: StatusOperation.Set },
  reinstate: { from: ['suspended'], to: 'active', list: 'suspension', operation: StatusOperation.Clear },
  encumber: { from: ['active'], to: 'encumbered', list: 'encumbered', operation: StatusOperation.Set, titlesOnly: true },
  release: { from: ['encumbered'], to: 'active', list: 'encumbered', operation: StatusOperation.Clear, titlesOnly: true },
  // A mortgaged title is not transferred here: its release comes first (the bank's consent, 民法典 §406).
  supersede: { from: ['active'], to: 'superseded', list: 'superseded', operation: StatusOperation.Set, titlesOnly: true },
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
  if (state === 'superseded') {
    return action === 'reinstate' || action === 'release'
      ? new GovcredError('supersession_is_final', 'a superseded title certificate cannot be brought back: its successor holds the title')
      : new GovcredError('credential_superseded', 'the title was transferred: this certificate is superseded');
  }
  if (state === 'revoked') {
    return action === 'revoke'
      ? new GovcredError('already_revoked', 'the credential is already revoked')
      : action === 'reinstate'
        ? new GovcredError('revocation_is_final', 'a revoked credential cannot be reinstated')
        : new GovcredError('credential_revoked', 'a revoked credential cannot be suspended');
  }
  if (action === 'encumber') {
    return state === 'encumbered'
      ? new GovcredError('already_encumbered', 'the title is already encumbered')
      : new GovcredError('credential_not_active', `only an active title can be encumbered (it is ${state})`);
  }
  if (action === 'release') return new GovcredError('not_encumbered', 'only an encumbered title can be released');
  if (action === 'supersede') {
    return new GovcredError(state === 'encumbered' ? 'credential_encumbered' : 'credential_not_active', `only an active title can be transferred (it is ${state})`);
  }
  if (action === 'suspend') {
    return state === 'suspended'
      ? new GovcredError('already_suspended', 'the credential is already suspended')
      : new GovcredError('credential_not_active', `only an active credential can be suspended (it is ${state})`);
  }
  return new GovcredError('not_suspended', 'only a suspended credential can be reinstated');
}
