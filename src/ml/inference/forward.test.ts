import { describe, expect, it } from 'vitest';
import { batchShape } from './forward';

describe('batchShape', () => {
  it('rounds GPU batches up to a power of two, so a drop compiles at most five shapes', () => {
    const sizes = new Set(Array.from({ length: 16 }, (_, i) => batchShape(i + 1, 'webgl')));
    expect([...sizes]).toEqual([1, 2, 4, 8, 16]);
    expect(batchShape(3, 'webgpu')).toBe(4);
  });

  it('leaves WASM and CPU batches as they are (nothing to compile, padding would be wasted work)', () => {
    for (const n of [1, 3, 7, 16]) {
      expect(batchShape(n, 'wasm')).toBe(n);
      expect(batchShape(n, 'cpu')).toBe(n);
    }
  });
});
