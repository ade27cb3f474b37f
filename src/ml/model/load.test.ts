import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../runtime';
import { buildTinyModel, tinyBundle, WEIGHTS_FILE } from '../testing/tiny-model';
import { loadModel } from './load';
import { memoryReader } from './reader';
import { sha256Hex } from './sha256';

beforeAll(async () => {
  await initBackend(['cpu']);
});

describe('sha256Hex', () => {
  it('matches the FIPS 180-2 "abc" vector', () => {
    expect(sha256Hex(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('loadModel', () => {
  it('loads a verified bundle that predicts like the original', async () => {
    const original = buildTinyModel(3);
    const { reader } = await tinyBundle(original);
    const loaded = await loadModel(reader);
    const x = tf.randomNormal([1, 32, 32, 1], 0, 1, 'float32', 5);
    const a = original.predict(x) as tf.Tensor;
    const b = loaded.model.predict(x) as tf.Tensor;
    expect(Array.from(await b.data())).toEqual(Array.from(await a.data()));
    expect(loaded.card.id).toBe('tiny-test');
    tf.dispose([x, a, b]);
    loaded.dispose();
    original.dispose();
  });

  it('refuses a weight file with one byte changed, naming file and both hashes', async () => {
    const { files, card } = await tinyBundle();
    const tampered = new Map(files);
    const w = new Uint8Array(files.get(WEIGHTS_FILE)!);
    w[17] ^= 0x01;
    tampered.set(WEIGHTS_FILE, w);
    const err = await loadModel(memoryReader(tampered, 'tampered')).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toBe(
      `weights ${WEIGHTS_FILE}: sha256 mismatch, expected ${card.weights[0].sha256}, got ${sha256Hex(w)}; the model files are damaged or were changed`,
    );
  });

  it('refuses a card that names a layer the model lacks', async () => {
    const { files, card } = await tinyBundle();
    const bad = new Map(files);
    bad.set('card.json', new TextEncoder().encode(JSON.stringify({ ...card, layers: { ...card.layers, gradcam: 'conv9' } })));
    await expect(loadModel(memoryReader(bad, 'bad card'))).rejects.toThrow('card layers.gradcam names layer "conv9"');
  });

  it('says which file is missing', async () => {
    const { files } = await tinyBundle();
    const partial = new Map(files);
    partial.delete(WEIGHTS_FILE);
    await expect(loadModel(memoryReader(partial, 'partial'))).rejects.toThrow(`partial has no file ${WEIGHTS_FILE}`);
  });
});
