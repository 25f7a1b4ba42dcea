import { presentationOutcome } from './verify.dto.js';

test("the wallet's outcome keeps codes and structural paths only", () => {
  const full = {
    verified: false,
    holder: 'did:ethr:0x7a69:0x0000000000000000000000000000000000000001',
    checks: [{ check: 'request', status: 'failed' }],
    credentials: [{ type: 'NationalIdCredential', claims: { citizenIdNumber: '320102199003071239' } }],
    problems: [
      { code: 'requested_claim_missing', message: 'claim of 张三', path: 'verifiablePresentation.verifiableCredential[0].credentialSubject.name' },
      { code: 'claims_invalid', message: 'x', path: 'credentialSubject["320102199003071239"]' },
    ],
  };
  expect(presentationOutcome(full)).toEqual({
    verified: false,
    problems: [
      { code: 'requested_claim_missing', path: 'verifiablePresentation.verifiableCredential[0].credentialSubject.name' },
      { code: 'claims_invalid', path: '' },
    ],
  });
});
