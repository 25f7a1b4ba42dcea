import { getCredentialType, vctOf } from '../catalog/index.js';
import { parseDcqlQuery } from '../query/dcql.js';
import { checkRegistration, planPresentation, type RegistrationSource } from './oid4vp-consent.js';

const ID_VCT = vctOf(getCredentialType('NationalIdCredential')!);
const query = (claims: string[][]) => {
  const parsed = parseDcqlQuery({ credentials: [{ id: 'id', format: 'dc+sd-jwt', meta: { vct_values: [ID_VCT] }, claims: claims.map((path) => ({ path })) }] });
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.query;
};
const registration = { verifier: '0x1', index: 0, name: { 'zh-CN': '甲', en: 'A' }, purpose: { 'zh-CN': '乙', en: 'B' }, credentials: [], validFrom: 0n, validUntil: 10n, withdrawn: false };
/** A registry in force that allows age_over_18 of the ID card only. */
const source = (reason?: 'withdrawn' | 'not_registered'): RegistrationSource => ({
  standing: () => (reason ? { inForce: false, reason } : { inForce: true, registration }),
  mayAsk: (_did, type, paths) =>
    type === 'NationalIdCredential' && paths.every((p) => p.join('.') === 'age_over_18') ? { allowed: true, registration } : { allowed: false, reason: 'claim_not_allowed', claims: paths.filter((p) => p.join('.') !== 'age_over_18') as string[][], registration },
});

test('checkRegistration: allowed within the registration; refused with a code and the claims beyond it otherwise', () => {
  expect(checkRegistration(source(), 'did:x', query([['age_over_18']]), 1)).toEqual({ allowed: true, registration });
  expect(checkRegistration(source(), 'did:x', query([['age_over_18'], ['citizenIdNumber']]), 1)).toMatchObject({ allowed: false, code: 'request_beyond_registration', beyond: ['NationalIdCredential: citizenIdNumber'] });
  expect(checkRegistration(source('withdrawn'), 'did:x', query([['age_over_18']]), 1)).toEqual({ allowed: false, code: 'verifier_withdrawn' });
  expect(checkRegistration(source('not_registered'), 'did:x', query([['age_over_18']]), 1)).toEqual({ allowed: false, code: 'verifier_not_registered' });
});

test('planPresentation: an SD-JWT VC discloses only the asked claims, the rest stays hidden; a JWT VC leaves whole', () => {
  const held = [
    { format: 'jwt_vc_json' as const, type: 'NationalIdCredential', claims: { age_over_18: true, nameZh: '张三' } },
    { format: 'dc+sd-jwt' as const, type: 'NationalIdCredential', claims: { age_over_18: true, nameZh: '张三', citizenIdNumber: 'x' } },
  ];
  const plan = planPresentation(query([['age_over_18']]), held);
  expect(plan).toEqual({ ok: true, presentations: [{ credentialQueryId: 'id', held: 1, format: 'dc+sd-jwt', type: 'NationalIdCredential', disclosePaths: [['age_over_18']], leaving: ['age_over_18'], hidden: ['nameZh', 'citizenIdNumber'] }] });
  expect(planPresentation(query([['age_over_18']]), [held[0]!])).toEqual({ ok: false, missing: ['id'] });
});
