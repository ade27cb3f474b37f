import { describe, expect, it } from 'vitest';
import { deleteLocalData, type LocalDataEnv } from './local-data';

function fakeStorage(entries: Record<string, string>): LocalDataEnv['localStorage'] & { data: Record<string, string> } {
  const data = { ...entries };
  return {
    data,
    get length() {
      return Object.keys(data).length;
    },
    key: (i: number) => Object.keys(data)[i] ?? null,
    removeItem: (k: string) => {
      delete data[k];
    },
  };
}

function fakeIdb(names: string[], blocked: string[] = []) {
  const remaining = new Set(names);
  return {
    remaining,
    databases: async () => [...remaining].map((name) => ({ name, version: 1 })),
    deleteDatabase: (name: string) => {
      const req = {} as IDBOpenDBRequest;
      setTimeout(() => {
        if (blocked.includes(name)) (req.onblocked as () => void)?.();
        else {
          remaining.delete(name);
          (req.onsuccess as () => void)?.();
        }
      }, 0);
      return req;
    },
  };
}

describe('deleteLocalData', () => {
  it('removes only what RadLens owns and says what it removed', async () => {
    const localStorage = fakeStorage({ 'radlens.language': 'zh', 'radlens.activeModel': 'x', other: '1' });
    const idb = fakeIdb(['radlens-models', 'radlens-features', 'someone-else']);
    const cacheNames = new Set(['radlens-models-v1', 'workbox-precache-v2']);
    const env: LocalDataEnv = {
      localStorage,
      indexedDB: idb as unknown as LocalDataEnv['indexedDB'],
      caches: { keys: async () => [...cacheNames], delete: async (n: string) => cacheNames.delete(n) },
    };
    const report = await deleteLocalData(env);
    expect(report.databases).toEqual(['radlens-models', 'radlens-features']);
    expect(report.caches).toEqual(['radlens-models-v1']);
    expect(report.settings.sort()).toEqual(['radlens.activeModel', 'radlens.language']);
    expect([...idb.remaining]).toEqual(['someone-else']);
    expect([...cacheNames]).toEqual(['workbox-precache-v2']);
    expect(Object.keys(localStorage.data)).toEqual(['other']);
  });

  it('reports a database held open elsewhere as blocked, not removed', async () => {
    const idb = fakeIdb(['radlens-models'], ['radlens-models']);
    const report = await deleteLocalData({ indexedDB: idb as unknown as LocalDataEnv['indexedDB'] }, 10);
    expect(report.databases).toEqual([]);
    expect(report.blockedDatabases).toEqual(['radlens-models']);
  });
});
