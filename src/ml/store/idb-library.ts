import { openDB, type IDBPDatabase, type DBSchema } from 'idb';
import { validateCard } from '../card';
import type { FeatureCache } from './feature-cache';
import { libraryKey, parseCardBytes, renamedCard, totalBytes, type DamagedEntry, type ModelLibrary, type StoredModelSummary } from './library';
import { corruptEntry, writeFault } from './storage-faults';

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

type ModelRow = RadLensDb['models']['value'];

/** A stored row as usable files and card, or why it is not (cut short by a crash, edited, written by a broken version). */
function readRow(key: string, row: unknown): { files: Map<string, Uint8Array>; summary: StoredModelSummary } {
  const r = row as Partial<ModelRow> | null;
  if (!r || typeof r !== 'object' || !r.files || typeof r.files !== 'object') throw corruptEntry(key, 'its entry has no model files');
  for (const [name, bytes] of Object.entries(r.files)) if (!(bytes instanceof Uint8Array)) throw corruptEntry(key, `${name} is not stored as bytes`);
  const files = toMap(r.files);
  let card;
  try {
    card = validateCard(parseCardBytes(files));
  } catch (e) {
    throw corruptEntry(key, `its card.json cannot be read: ${(e as Error).message}`);
  }
  return { files, summary: { key, card, createdAt: typeof r.createdAt === 'string' ? r.createdAt : '', bytes: totalBytes(files) } };
}

export class IdbModelLibrary implements ModelLibrary {
  constructor(private readonly db: Promise<IDBPDatabase<RadLensDb>> = openLibraryDb()) {}

  /** The readable models; a damaged entry is left out here and listed by damaged(). */
  async list(): Promise<StoredModelSummary[]> {
    return (await this.scan()).ok;
  }
  async damaged(): Promise<DamagedEntry[]> {
    return (await this.scan()).damaged;
  }
  private async scan(): Promise<{ ok: StoredModelSummary[]; damaged: DamagedEntry[] }> {
    const db = await this.db;
    const keys = await db.getAllKeys('models');
    const ok: StoredModelSummary[] = [];
    const damaged: DamagedEntry[] = [];
    for (const key of keys) {
      try {
        ok.push(readRow(String(key), await db.get('models', key)).summary);
      } catch (e) {
        damaged.push({ key: String(key), message: (e as Error).message });
      }
    }
    return { ok, damaged };
  }
  async save(files: Map<string, Uint8Array>): Promise<StoredModelSummary> {
    const card = validateCard(parseCardBytes(files));
    const key = libraryKey(card);
    const createdAt = new Date().toISOString();
    const bytes = totalBytes(files);
    try {
      await (await this.db).put('models', { key, files: Object.fromEntries(files), createdAt, bytes }, key);
    } catch (e) {
      throw await writeFault(e, `model ${key}`, bytes);
    }
    return { key, card, createdAt, bytes };
  }
  /** Throws a StorageFault naming the model when its entry is damaged. */
  async getFiles(key: string) {
    const row = await (await this.db).get('models', key);
    return row === undefined ? undefined : readRow(key, row).files;
  }
  async rename(key: string, name: string) {
    const db = await this.db;
    const row = await db.get('models', key);
    if (!row) throw new Error(`no model ${key} in the library`);
    const files = renamedCard(readRow(key, row).files, name);
    try {
      await db.put('models', { ...row, files: Object.fromEntries(files), bytes: totalBytes(files) }, key);
    } catch (e) {
      throw await writeFault(e, `the new name of ${key}`, totalBytes(files));
    }
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
    const rows = (await this.scan()).ok;
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
    try {
      await (await this.db).put('features', features, key);
    } catch (e) {
      throw await writeFault(e, 'cached image features', features.byteLength);
    }
  }
}
