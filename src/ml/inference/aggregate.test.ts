import { describe, expect, it } from 'vitest';
import { aggregateSlices } from './aggregate';
import type { Classification as FrameScore } from './classify';

function slice(p: number, ood = false): FrameScore {
  return {
    label: ood ? null : p >= 0.5 ? 'PNEUMONIA' : 'NORMAL',
    probability: p >= 0.5 ? p : 1 - p,
    scores: { NORMAL: 1 - p, PNEUMONIA: p },
    threshold: 0.5,
    unsure: false,
    ood,
    model: 'm@1',
  };
}

describe('aggregateSlices', () => {
  it('takes the slice with the highest positive probability and the mean', () => {
    const a = aggregateSlices([slice(0.1), slice(0.8), slice(0.3)], 'PNEUMONIA');
    expect(a.maxFrame).toBe(1);
    expect(a.maxProbability).toBeCloseTo(0.8);
    expect(a.meanProbability).toBeCloseTo(0.4);
    expect(a.representative.label).toBe('PNEUMONIA');
  });

  it('prefers an in-distribution slice over a refused one', () => {
    const a = aggregateSlices([slice(0.2), slice(0.9, true)], 'PNEUMONIA');
    expect(a.maxFrame).toBe(0);
    expect(a.representative.ood).toBe(false);
    expect(a.meanProbability).toBeCloseTo(0.55);
  });

  it('is refused when every slice is', () => {
    const a = aggregateSlices([slice(0.2, true), slice(0.9, true)], 'PNEUMONIA');
    expect(a.representative.ood).toBe(true);
  });
});
