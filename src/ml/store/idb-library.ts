import { openDB, type IDBPDatabase, type DBSchema } from 'idb';
import { validateCard } from '../card';
import type { FeatureCache } from './feature-cache';
import { libraryKey, parseCardBytes, renamedCard, totalBytes, type ModelLibrary, type StoredModelSummary } from './library';

/**
 * Browser-only: the model library and the feature cache in IndexedDB (one
 * database, three stores). Everything stays on this machine; deleteAll() is
 * the "forget everything" button and reports what it removed.
 */

interface RadLensDb extends DBSchema {
  models: { key: string; value: { key: string; files: Record<string, Uint8Array>; createdAt: string; bytes: number } };
  features: { key: string; value: Float32Array };
  settings: { key: string; value: unknown };
}

export const DB_NAME = 'radlens';
const ACTIVE = 'activeModel';

export function openLibraryDb(name = DB_NAME): Promise<IDBPDatabase<RadLensDb>> {
  return openDB<RadLensDb>(name, 1, {
    upgrade(db) {
      db.createObjectStore('models');
      db.createObjectStore('features');
      db.createObjectStore('settings');
    },
  });
}

const toMap = (files: Record<string, Uint8Array>) => new Map(Object.entries(files));

export class IdbModelLibrary implements ModelLibrary {
  constructor(private readonly db: Promise<IDBPDatabase<RadLensDb>> = openLibraryDb()) {}

  async list(): Promise<StoredModelSummary[]> {
    const rows = await (await this.db).getAll('models');
    return rows.map((r) => ({ key: r.key, card: parseCardBytes(toMap(r.files)), createdAt: r.createdAt, bytes: r.bytes }));
  }
  async save(files: Map<string, Uint8Array>): Promise<StoredModelSummary> {
    const card = validateCard(parseCardBytes(files));
    const key = libraryKey(card);
    const createdAt = new Date().toISOString();
    const bytes = totalBytes(files);
    await (await this.db).put('models', { key, files: Object.fromEntries(files), createdAt, bytes }, key);
    return { key, card, createdAt, bytes };
  }
  async getFiles(key: string) {
    const row = await (await this.db).get('models', key);
    return row ? toMap(row.files) : undefined;
  }
  async rename(key: string, name: string) {
    const db = await this.db;
    const row = await db.get('models', key);
    if (!row) throw new Error(`no model ${key} in the library`);
    const files = renamedCard(toMap(row.files), name);
    await db.put('models', { ...row, files: Object.fromEntries(files), bytes: totalBytes(files) }, key);
  }
  async delete(key: string) {
    const db = await this.db;
    const had = (await db.getKey('models', key)) !== undefined;
    await db.delete('models', key);
    if ((await db.get('settings', ACTIVE)) === key) await db.delete('settings', ACTIVE);
    return had;
  }
  async setActive(key: string | null) {
    const db = await this.db;
    if (key === null) return db.delete('settings', ACTIVE);
    if ((await db.getKey('models', key)) === undefined) throw new Error(`no model ${key} in the library`);
    await db.put('settings', key, ACTIVE);
  }
  async getActive() {
    return ((await (await this.db).get('settings', ACTIVE)) as string | undefined) ?? null;
  }
  async estimate() {
    const db = await this.db;
    const rows = await db.getAll('models');
    const quota = typeof navigator !== 'undefined' && navigator.storage?.estimate ? await navigator.storage.estimate() : {};
    return { usage: quota.usage, quota: quota.quota, models: rows.length, modelBytes: rows.reduce((s, r) => s + r.bytes, 0), features: await db.count('features') };
  }
  async deleteAll() {
    const db = await this.db;
    const removed = { models: await db.count('models'), features: await db.count('features'), settings: await db.count('settings') };
    const tx = db.transaction(['models', 'features', 'settings'], 'readwrite');
    await Promise.all([tx.objectStore('models').clear(), tx.objectStore('features').clear(), tx.objectStore('settings').clear(), tx.done]);
    return removed;
  }
}

/** Frozen-trunk features in IndexedDB, so a re-training after a reload skips the forward passes. */
export class IdbFeatureCache implements FeatureCache {
  constructor(private readonly db: Promise<IDBPDatabase<RadLensDb>> = openLibraryDb()) {}
  async get(key: string) {
    return (await this.db).get('features', key);
  }
  async put(key: string, features: Float32Array) {
    await (await this.db).put('features', features, key);
  }
}
