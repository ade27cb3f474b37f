import { describe, expect, it } from 'vitest';
import {
  auc,
  averagePrecision,
  bootstrapAucCI,
  confusionAt,
  expectedCalibrationError,
  metricsAt,
  prCurve,
  reliabilityBins,
  rocCurve,
  seededRandom,
  thresholdForSensitivity,
  thresholdForSpecificity,
} from './index';

// Hand count: positives 0.35, 0.8, 0.4; negatives 0.1, 0.4.
// 0.35 beats 0.1 (1), loses to 0.4 (0); 0.8 beats both (2); 0.4 beats 0.1 (1), ties 0.4 (0.5) → 4.5 / 6.
const scores = [0.1, 0.4, 0.35, 0.8, 0.4];
const labels = [0, 0, 1, 1, 1];

describe('auc', () => {
  it('matches a hand count with a tie counted one half', () => {
    expect(auc(scores, labels)).toBeCloseTo(0.75, 12);
  });
  it('is 1 for perfect ranking, 0 for reversed, 0.5 for all ties, NaN for one class', () => {
    expect(auc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(auc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1])).toBe(0);
    expect(auc([0.5, 0.5, 0.5], [0, 1, 1])).toBe(0.5);
    expect(auc([0.1, 0.2], [1, 1])).toBeNaN();
  });
  it('equals the trapezoid area under rocCurve', () => {
    const r = seededRandom(7);
    const s = Array.from({ length: 300 }, () => Math.round(r() * 20) / 20);
    const y = s.map((v) => (r() < v ? 1 : 0));
    const curve = rocCurve(s, y);
    let area = 0;
    for (let i = 1; i < curve.length; i++) area += (curve[i].fpr - curve[i - 1].fpr) * (curve[i].tpr + curve[i - 1].tpr) / 2;
    expect(auc(s, y)).toBeCloseTo(area, 10);
    expect(curve.at(-1)).toMatchObject({ fpr: 1, tpr: 1 });
  });
});

describe('bootstrapAucCI', () => {
  const r = seededRandom(3);
  const y = Array.from({ length: 400 }, (_, i) => (i % 3 === 0 ? 1 : 0));
  const s = y.map((v) => v * 0.8 + r());
  it('brackets the point AUC and is reproducible for a seed', () => {
    const point = auc(s, y);
    const ci = bootstrapAucCI(s, y, { resamples: 500, seed: 11 });
    expect(ci[0]).toBeLessThan(point);
    expect(ci[1]).toBeGreaterThan(point);
    expect(ci[1] - ci[0]).toBeLessThan(0.2);
    expect(bootstrapAucCI(s, y, { resamples: 500, seed: 11 })).toEqual(ci);
  });
  it('narrows with more data', () => {
    const wide = bootstrapAucCI(s.slice(0, 60), y.slice(0, 60), { resamples: 500 });
    const narrow = bootstrapAucCI(s, y, { resamples: 500 });
    expect(narrow[1] - narrow[0]).toBeLessThan(wide[1] - wide[0]);
  });
  it('is NaN without both classes', () => {
    expect(bootstrapAucCI([0.1, 0.2], [0, 0])).toEqual([NaN, NaN]);
  });
});

describe('operating point', () => {
  it('counts score >= threshold as positive', () => {
    expect(confusionAt(scores, labels, 0.4)).toEqual({ tp: 2, fp: 1, tn: 1, fn: 1 });
    const m = metricsAt(scores, labels, 0.4);
    expect(m).toMatchObject({ n: 5, accuracy: 0.6, threshold: 0.4 });
    expect(m.sensitivity).toBeCloseTo(2 / 3);
    expect(m.specificity).toBeCloseTo(0.5);
  });
  it('chooses thresholds that meet a sensitivity or specificity target', () => {
    const t = thresholdForSensitivity(scores, labels, 1);
    expect(t).toBe(0.35);
    expect(metricsAt(scores, labels, t).sensitivity).toBe(1);
    const u = thresholdForSpecificity(scores, labels, 1);
    expect(metricsAt(scores, labels, u).specificity).toBe(1);
    expect(metricsAt(scores, labels, u).sensitivity).toBeCloseTo(1 / 3);
  });
});

describe('precision-recall', () => {
  it('gives AP 1 for perfect ranking and a hand value otherwise', () => {
    expect(averagePrecision([0.1, 0.9], [0, 1])).toBe(1);
    // Ranking 1,0,1: precision 1 at recall .5, 2/3 at recall 1 → 0.5 + 0.5·2/3.
    expect(averagePrecision([0.9, 0.5, 0.1], [1, 0, 1])).toBeCloseTo(0.5 + 1 / 3);
    expect(prCurve([0.9, 0.5, 0.1], [1, 0, 1])[0]).toEqual({ threshold: 0.9, recall: 0.5, precision: 1 });
  });
});

describe('calibration', () => {
  it('is 0 for perfectly calibrated bins and the gap otherwise', () => {
    // Four samples at 0.25 with one positive: observed rate equals the prediction.
    expect(expectedCalibrationError([0.25, 0.25, 0.25, 0.25], [1, 0, 0, 0], 10)).toBeCloseTo(0);
    expect(expectedCalibrationError([0.9, 0.9], [0, 0], 10)).toBeCloseTo(0.9);
    const r = reliabilityBins([0, 1, 0.5], [0, 1, 1], 2);
    expect(r.counts).toEqual([1, 2]);
    expect(r.binCenters).toEqual([0.25, 0.75]);
    expect(r.confidence[1]).toBeCloseTo(0.75);
  });
});
