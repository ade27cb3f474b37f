import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../runtime';
import { loadModel } from '../model/load';
import { memoryReader } from '../model/reader';
import { tinyBaseFiles } from '../testing/tiny-model';
import { IdbFeatureCache, IdbModelLibrary, openLibraryDb } from './idb-library';

// fake-indexeddb gives Node the same IndexedDB API the page uses; each test opens its own database.
let files: Map<string, Uint8Array>;
let dbCount = 0;
const freshDb = () => openLibraryDb(`radlens-test-${++dbCount}`);

beforeAll(async () => {
  await initBackend(['cpu']);
  files = await tinyBaseFiles();
});

describe('IdbModelLibrary', () => {
  it('keeps a model across reopenings: saves, lists, renames, activates, loads, deletes', async () => {
    const name = `radlens-test-${++dbCount}`;
    const lib = new IdbModelLibrary(openLibraryDb(name));
    const saved = await lib.save(files);
    expect(saved.key).toBe('tiny-cxr@0.0.1');
    await lib.rename(saved.key, 'Our clinic model');
    await lib.setActive(saved.key);

    // A new page visit: a fresh connection to the same database.
    const again = new IdbModelLibrary(openLibraryDb(name));
    const [row] = await again.list();
    expect(row.card.name).toBe('Our clinic model');
    expect(await again.getActive()).toBe(saved.key);
    const stored = (await again.getFiles(saved.key))!;
    const loaded = await loadModel(memoryReader(stored, 'library'));
    expect(loaded.card.name).toBe('Our clinic model');
    loaded.dispose();

    expect(await again.delete(saved.key)).toBe(true);
    expect(await again.getActive()).toBeNull();
    expect(await again.delete(saved.key)).toBe(false);
  });

  it('refuses to rename or activate a model it does not hold, and to save a bundle without a valid card', async () => {
    const lib = new IdbModelLibrary(freshDb());
    await expect(lib.rename('nope@1', 'x')).rejects.toThrow(/no model nope@1/);
    await expect(lib.setActive('nope@1')).rejects.toThrow(/no model nope@1/);
    const broken = new Map(files);
    broken.set('card.json', new TextEncoder().encode('{"schema":"radlens-model-card/1"}'));
    await expect(lib.save(broken)).rejects.toThrow(/model card/);
    expect(await lib.list()).toEqual([]);
  });

  it('forgets everything on request and says what it removed', async () => {
    const db = freshDb();
    const lib = new IdbModelLibrary(db);
    const cache = new IdbFeatureCache(db);
    await lib.save(files);
    await lib.setActive('tiny-cxr@0.0.1');
    await cache.put('a', new Float32Array([1, 2]));
    expect(await lib.deleteAll()).toEqual({ models: 1, features: 1, settings: 1 });
    expect(await lib.list()).toEqual([]);
    expect(await cache.get('a')).toBeUndefined();
  });
});

describe('IdbFeatureCache', () => {
  it('returns exactly the features it stored, also after reopening', async () => {
    const name = `radlens-test-${++dbCount}`;
    const vec = Float32Array.from({ length: 1104 }, (_, i) => Math.sin(i) * 1e-3);
    await new IdbFeatureCache(openLibraryDb(name)).put('sha|trunk@1|prep', vec);
    const got = await new IdbFeatureCache(openLibraryDb(name)).get('sha|trunk@1|prep');
    expect(got).toBeInstanceOf(Float32Array);
    expect(Array.from(got!)).toEqual(Array.from(vec));
    expect(await new IdbFeatureCache(openLibraryDb(name)).get('other')).toBeUndefined();
  });
});
