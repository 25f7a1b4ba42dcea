import { verifyCredential } from 'did-jwt-vc';
import { createDidResolver } from '../../libs/credentials/src/index.js';
import { Oid4vciTypeormStore } from '../../apps/issuer/src/oid4vci/oid4vci-typeorm.store.js';
import { freePort } from '../support/free-port.js';
import { newP256, proofJwt } from '../support/batch-copies.js';
import { SAMPLE_CLAIMS } from '../support/sample-claims.js';
import { ecKey } from '../support/sd-jwt-fixtures.js';
import { postgresTest } from '../support/postgres.js';
import { holderDid, issueRequest } from './claims.js';
import { startHarness, waitFor } from './issuer-harness.js';
import { decodeJwt } from './jwt.js';
import { preAuthorizedCodeOf } from '../support/offer-code.js';

// The same entities and migrations as on SQLite, end to end, on a fresh PostgreSQL database (the run's cluster:
// see test/support/postgres.ts; without PostgreSQL this test fails unless GOVCRED_SKIP_POSTGRES=1).
postgresTest('the issuer runs on PostgreSQL: issue (both formats, SD-JWT VC copies), anchor revocations, bulk, audit check', async (url) => {
  const port = await freePort();
  const h = await startHarness({ env: { DATABASE_URL: url, ISSUER_PORT: String(port), ISSUER_PUBLIC_URL: `http://127.0.0.1:${port}` } });
  try {
    const a = await h.createAgency(['EducationCredential']);
    const res = await a.client.post('/credentials/issue', issueRequest('EducationCredential', holderDid(1)));
    expect(res.status).toBe(201);
    expect((await verifyCredential(res.body.verifiableCredential, createDidResolver({ chainId: 31337, rpcUrl: h.config.CHAIN_RPC_URL, didRegistry: h.config.DID_REGISTRY }))).verified).toBe(true);
    const change = await a.client.post('/credentials/status', { credentialId: decodeJwt(res.body.verifiableCredential).payload.jti, action: 'revoke' });
    expect(change.status).toBe(202);
    await waitFor(async () => (await a.client.get(`/credentials/status/${change.body.id}`)).body.state === 'anchored');
    // The format column and the bulk items' options (migration 1764800000000) on PostgreSQL.
    const sdJwtOptions = { format: 'dc+sd-jwt', holderJwk: ecKey('P-256').jwk };
    const sd = await a.client.post('/credentials/issue', { ...issueRequest('EducationCredential', holderDid(4)), options: sdJwtOptions });
    expect(sd.status).toBe(201);
    expect((await a.client.get(`/credentials/${encodeURIComponent(sd.body.credentialId)}`)).body.format).toBe('dc+sd-jwt');
    const bulk = await a.client.post('/credentials/issue/bulk', {
      items: [issueRequest('EducationCredential', holderDid(2)), { ...issueRequest('EducationCredential', holderDid(3)), options: sdJwtOptions }],
    });
    const done = await waitFor(async () => {
      const job = (await a.client.get(`/credentials/issue/bulk/${bulk.body.id}`)).body;
      return job.state === 'done' ? job : undefined;
    });
    expect(done).toMatchObject({ succeeded: 2, failed: 0 });
    const results = (await a.client.get(`/credentials/issue/bulk/${bulk.body.id}/results`)).body.items;
    expect(results[1].verifiableCredential).toMatch(/~$/);
    // OID4VCI batch copies (migration 1767200000000): three copies, one record, a revocation reaching all three.
    const offer = await a.client.post('/oid4vci/offers', { type: 'EducationCredential', format: 'dc+sd-jwt', claims: SAMPLE_CLAIMS.EducationCredential });
    const issuer = offer.body.credentialIssuer as string;
    const code = await preAuthorizedCodeOf(offer.body.offerUri);
    const form = new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code', 'pre-authorized_code': code });
    const { access_token } = (await (await fetch(`${issuer}/token`, { method: 'POST', body: form })).json()) as { access_token: string };
    const { c_nonce } = (await (await fetch(`${issuer}/nonce`, { method: 'POST' })).json()) as { c_nonce: string };
    const proofs = [newP256(), newP256(), newP256()].map((key) => proofJwt(key, issuer, c_nonce));
    const batch = await fetch(`${issuer}/credential`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${access_token}` },
      body: JSON.stringify({ credential_configuration_id: 'EducationCredential_sd_jwt', proofs: { jwt: proofs } }),
    });
    expect(((await batch.json()) as { credentials: unknown[] }).credentials).toHaveLength(3);
    const entries = async () =>
      ((await a.client.get('/agency/audit?limit=1000')).body.entries as Array<{ action: string; data: unknown }>).map((e) => ({
        action: e.action,
        data: (typeof e.data === 'string' ? JSON.parse(e.data) : e.data) as Record<string, unknown>,
      }));
    const issued = (await entries()).find((e) => e.action === 'credential.issued' && e.data.copies === 3)!;
    const revoked = await a.client.post('/credentials/status', { credentialId: issued.data.credentialId, action: 'revoke' });
    expect(revoked.status).toBe(202);
    await waitFor(async () => (await a.client.get(`/credentials/status/${revoked.body.id}`)).body.state === 'anchored');
    expect((await entries()).filter((e) => e.action === 'status.anchored').at(-1)!.data.changeIds).toHaveLength(3);
    expect((await h.admin.get('/admin/audit/check')).body).toMatchObject({ valid: true });

    // OID4VCI housekeeping on PostgreSQL: expired offers, nonces and tokens go (the claims in them with them),
    // fresh ones stay.
    const store = h.issuer.app.get(Oid4vciTypeormStore);
    const past = new Date(Date.now() - 3_600_000);
    const future = new Date(Date.now() + 3_600_000);
    const stored = (codeHash: string, expiresAt: Date) => ({ codeHash, credentialIssuer: 'x', configurationId: 'c', txCodeFailures: 0, createdAt: past, expiresAt, context: { name: '张三' } });
    await store.saveOffer(stored('old-offer', past));
    await store.saveOffer(stored('new-offer', future));
    await store.saveNonce({ nonce: 'old-nonce', credentialIssuer: 'x', expiresAt: past });
    await store.redeemOffer('new-offer', new Date(), 5, { tokenHash: 'old-token', credentialIssuer: 'x', offerCodeHash: 'new-offer', configurationId: 'c', context: { name: '张三' }, expiresAt: past });
    expect(await store.deleteExpired(new Date())).toBe(3);
    expect(await store.findOffer('old-offer')).toBeUndefined();
    expect(await store.findAccessToken('old-token')).toBeUndefined();
    expect(await store.findOffer('new-offer')).toMatchObject({ codeHash: 'new-offer' });
  } finally {
    await h.close();
  }
});
