import { describe, expect, it } from 'vitest';
import { etaSeconds, formatDuration } from './eta';

describe('eta', () => {
  it('extrapolates the mean rate', () => {
    expect(etaSeconds(0, 10, 5)).toBeNull();
    expect(etaSeconds(2, 10, 4)).toBe(16);
    expect(etaSeconds(10, 10, 4)).toBe(0);
  });
  it('formats durations', () => {
    expect(formatDuration(65)).toBe('1:05');
    expect(formatDuration(3725)).toBe('1:02:05');
  });
});
