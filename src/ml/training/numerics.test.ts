import { beforeAll, describe, expect, it } from 'vitest';
import { tf, initBackend } from '../runtime';
import { fitTemperature, temperatureNll } from './calibrate';
import { oodStats, distance, invert } from './ood-stats';
import { youdenThreshold, unsureBand } from './operating-point';
import { augmentBatch, normalizeBatch, DEFAULT_AUGMENT } from './augment';
import { computeFeatures } from './features';
import { MemoryFeatureCache } from './feature-cache';
import { seededRandom } from '../random';
import { tinyBaseModel, tinyBaseCard } from '../testing/tiny-model';

beforeAll(async () => {
  await initBackend(['cpu']);
});

describe('temperature scaling', () => {
  it('recovers the temperature of over-confident logits', () => {
    const r = seededRandom(1);
    const logits: number[] = [], labels: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const z = (r() - 0.5) * 8; // true logit
      labels.push(r() < 1 / (1 + Math.exp(-z)) ? 1 : 0);
      logits.push(0, z * 3); // 3× too confident
    }
    const t = fitTemperature(logits, labels, 2);
    expect(t).toBeGreaterThan(2.5);
    expect(t).toBeLessThan(3.6);
    expect(temperatureNll(logits, labels, 2, t)).toBeLessThan(temperatureNll(logits, labels, 2, 1));
  });
});

describe('operating point', () => {
  it('Youden threshold separates separable scores; the band contains it', () => {
    const scores = [0.1, 0.2, 0.3, 0.7, 0.8, 0.9], labels = [0, 0, 0, 1, 1, 1];
    const t = youdenThreshold(scores, labels);
    expect(t).toBeCloseTo(0.5, 5);
    const band = unsureBand(scores, labels, t);
    expect(band.low).toBeLessThanOrEqual(t);
    expect(band.high).toBeGreaterThanOrEqual(t);
  });
});

describe('OOD statistics', () => {
  it('inverts, and accepts in-distribution while a far point exceeds the threshold', () => {
    const m = Float64Array.from([4, 1, 1, 3]);
    const inv = invert(m, 2);
    expect(4 * inv[0] + 1 * inv[2]).toBeCloseTo(1, 10);
    const r = seededRandom(2);
    const sample = () => Float32Array.from({ length: 6 }, () => r() * 2 - 1);
    const ood = oodStats(Array.from({ length: 200 }, sample), Array.from({ length: 50 }, sample));
    expect(ood.precision.length).toBe(36);
    expect(distance(sample(), ood.mean, ood.precision)).toBeLessThan(ood.threshold);
    expect(distance(new Float32Array(6).fill(5), ood.mean, ood.precision)).toBeGreaterThan(ood.threshold);
  });
});

describe('augmentation', () => {
  it('keeps shape and range, flip is off by default, and leaks nothing', () => {
    expect(DEFAULT_AUGMENT.flip).toBe(false);
    const m = tinyBaseModel();
    const spec = tinyBaseCard(m).input;
    m.dispose();
    const before = tf.memory().numTensors;
    const x = tf.randomUniform([3, 16, 16, 1]) as tf.Tensor4D;
    const y = augmentBatch(x, seededRandom(3));
    const z = normalizeBatch(y, spec);
    expect(y.shape).toEqual([3, 16, 16, 1]);
    const max = tf.max(y), mean = tf.mean(z);
    expect(max.dataSync()[0]).toBeLessThanOrEqual(1);
    expect(Math.abs(mean.dataSync()[0])).toBeLessThan(1e-4);
    tf.dispose([x, y, z, max, mean]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('computeFeatures', () => {
  it('computes features in batches once, then serves them from the cache', async () => {
    const model = tinyBaseModel();
    const card = tinyBaseCard(model);
    const cache = new MemoryFeatureCache();
    let calls = 0;
    const sources = Array.from({ length: 5 }, (_, i) => ({ sha256: `h${i}`, input: () => { calls++; return new Float32Array(256).fill(i / 5); } }));
    const first = await computeFeatures({ model, card, sources, cache, batchSize: 2 });
    expect(first.map((f) => f.length)).toEqual([8, 8, 8, 8, 8]);
    const second = await computeFeatures({ model, card, sources, cache });
    expect(calls).toBe(5);
    expect(second).toEqual(first);
    model.dispose();
  });
});

describe('OOD statistics on wide features', () => {
  it('moves to a principal subspace above OOD_MAX_DIM, and inference reads it the same way', async () => {
    const { oodStats, OOD_MAX_DIM } = await import('./ood-stats');
    const { checkFeatures } = await import('../inference/ood');
    const { tinyCard } = await import('../testing/tiny-model');
    const { seededRandom } = await import('../random');
    const d = OOD_MAX_DIM + 44;
    const r = seededRandom(11);
    // Features living mostly on 5 latent directions, as trunk features do.
    const basis = Array.from({ length: 5 }, () => Float32Array.from({ length: d }, () => r() - 0.5));
    const sample = () => {
      const f = Float32Array.from({ length: d }, () => (r() - 0.5) * 0.05);
      for (const b of basis) { const z = (r() - 0.5) * 4; for (let j = 0; j < d; j++) f[j] += z * b[j]; }
      return f;
    };
    const train = Array.from({ length: 120 }, sample), val = Array.from({ length: 40 }, sample);
    const ood = oodStats(train, val);
    expect(ood.projection?.dim).toBe(64);
    expect(ood.precision).toHaveLength(64 * 64);
    const card = tinyCard(new Uint8Array(0), 32, { ood });
    expect(checkFeatures(card, sample()).finding).toBeUndefined();
    const far = sample().map((v, j) => v + 3 * basis[0][j] * 10);
    expect(checkFeatures(card, far).finding?.code).toBe('features');
  });
});

describe('auto augmented views', () => {
  it('fills the time budget, between none and the default', async () => {
    const { autoViews, DEFAULT_HEAD_VIEWS } = await import('./defaults');
    expect(autoViews(0.037, 500)).toBe(0); // 500 images in the page on a 2-core machine: one view of each would not fit in 15 s
    expect(autoViews(0.018, 500)).toBe(1); // twice as fast
    expect(autoViews(0.02, 300, 25)).toBe(DEFAULT_HEAD_VIEWS); // fast machine: capped at the default
    expect(autoViews(0.01, 1000, 25)).toBe(2);
    expect(autoViews(0, 300)).toBe(DEFAULT_HEAD_VIEWS); // everything came from the cache
  });
});
