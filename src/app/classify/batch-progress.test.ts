import { describe, expect, it } from 'vitest';
import { addSample, progressFigures, type ProgressSample } from './batch-progress';

describe('batch progress', () => {
  it('gives the rate over recent results and the time left at that rate', () => {
    let s: ProgressSample[] = [];
    for (let i = 0; i <= 20; i++) s = addSample(s, { t: i * 500, done: i * 5 }); // 10 per second
    const f = progressFigures(s, 100, 400);
    expect(f.rate).toBeCloseTo(10, 5);
    expect(f.etaSeconds).toBe(30);
  });

  it('knows no rate before a second of results, and forgets samples outside its window', () => {
    expect(progressFigures(addSample([], { t: 0, done: 1 }), 1, 10)).toEqual({ done: 1, total: 10, rate: null, etaSeconds: null });
    let s: ProgressSample[] = [];
    for (let i = 0; i < 100; i++) s = addSample(s, { t: i * 1000, done: i < 50 ? i * 100 : 5000 + i });
    expect(s[0].t).toBeGreaterThanOrEqual(99_000 - 16_000);
    expect(progressFigures(s, 5099, 6000).rate).toBeCloseTo(1, 1);
  });
});
