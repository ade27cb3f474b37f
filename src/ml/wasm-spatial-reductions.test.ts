import { describe, expect, it } from 'vitest';
import { tf } from './runtime';
import { useBackend } from './testing/backends';
import { isSpatialPair } from './wasm-spatial-reductions';

describe('wasm spatial reductions', () => {
  it('recognizes only the height and width axes of a 4-D tensor', () => {
    expect(isSpatialPair([1, 2], 4)).toBe(true);
    expect(isSpatialPair([-2, -3], 4)).toBe(true);
    expect(isSpatialPair([2, 1], 4)).toBe(true);
    expect(isSpatialPair([1, 2], 3)).toBe(false);
    expect(isSpatialPair([1], 4)).toBe(false);
    expect(isSpatialPair([1, 2, 3], 4)).toBe(false);
    expect(isSpatialPair(undefined, 4)).toBe(false);
  });

  it('gives the cpu backend\'s mean and max through pooling, and leaves other reductions alone', async () => {
    const shape = [3, 37, 29, 5];
    const values = Float32Array.from({ length: 3 * 37 * 29 * 5 }, (_, i) => Math.sin(i * 0.37) * 3 + (i % 7));
    const reductions = (backendName: string) => tf.tidy(() => {
      const x = tf.tensor4d(values, shape as [number, number, number, number]);
      const out = [tf.mean(x, [1, 2]), tf.max(x, [2, 1], true), tf.mean(x, [-3, -2], true), tf.max(x, [1, 2]), tf.mean(x, 3), tf.max(x, [0, 1]), tf.mean(x)];
      expect(tf.getBackend()).toBe(backendName);
      return out.map((t) => ({ shape: t.shape, data: Array.from(t.dataSync()) }));
    });
    await useBackend('cpu');
    const want = reductions('cpu');
    await useBackend('wasm');
    // The pooling path is the one registered (so this compares it, not wasm's own Mean and Max).
    expect((tf.getKernel('Mean', 'wasm') as { spatial?: boolean }).spatial).toBe(true);
    expect((tf.getKernel('Max', 'wasm') as { spatial?: boolean }).spatial).toBe(true);
    const got = reductions('wasm');
    got.forEach((g, i) => {
      expect(g.shape).toEqual(want[i].shape);
      g.data.forEach((v, j) => expect(v).toBeCloseTo(want[i].data[j], 4));
    });
  });

  it('frees the pooled intermediate (no tensor or byte leaks)', async () => {
    await useBackend('wasm');
    const x = tf.randomNormal([2, 16, 16, 4]);
    const before = tf.memory();
    for (let i = 0; i < 5; i++) tf.dispose([tf.mean(x, [1, 2]), tf.max(x, [1, 2], true)]);
    const after = tf.memory();
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numBytes).toBe(before.numBytes);
    x.dispose();
  });
});
