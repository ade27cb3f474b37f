import { describe, expect, it } from 'vitest';
import { extent, linePath, linearScale, niceTicks, tickDigits } from './scale';

describe('chart scales', () => {
  it('maps a domain onto a range', () => {
    const s = linearScale([0, 1], [100, 0]);
    expect(s(0)).toBe(100);
    expect(s(0.25)).toBe(75);
  });
  it('gives round ticks', () => {
    expect(niceTicks([0, 1], 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks([0, 10], 4)).toEqual([0, 2.5, 5, 7.5, 10]);
  });
  it('picks enough decimals for tick labels', () => {
    expect(tickDigits([0, 0.2, 0.4])).toBe(1);
    expect(tickDigits([0.69, 0.6925, 0.695])).toBe(4);
    expect(tickDigits([0, 5, 10])).toBe(0);
    expect(tickDigits([0, 2.5, 5])).toBe(1);
  });
  it('pads a flat extent and ignores missing values', () => {
    expect(extent([2, null, 2, NaN])).toEqual([1.5, 2.5]);
    expect(extent([])).toEqual([0, 1]);
  });
  it('breaks a line at gaps', () => {
    expect(linePath([[0, 0], [1, 1], null, [2, 2]])).toBe('M0.0,0.0L1.0,1.0M2.0,2.0');
  });
});
