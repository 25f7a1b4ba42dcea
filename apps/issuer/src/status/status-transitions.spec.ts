import { decide } from './status-transitions.js';

// Every (state, action, last action) that can occur: a credential reaches a state only through the action
// named as its last one (active also by issuance: no last action).
test.each([
  // state, action, last action, decision
  ['active', 'revoke', undefined, 'apply:revoked'],
  ['active', 'suspend', undefined, 'apply:suspended'],
  ['active', 'reinstate', undefined, 'not_suspended'],
  ['active', 'reinstate', 'reinstate', 'repeat'],
  ['active', 'suspend', 'reinstate', 'apply:suspended'],
  ['suspended', 'suspend', 'suspend', 'repeat'],
  ['suspended', 'reinstate', 'suspend', 'apply:active'],
  ['suspended', 'revoke', 'suspend', 'apply:revoked'],
  ['revoked', 'revoke', 'revoke', 'repeat'],
  ['revoked', 'suspend', 'revoke', 'credential_revoked'],
  ['revoked', 'reinstate', 'revoke', 'revocation_is_final'],
  // Defensive: a state whose last change is not the repeated action is refused, never replayed.
  ['revoked', 'revoke', undefined, 'already_revoked'],
  ['suspended', 'suspend', undefined, 'already_suspended'],
  // Property titles: encumbrance (reversible) and supersession by transfer (final).
  ['active', 'encumber', undefined, 'apply:encumbered'],
  ['encumbered', 'encumber', 'encumber', 'repeat'],
  ['encumbered', 'release', 'encumber', 'apply:active'],
  ['active', 'release', 'release', 'repeat'],
  ['active', 'release', undefined, 'not_encumbered'],
  ['suspended', 'encumber', 'suspend', 'credential_not_active'],
  ['encumbered', 'suspend', 'encumber', 'credential_not_active'],
  ['encumbered', 'revoke', 'encumber', 'apply:revoked'],
  ['active', 'supersede', undefined, 'apply:superseded'],
  ['encumbered', 'supersede', 'encumber', 'credential_encumbered'],
  ['suspended', 'supersede', 'suspend', 'credential_not_active'],
  ['revoked', 'supersede', 'revoke', 'credential_revoked'],
  ['superseded', 'reinstate', 'supersede', 'supersession_is_final'],
  ['superseded', 'release', 'supersede', 'supersession_is_final'],
  ['superseded', 'suspend', 'supersede', 'credential_superseded'],
  ['superseded', 'encumber', 'supersede', 'credential_superseded'],
  ['superseded', 'revoke', 'supersede', 'credential_superseded'],
] as const)('%s + %s (last %s) → %s', (state, action, last, expected) => {
  const decision = decide(state, action, last);
  const got = decision.kind === 'apply' ? `apply:${decision.to}` : decision.kind === 'repeat' ? 'repeat' : decision.error.code;
  expect(got).toBe(expected);
});

const ACTIONS = ['revoke', 'suspend', 'reinstate', 'encumber', 'release', 'supersede'] as const;

test.each(['revoked', 'superseded'] as const)('%s is final: no action leads out of it', (state) => {
  for (const action of ACTIONS) {
    for (const last of [...ACTIONS, undefined]) {
      const decision = decide(state, action, last);
      expect(decision.kind === 'apply').toBe(false);
    }
  }
});
