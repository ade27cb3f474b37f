import { beforeAll, describe, expect, it } from 'vitest';
import { zipSync } from 'fflate';
import { tf, initBackend } from '../runtime';
import { exportBundleZip, importBundleZip } from '.';
import { loadModel } from '../model/load';
import { memoryReader } from '../model/reader';
import { tinyBaseFiles } from '../testing/tiny-model';

let files: Map<string, Uint8Array>;

beforeAll(async () => {
  await initBackend(['cpu']);
  files = await tinyBaseFiles();
});

describe('model bundles', () => {
  it('round-trips through a zip and loads with verified weights', async () => {
    const zip = await exportBundleZip(files);
    const back = await importBundleZip(zip);
    expect([...back.keys()].sort()).toEqual(['card.json', 'group1-shard1of1.bin', 'model.json']);
    for (const [k, v] of files) expect(back.get(k)).toEqual(v);
    const loaded = await loadModel(memoryReader(back, 'zip'));
    const x = tf.ones([1, 16, 16, 1]);
    const y = loaded.model.predict(x) as tf.Tensor;
    expect(y.shape).toEqual([1, 2]);
    tf.dispose([x, y]);
    loaded.dispose();
  });

  it('accepts a bundle zipped inside one folder', async () => {
    const nested = zipSync(Object.fromEntries([...files].map(([k, v]) => [`my-model/${k}`, v])));
    expect((await importBundleZip(nested)).has('model.json')).toBe(true);
  });

  it('refuses what is not a valid bundle, saying why', async () => {
    await expect(importBundleZip(new TextEncoder().encode('hello'))).rejects.toThrow(/not a zip/);
    const noCard = new Map(files);
    noCard.delete('card.json');
    await expect(importBundleZip(await exportBundleZip(noCard))).rejects.toThrow(/no card\.json/);
    const badCard = new Map(files);
    badCard.set('card.json', new TextEncoder().encode('{"schema":"nope"}'));
    await expect(importBundleZip(await exportBundleZip(badCard))).rejects.toThrow(/card\.json is invalid/);
    const tampered = new Map(files);
    const w = Uint8Array.from(files.get('group1-shard1of1.bin')!);
    w[10] ^= 0xff;
    tampered.set('group1-shard1of1.bin', w);
    await expect(importBundleZip(await exportBundleZip(tampered))).rejects.toThrow(/sha256 mismatch/);
  });
});
