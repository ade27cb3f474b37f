import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../runtime';
import { seededRandom } from '../random';
import { auc } from '../metrics';
import { fitLinearHead } from './linear-head';
import { rowFolds } from './crossval';

beforeAll(async () => {
  await initBackend(['cpu']);
});

/** n points in d dims; class 1 (every third) shifted by `shift` along the first `informative` axes. */
function blobs(n: number, d: number, shift: number, seed: number, informative = d) {
  const r = seededRandom(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
  const x = new Float32Array(n * d), y: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 3 === 0 ? 1 : 0;
    for (let j = 0; j < d; j++) x[i * d + j] = gauss() + (c && j < informative ? shift : 0);
    y.push(c);
  }
  return { x: tf.tensor2d(x, [n, d]), y };
}

describe('fitLinearHead', () => {
  it('separates shifted classes, reports every round and leaks no tensors', async () => {
    const before = tf.memory().numTensors;
    const train = blobs(240, 12, 1, 1), val = blobs(90, 12, 1, 2);
    const rounds: number[] = [];
    const fit = await fitLinearHead(train.x, train.y, val.x, val.y, { nClasses: 2, positiveIndex: 1, rounds: 6, onEpoch: (s) => rounds.push(s.epoch) });
    expect(rounds).toEqual([1, 2, 3, 4, 5, 6]);
    expect(fit.history.at(-1)!.valAuc).toBeGreaterThan(0.9);
    expect(fit.kernel.shape).toEqual([12, 2]);
    const scores = tf.tidy(() => tf.softmax(tf.add(tf.matMul(val.x, fit.kernel), fit.bias)).slice([0, 1], [-1, 1]).reshape([-1]));
    expect(auc(scores.dataSync(), Uint8Array.from(val.y))).toBeGreaterThan(0.9);
    tf.dispose([train.x, val.x, fit.kernel, fit.bias, scores]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('with many noise features, a stronger penalty shrinks the weights; a grid needs folds and chooses on them, not on validation', async () => {
    const train = blobs(60, 200, 1.2, 3, 4), val = blobs(120, 200, 1.2, 4, 4);
    const weak = await fitLinearHead(train.x, train.y, val.x, val.y, { nClasses: 2, positiveIndex: 1, penalties: [1e-4], rounds: 8 });
    const strong = await fitLinearHead(train.x, train.y, val.x, val.y, { nClasses: 2, positiveIndex: 1, penalties: [1], rounds: 8 });
    const norm = (t: tf.Tensor) => tf.norm(t).dataSync()[0];
    expect(norm(strong.kernel)).toBeLessThan(norm(weak.kernel) / 5);
    await expect(fitLinearHead(train.x, train.y, val.x, val.y, { nClasses: 2, positiveIndex: 1, penalties: [1e-4, 1] })).rejects.toThrow(/folds/);
    const folds = rowFolds(Int32Array.from(train.y, (_, i) => i % 4), 4, 1);
    const grid = await fitLinearHead(train.x, train.y, val.x, val.y, { nClasses: 2, positiveIndex: 1, penalties: [1e-4, 1e-2, 1], rounds: 8, folds });
    expect([1e-4, 1e-2, 1]).toContain(grid.penalty);
    expect(grid.crossValidation!.folds).toBe(4);
    expect(grid.crossValidation!.aucs).toHaveLength(4);
    // Each fold model sees only the other folds: a point's held-out score differs from the final model's.
    expect(grid.crossValidation!.mean).toBeGreaterThan(0.6);
    expect(grid.crossValidation!.mean).toBeLessThan(1);
    // The same grid with validation labels flipped: a choice made on validation would change, this one cannot.
    const flipped = await fitLinearHead(train.x, train.y, val.x, val.y.map((l) => 1 - l), { nClasses: 2, positiveIndex: 1, penalties: [1e-4, 1e-2, 1], rounds: 8, folds });
    expect(flipped.penalty).toBe(grid.penalty);
    tf.dispose([train.x, val.x, weak.kernel, weak.bias, strong.kernel, strong.bias, grid.kernel, grid.bias, flipped.kernel, flipped.bias]);
  });

  it('stops with an AbortError when cancelled', async () => {
    const train = blobs(30, 4, 1, 5);
    const controller = new AbortController();
    controller.abort();
    await expect(fitLinearHead(train.x, train.y, train.x, train.y, { nClasses: 2, positiveIndex: 1, signal: controller.signal })).rejects.toThrow(/cancel/);
    train.x.dispose();
  });
});
