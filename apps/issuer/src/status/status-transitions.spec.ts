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
] as const)('%s + %s (last %s) → %s', (state, action, last, expected) => {
  const decision = decide(state, action, last);
  const got = decision.kind === 'apply' ? `apply:${decision.to}` : decision.kind === 'repeat' ? 'repeat' : decision.error.code;
  expect(got).toBe(expected);
});

test('revoked is final: no action leads out of it', () => {
  for (const action of ['revoke', 'suspend', 'reinstate'] as const) {
    for (const last of ['revoke', 'suspend', 'reinstate', undefined] as const) {
      const decision = decide('revoked', action, last);
      expect(decision.kind === 'apply' && decision.to !== 'revoked').toBe(false);
    }
  }
});
