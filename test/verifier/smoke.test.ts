import { deployFixture, type Fixture } from '../support/chain.js';
import { TestAgency, TestHolder } from '../support/credentials.js';
import { testCatalog, testSchemaRef } from '../support/test-catalog.js';
import { post, startTestVerifier, waitForMirrors } from '../support/verifier.js';
import type { RunningVerifier } from '../../apps/verifier/src/start-verifier.js';

let fixture: Fixture;
let verifier: RunningVerifier;
let agency: TestAgency;

beforeAll(async () => {
  fixture = await deployFixture();
  agency = await TestAgency.create(fixture, [{ type: 'TestIdCredential' }]);
  verifier = await startTestVerifier(fixture, {}, { catalog: testCatalog() });
  await waitForMirrors(verifier, await fixture.provider.getBlockNumber());
});
afterAll(async () => {
  await verifier?.close();
  fixture?.provider.destroy();
});

test('honest presentation verifies', async () => {
  const holder = new TestHolder();
  const { jwt } = await agency.issue({ type: 'TestIdCredential', holder: holder.did, claims: { name: 'Li Lei', birthDate: '1990-01-01' }, schema: testSchemaRef('TestIdCredential') });
  const cred = await post(`${verifier.url}/credentials/verify`, { verifiableCredential: jwt });
  console.log(JSON.stringify(cred.body, null, 1));
  const req = await post<{ challenge: string; domain: string; id: string }>(`${verifier.url}/presentation-requests`, {
    query: { credentials: [{ type: 'TestIdCredential', claims: ['name'] }] },
  });
  expect(req.status).toBe(201);
  const vp = await holder.present([jwt], req.body.challenge, req.body.domain);
  const res = await post(`${verifier.url}/presentations/verify`, { verifiablePresentation: vp, options: { challenge: req.body.challenge, domain: req.body.domain } });
  console.log(JSON.stringify(res.body, null, 1));
  expect(res.body.verified).toBe(true);
});
