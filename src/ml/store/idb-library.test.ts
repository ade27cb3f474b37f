import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../runtime';
import { loadModel } from '../model/load';
import { memoryReader } from '../model/reader';
import { tinyBaseFiles } from '../testing/tiny-model';
import { IdbFeatureCache, IdbModelLibrary, openLibraryDb } from './idb-library';
import { StorageFault } from './storage-faults';
import { ModelIntegrityError } from '../model/load';

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

describe('storage faults', () => {
  const encode = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

  it('a damaged entry is named with what to do; the other models stay listed and loadable', async () => {
    const name = `radlens-test-${++dbCount}`;
    const lib = new IdbModelLibrary(openLibraryDb(name));
    const good = await lib.save(files);
    const raw = await openLibraryDb(name);
    await raw.put('models', { key: 'cut@1', files: { 'card.json': new Uint8Array([123, 34]) }, createdAt: '', bytes: 2 }, 'cut@1');
    await raw.put('models', 'not a model row' as never, 'garbage@2');
    expect((await lib.list()).map((m) => m.key)).toEqual([good.key]);
    const damaged = await lib.damaged();
    expect(damaged.map((d) => d.key)).toEqual(['cut@1', 'garbage@2']);
    for (const d of damaged) expect(d.message).toMatch(/is damaged .*Delete it on the Models page.*other models are not affected/);
    await expect(lib.getFiles('cut@1')).rejects.toBeInstanceOf(StorageFault);
    await expect(lib.getFiles('cut@1')).rejects.toThrow(/cut@1 is damaged \(its card.json cannot be read/);
    const loaded = await loadModel(memoryReader((await lib.getFiles(good.key))!, 'library'));
    loaded.dispose();
    expect(await lib.delete('cut@1')).toBe(true);
    expect((await lib.damaged()).map((d) => d.key)).toEqual(['garbage@2']);
  });

  it('a full quota gets a clear message; nothing half-saved, earlier models and the feature cache reads unchanged', async () => {
    const name = `radlens-test-${++dbCount}`;
    const real = await openLibraryDb(name);
    await new IdbModelLibrary(Promise.resolve(real)).save(files);
    await new IdbFeatureCache(Promise.resolve(real)).put('k', new Float32Array([1, 2]));
    const full = new Proxy(real, {
      get(target, prop) {
        if (prop === 'put') return () => Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
        const v = Reflect.get(target, prop);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    const lib = new IdbModelLibrary(Promise.resolve(full));
    const other = new Map(files);
    other.set('card.json', encode({ ...JSON.parse(new TextDecoder().decode(files.get('card.json')!)), version: '0.0.2' }));
    const failure = await lib.save(other).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StorageFault);
    expect((failure as StorageFault).kind).toBe('quota');
    expect((failure as Error).message).toMatch(/^Not enough storage space in this browser to save model tiny-cxr@0.0.2 \(it needs [\d.]+ MB.*Nothing was saved/);
    await expect(new IdbFeatureCache(Promise.resolve(full)).put('k2', new Float32Array(4))).rejects.toThrow(/Not enough storage space .*cached image features/);
    expect((await lib.list()).map((m) => m.key)).toEqual(['tiny-cxr@0.0.1']);
    expect(Array.from((await new IdbFeatureCache(Promise.resolve(full)).get('k'))!)).toEqual([1, 2]);
  });

  it('a stored model whose weights no longer match their sha256 is refused by name; another model still loads', async () => {
    const name = `radlens-test-${++dbCount}`;
    const lib = new IdbModelLibrary(openLibraryDb(name));
    const second = new Map(files);
    second.set('card.json', encode({ ...JSON.parse(new TextDecoder().decode(files.get('card.json')!)), version: '0.0.2' }));
    await lib.save(files);
    await lib.save(second);
    const raw = await openLibraryDb(name);
    const row = (await raw.get('models', 'tiny-cxr@0.0.1'))!;
    const weights = Object.keys(row.files).find((f) => f.endsWith('.bin'))!;
    row.files[weights] = row.files[weights].slice();
    row.files[weights][10] ^= 0xff;
    await raw.put('models', row, 'tiny-cxr@0.0.1');
    const tampered = loadModel(memoryReader((await lib.getFiles('tiny-cxr@0.0.1'))!, 'local library: tiny-cxr@0.0.1'));
    await expect(tampered).rejects.toBeInstanceOf(ModelIntegrityError);
    await expect(tampered).rejects.toThrow(/sha256 mismatch.*damaged or were changed/);
    const ok = await loadModel(memoryReader((await lib.getFiles('tiny-cxr@0.0.2'))!, 'library'));
    expect(ok.card.version).toBe('0.0.2');
    ok.dispose();
  });
});
