/**
 * What RadLens keeps in the browser, and removing it. Only names the app owns
 * are touched: IndexedDB databases and Cache Storage caches whose names start
 * with "radlens", and localStorage keys starting with "radlens.". The service
 * worker's precache (the app itself, for offline use) is left alone.
 */

export const OWNED_PREFIX = /^radlens/i;
export const OWNED_STORAGE_KEY = /^radlens[.:_-]/i;

export interface LocalDataEnv {
  indexedDB?: Pick<IDBFactory, 'databases' | 'deleteDatabase'>;
  caches?: Pick<CacheStorage, 'keys' | 'delete'>;
  localStorage?: Pick<Storage, 'length' | 'key' | 'removeItem'>;
}

export interface RemovalReport {
  databases: string[];
  /** Databases another open connection holds: removed once that page or worker closes. */
  blockedDatabases: string[];
  caches: string[];
  settings: string[];
  errors: string[];
}

function browserEnv(): LocalDataEnv {
  return {
    indexedDB: typeof indexedDB !== 'undefined' ? indexedDB : undefined,
    caches: typeof caches !== 'undefined' ? caches : undefined,
    localStorage: typeof localStorage !== 'undefined' ? localStorage : undefined,
  };
}

export async function ownedDatabases(env: LocalDataEnv = browserEnv()): Promise<string[]> {
  if (!env.indexedDB?.databases) return [];
  const list = await env.indexedDB.databases();
  return list.map((d) => d.name ?? '').filter((n) => OWNED_PREFIX.test(n));
}

export async function ownedCaches(env: LocalDataEnv = browserEnv()): Promise<string[]> {
  if (!env.caches) return [];
  return (await env.caches.keys()).filter((n) => OWNED_PREFIX.test(n));
}

export function ownedSettings(env: LocalDataEnv = browserEnv()): string[] {
  const s = env.localStorage;
  if (!s) return [];
  const keys: string[] = [];
  for (let i = 0; i < s.length; i++) {
    const k = s.key(i);
    if (k && OWNED_STORAGE_KEY.test(k)) keys.push(k);
  }
  return keys;
}

/** Resolves 'deleted', or 'blocked' when an open connection holds it past `waitMs`. */
function deleteDatabase(factory: Pick<IDBFactory, 'deleteDatabase'>, name: string, waitMs: number): Promise<'deleted' | 'blocked'> {
  return new Promise((resolve, reject) => {
    const req = factory.deleteDatabase(name);
    let timer: ReturnType<typeof setTimeout> | undefined;
    req.onsuccess = () => {
      clearTimeout(timer);
      resolve('deleted');
    };
    req.onerror = () => {
      clearTimeout(timer);
      reject(req.error ?? new Error(`could not delete ${name}`));
    };
    req.onblocked = () => {
      timer = setTimeout(() => resolve('blocked'), waitMs);
    };
  });
}

/** `keepDatabases`: databases emptied another way (the model library clears its stores while it stays open). */
export async function deleteLocalData(env: LocalDataEnv = browserEnv(), waitMs = 3000, keepDatabases: string[] = []): Promise<RemovalReport> {
  const report: RemovalReport = { databases: [], blockedDatabases: [], caches: [], settings: [], errors: [] };
  try {
    for (const name of await ownedDatabases(env)) {
      if (keepDatabases.includes(name)) continue;
      try {
        const outcome = await deleteDatabase(env.indexedDB!, name, waitMs);
        (outcome === 'deleted' ? report.databases : report.blockedDatabases).push(name);
      } catch (e) {
        report.errors.push(`${name}: ${(e as Error).message}`);
      }
    }
  } catch (e) {
    report.errors.push(`IndexedDB: ${(e as Error).message}`);
  }
  try {
    for (const name of await ownedCaches(env)) {
      if (await env.caches!.delete(name)) report.caches.push(name);
    }
  } catch (e) {
    report.errors.push(`Cache Storage: ${(e as Error).message}`);
  }
  for (const key of ownedSettings(env)) {
    env.localStorage!.removeItem(key);
    report.settings.push(key);
  }
  return report;
}
