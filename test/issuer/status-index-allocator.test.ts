import path from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../apps/common/src/database/data-source-options.js';
import { LIST_SIZE, StatusIndexAllocator } from '../../apps/issuer/src/credentials/status-index-allocator.js';
import { ISSUER_ENTITIES, ISSUER_MIGRATIONS } from '../../apps/issuer/src/database/database.module.js';
import { tempDir } from './issuer-harness.js';

// The in-memory status index sets, loaded from a real issuer database.
const temp = tempDir();
let dataSource: DataSource;
const AGENCY = '00000000-0000-4000-8000-000000000001';
const OTHER = '00000000-0000-4000-8000-000000000002';

beforeAll(async () => {
  dataSource = new DataSource(dataSourceOptions({ sqlitePath: path.join(temp.dir, 'issuer.sqlite'), entities: ISSUER_ENTITIES, migrations: ISSUER_MIGRATIONS }));
  await dataSource.initialize();
  // The agency already holds every even index (half its list); the other agency holds the odd ones.
  await dataSource.transaction(async (m) => {
    for (let i = 0; i < LIST_SIZE; i++) {
      await m.query(
        "INSERT INTO issued_credential (id, agencyId, type, subjectDid, statusIndex, state, issuedAt, expiresAt, updatedAt) VALUES (?, ?, 'T', 'did:example:1', ?, 'active', '', NULL, '')",
        [`urn:uuid:${i}`, i % 2 === 0 ? AGENCY : OTHER, i],
      );
    }
  });
});

afterAll(async () => {
  await dataSource.destroy();
  temp.remove();
});

test('draws random, unique indexes that the agency does not hold yet', async () => {
  const allocator = new StatusIndexAllocator(dataSource);
  const drawn = await Promise.all(Array.from({ length: 5000 }, () => allocator.reserve(AGENCY)));
  expect(new Set(drawn).size).toBe(drawn.length);
  expect(drawn.every((i) => i % 2 === 1 && i >= 0 && i < LIST_SIZE)).toBe(true);
  // Not in issuance order: far from sorted, spread over the whole list.
  const ascending = drawn.filter((v, i) => i > 0 && v > drawn[i - 1]).length;
  expect(ascending).toBeLessThan(drawn.length * 0.6);
  expect(Math.min(...drawn)).toBeLessThan(LIST_SIZE / 10);
  expect(Math.max(...drawn)).toBeGreaterThan(LIST_SIZE * 0.9);
  // Another agency's indexes are its own business: this one's set does not constrain it.
  const other = await Promise.all(Array.from({ length: 500 }, () => allocator.reserve(OTHER)));
  expect(other.every((i) => i % 2 === 0)).toBe(true);
});

test('a released index may be drawn again; one marked taken never is', async () => {
  const allocator = new StatusIndexAllocator(dataSource);
  const index = await allocator.reserve(AGENCY);
  allocator.release(AGENCY, index);
  allocator.markTaken(AGENCY, index + 2);
  await new Promise((r) => setImmediate(r));
  const taken = (allocator as unknown as { taken: Map<string, Promise<Set<number>>> }).taken;
  const set = await taken.get(AGENCY)!;
  expect(set.has(index)).toBe(false);
  expect(set.has(index + 2)).toBe(true);
});

test('a full list is a conflict, not an endless search', async () => {
  const allocator = new StatusIndexAllocator(dataSource);
  const taken = (allocator as unknown as { taken: Map<string, Promise<Set<number>>> }).taken;
  taken.set(AGENCY, Promise.resolve(new Set(Array.from({ length: LIST_SIZE }, (_, i) => i))));
  await expect(allocator.reserve(AGENCY)).rejects.toMatchObject({ code: 'conflict' });
});
