import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../runtime';
import { buildTextureTrunk } from '../trunk/build';
import { MemoryFeatureCache } from './feature-cache';
import { viewFeatures } from './feature-views';

beforeAll(async () => {
  await initBackend(['cpu']);
});

const card = {
  id: 'trunk-test', version: '0', layers: { features: 'features', gradcam: 'conv2' },
  input: { size: [32, 32] as [number, number], channels: 1 as const, fit: 'stretch' as const, interpolation: 'area' as const, window: { kind: 'display' as const }, normalization: { kind: 'zscore-image' as const } },
};

function image(seed: number): Uint8Array {
  return Uint8Array.from({ length: 32 * 32 }, (_, i) => (Math.sin(i * 0.37 + seed) * 60 + 120 + ((i * seed) % 17)) | 0);
}

describe('viewFeatures', () => {
  it('gives each image reproducible, distinct views, cached under the image hash, and leaks nothing', async () => {
    const model = buildTextureTrunk({ size: 32, channels: [4, 8], seed: 2 });
    const images = [image(1), image(2), image(3)];
    const sha256s = ['aa'.repeat(32), 'bb'.repeat(32), 'cc'.repeat(32)];
    const cache = new MemoryFeatureCache();
    const before = tf.memory().numTensors;
    const first = await viewFeatures({ model, card, images, sha256s, views: 2, cache, batchSize: 2 });
    expect(first).toHaveLength(2);
    expect(first[0]).toHaveLength(3);
    expect(cache.size).toBe(6);
    // Same bytes, another batch composition: the same view.
    const alone = await viewFeatures({ model, card, images: [images[2]], sha256s: [sha256s[2]], views: 2 });
    expect(Array.from(alone[1][0])).toEqual(Array.from(first[1][2]));
    const diff = first[0][0].reduce((m, v, j) => Math.max(m, Math.abs(v - first[1][0][j])), 0);
    expect(diff).toBeGreaterThan(1e-4);
    await viewFeatures({ model, card, images, sha256s, views: 2, cache });
    expect(cache.hits).toBe(6);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
