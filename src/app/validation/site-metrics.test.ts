import { describe, expect, it } from 'vitest';
import { cellOf, matchFolders, operatingMetrics, siteData, thresholdFreeMetrics } from './site-metrics';

const rows = [
  { file: 'P/a', label: 'P', scores: { P: 0.9, N: 0.1 } },
  { file: 'P/b', label: 'P', scores: { P: 0.4, N: 0.6 }, ood: true, oodReason: 'not a chest' },
  { file: 'N/c', label: 'N', scores: { P: 0.3, N: 0.7 } },
  { file: 'N/d', label: 'N', scores: { P: 0.6, N: 0.4 } },
  { file: 'N/e', label: 'N', error: 'truncated' },
];

describe('site metrics', () => {
  it('counts refused images in the metrics and reports them', () => {
    const d = siteData(rows, 'P');
    expect(d.images.length).toBe(4);
    expect(d.oodRefused).toBe(1);
    expect(d.errors).toEqual([{ file: 'N/e', message: 'truncated' }]);
    const m = operatingMetrics(d, 0.5);
    expect(m.confusion).toEqual({ tp: 1, fn: 1, fp: 1, tn: 1 });
    expect(thresholdFreeMetrics(d).auc).toBeCloseTo(0.75);
    expect(cellOf(d.images[1], 0.5)).toBe('fn');
  });
  it('matches folders to labels, case-insensitively', () => {
    const r = matchFolders(['covid/x.png', 'NonCOVID/y.png', 'Other/z.png', 'notes.txt'], ['COVID', 'NonCOVID']);
    expect(r.matched).toEqual([{ index: 0, label: 'COVID' }, { index: 1, label: 'NonCOVID' }]);
    expect(r.unknownFolders).toEqual(['Other']);
    expect(r.ignored).toEqual(['notes.txt']);
  });
});
