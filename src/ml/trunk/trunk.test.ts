import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../runtime';
import { PROJECT_ROOT } from '../../config';
import { fsReader } from '../model/fs-reader';
import { memoryReader } from '../model/reader';
import { sha256Hex } from '../model/sha256';
import { loadModel } from '../model/load';
import { gradCam } from '../explain/gradcam';
import { assembleModel, buildHead } from '../training/head';
import { modelToFiles } from '../bundle/files';
import { syntheticXray, tinyCard } from '../testing/tiny-model';
import { TEXTURE_TRUNK } from './constants';
import { buildTextureTrunk, textureFeatureDim, gaussianSource } from './build';
import { textureTrunkFiles } from './files';
import { loadTransferBase, loadTrunk } from './load';
import { validateTrunkCard } from './card';

beforeAll(async () => {
  await initBackend(['cpu']);
});

const shippedDir = join(PROJECT_ROOT, 'public', 'models', TEXTURE_TRUNK.id);

describe('texture trunk', () => {
  it('is rebuilt bit for bit from its seed (the shipped files are what npm run trunk:build writes)', async () => {
    const files = await textureTrunkFiles();
    const card = JSON.parse(readFileSync(join(shippedDir, 'card.json'), 'utf8'));
    for (const w of card.weights) expect(sha256Hex(files.get(w.path)!)).toBe(w.sha256);
    expect(new TextDecoder().decode(files.get('card.json'))).toBe(readFileSync(join(shippedDir, 'card.json'), 'utf8'));
    expect(new TextDecoder().decode(files.get('model.json'))).toBe(readFileSync(join(shippedDir, 'model.json'), 'utf8'));
  });

  it('draws standard normal weights: mean ≈ 0, variance ≈ 1', () => {
    const g = gaussianSource(1);
    let s = 0, s2 = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) { const v = g(); s += v; s2 += v * v; }
    expect(Math.abs(s / n)).toBeLessThan(0.03);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.05);
  });

  it('loads as a transfer base and gives the declared number of features, identically twice', async () => {
    const base = await loadTransferBase(fsReader(shippedDir));
    expect(base.card.id).toBe(TEXTURE_TRUNK.id);
    const x = tf.randomNormal([2, TEXTURE_TRUNK.size, TEXTURE_TRUNK.size, 1], 0, 1, 'float32', 3);
    const a = base.model.predict(x) as tf.Tensor, b = base.model.predict(x) as tf.Tensor;
    expect(a.shape).toEqual([2, textureFeatureDim()]);
    expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBe(0);
    // Two different images must not collapse to one feature vector.
    const [f0, f1] = tf.split(a, 2);
    expect(tf.max(tf.abs(tf.sub(f0, f1))).dataSync()[0]).toBeGreaterThan(1e-3);
    tf.dispose([x, a, b, f0, f1]);
    base.dispose();
  });

  it('refuses a trunk whose weights were changed, naming the file', async () => {
    const files = await textureTrunkFiles();
    const weights = Uint8Array.from(files.get('group1-shard1of1.bin')!);
    weights[100] ^= 1;
    files.set('group1-shard1of1.bin', weights);
    await expect(loadTrunk(memoryReader(files, 'tampered trunk'))).rejects.toThrow(/group1-shard1of1\.bin: sha256 mismatch/);
  });

  it('validates trunk cards field by field', () => {
    const card = JSON.parse(readFileSync(join(shippedDir, 'card.json'), 'utf8'));
    expect(validateTrunkCard(card).featureDim).toBe(textureFeatureDim());
    expect(() => validateTrunkCard({ ...card, featureDim: 0 })).toThrow(/featureDim/);
    expect(() => validateTrunkCard({ ...card, layers: { features: 'features' } })).toThrow(/layers\.gradcam/);
  });

  it('explains a model trained on it: Grad-CAM replays the pooled stages after the cut', async () => {
    const trunk = buildTextureTrunk({ size: 32, channels: [4, 8, 8], seed: 5 });
    const head = buildHead(textureFeatureDim({ channels: [4, 8, 8] }), 2);
    const model = await assembleModel(trunk, 'features', head);
    const card = tinyCard(new Uint8Array(0), 32, { layers: { gradcam: 'conv3', features: 'features', headStart: model.layers.findIndex((l) => l.name === 'dropout') } });
    const files = await modelToFiles(model, card);
    const loaded = await loadModel(memoryReader(files, 'trunk + head'));
    const before = tf.memory().numTensors;
    const map = await gradCam(loaded, syntheticXray(64, { blob: [0.3, 0.6] }), 0, 'PNEUMONIA');
    expect(tf.memory().numTensors).toBe(before);
    expect([map.width, map.height]).toEqual([8, 8]);
    expect(map.values.every((v) => v >= 0 && v <= 1)).toBe(true);
    for (const m of [trunk, head, model]) m.dispose();
    loaded.dispose();
  });
});
