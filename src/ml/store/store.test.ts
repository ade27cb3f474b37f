import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../runtime';
import { MemoryModelLibrary } from './memory-library';
import { loadIntranetIndex, fetchIntranetModel } from './intranet';
import { sha256Hex } from '../model/sha256';
import { tinyBaseFiles } from '../testing/tiny-model';

let files: Map<string, Uint8Array>;
beforeAll(async () => {
  await initBackend(['cpu']);
  files = await tinyBaseFiles();
});

describe('MemoryModelLibrary', () => {
  it('saves, lists, renames, activates, deletes and forgets everything', async () => {
    const lib = new MemoryModelLibrary();
    const saved = await lib.save(files);
    expect(saved.key).toBe('tiny-cxr@0.0.1');
    await lib.rename(saved.key, 'Our model');
    expect((await lib.list())[0].card.name).toBe('Our model');
    await lib.setActive(saved.key);
    expect(await lib.getActive()).toBe(saved.key);
    await lib.features.put('k', new Float32Array(2));
    expect(await lib.deleteAll()).toEqual({ models: 1, features: 1, settings: 1 });
    expect(await lib.list()).toEqual([]);
    expect(await lib.getActive()).toBeNull();
  });
});

describe('intranet index', () => {
  const served = new Map<string, Uint8Array>();
  const fake = async (url: string) => {
    const b = served.get(url);
    return new Response(b ? b.slice() : null, { status: b ? 200 : 404 });
  };

  it('loads a pinned index and a model whose card matches, refusing mismatches', async () => {
    for (const [k, v] of files) served.set(`http://pacs.local/models/tiny/${k}`, v);
    const index = new TextEncoder().encode(JSON.stringify({ models: [{ id: 'tiny-cxr', version: '0.0.1', url: 'tiny/', sha256: sha256Hex(files.get('card.json')!) }] }));
    served.set('http://pacs.local/models/models.json', index);
    const entries = await loadIntranetIndex('http://pacs.local/models/models.json', sha256Hex(index), fake);
    expect(entries[0].url).toBe('http://pacs.local/models/tiny/');
    const got = await fetchIntranetModel(entries[0], fake);
    expect(got.get('group1-shard1of1.bin')).toEqual(files.get('group1-shard1of1.bin'));
    await expect(loadIntranetIndex('http://pacs.local/models/models.json', '0'.repeat(64), fake)).rejects.toThrow(/pinned sha256/);
    await expect(fetchIntranetModel({ ...entries[0], sha256: '1'.repeat(64) }, fake)).rejects.toThrow(/does not match/);
  });
});
