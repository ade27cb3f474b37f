import { describe, expect, it } from 'vitest';
import { blendHeatmap, resizeNearest, viridis } from './colormap';

describe('viridis', () => {
  it('runs from dark purple to yellow and clamps', () => {
    expect(viridis(0)).toEqual([68, 1, 84]);
    expect(viridis(1)).toEqual([253, 231, 37]);
    expect(viridis(2)).toEqual([253, 231, 37]);
    expect(viridis(Number.NaN)).toEqual([68, 1, 84]);
  });
  it('gets brighter (luma) as the value rises, so it reads in greyscale', () => {
    const luma = (c: number[]) => 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2];
    for (let t = 0.1; t <= 1; t += 0.1) expect(luma(viridis(t))).toBeGreaterThan(luma(viridis(t - 0.1)));
  });
  it('leaves the image alone at zero opacity', () => {
    const out = blendHeatmap(new Float32Array([0.5]), new Float32Array([1]), 0);
    expect(Array.from(out)).toEqual([128, 128, 128, 255]);
  });
  it('resizes by nearest neighbour', () => {
    expect(Array.from(resizeNearest(new Float32Array([0, 1, 2, 3]), 2, 2, 4, 4).slice(0, 4))).toEqual([0, 0, 1, 1]);
  });
});
