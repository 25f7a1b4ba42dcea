/**
 * Where the sealed envelope lives: IndexedDB in the browser (one record), memory in unit tests. Only the
 * encrypted envelope is ever written.
 */
export interface EnvelopeStorage {
  read(): Promise<string | undefined>;
  write(envelope: string): Promise<void>;
  clear(): Promise<void>;
}

const DB = 'govcred-wallet';
const STORE = 'vault';
const KEY = 'current';

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });
}

async function database(): Promise<IDBDatabase> {
  const open = indexedDB.open(DB, 1);
  open.onupgradeneeded = () => open.result.createObjectStore(STORE);
  return request(open);
}

async function run<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await database();
  try {
    const tx = db.transaction(STORE, mode);
    // A write counts once its transaction committed, not when the request succeeded.
    const committed = new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    });
    const result = await request(work(tx.objectStore(STORE)));
    await committed;
    return result;
  } finally {
    db.close();
  }
}

/** The browser's storage: one IndexedDB record. */
export const indexedDbStorage: EnvelopeStorage = {
  read: async () => ((await run('readonly', (s) => s.get(KEY))) as string | undefined) ?? undefined,
  write: async (envelope) => void (await run('readwrite', (s) => s.put(envelope, KEY))),
  clear: async () => void (await run('readwrite', (s) => s.delete(KEY))),
};

/** Memory storage, for tests. */
export function memoryStorage(initial?: string): EnvelopeStorage {
  let value = initial;
  return {
    read: async () => value,
    write: async (envelope) => void (value = envelope),
    clear: async () => void (value = undefined),
  };
}
