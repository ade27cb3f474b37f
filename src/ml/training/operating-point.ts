import { metricsAt, thresholdForSensitivity, thresholdForSpecificity, bootstrapAucCI } from '../metrics';
import type { Metrics } from '../card-types';

/**
 * Operating point chosen on validation only (never on test): Youden's J for
 * the threshold, and an "unsure" band between the thresholds giving 90%
 * sensitivity and 90% specificity.
 */

const clampOpen = (t: number) => Math.min(1 - 1e-4, Math.max(1e-4, t));

export function youdenThreshold(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const pairs = Array.from(scores, (s, i) => ({ s, y: labels[i] === 1 ? 1 : 0 })).sort((a, b) => b.s - a.s);
  const P = pairs.filter((p) => p.y).length, N = pairs.length - P;
  if (!P || !N) return 0.5;
  let tp = 0, fp = 0, bestJ = -Infinity, best = 0.5;
  for (let i = 0; i < pairs.length; i++) {
    if (pairs[i].y) tp++;
    else fp++;
    if (i + 1 < pairs.length && pairs[i + 1].s === pairs[i].s) continue;
    const j = tp / P - fp / N;
    if (j > bestJ) {
      bestJ = j;
      // Midway to the next lower score, so equal scores fall on the same side.
      best = i + 1 < pairs.length ? (pairs[i].s + pairs[i + 1].s) / 2 : pairs[i].s;
    }
  }
  return clampOpen(best);
}

export function unsureBand(scores: ArrayLike<number>, labels: ArrayLike<number>, threshold: number): { low: number; high: number; rule: string } {
  let sens90: number, spec90: number;
  try {
    sens90 = thresholdForSensitivity(scores, labels, 0.9);
    spec90 = thresholdForSpecificity(scores, labels, 0.9);
  } catch {
    return { low: threshold, high: threshold, rule: 'validation lacked one class: no unsure band' };
  }
  const low = Math.max(0, Math.min(sens90, spec90, threshold));
  const high = Math.min(1, Math.max(sens90, spec90, threshold));
  return {
    low: round4(low),
    high: round4(high),
    rule: `between the validation thresholds for 90% sensitivity (${sens90.toFixed(3)}) and 90% specificity (${spec90.toFixed(3)})`,
  };
}

/** Card metrics at a threshold, with a bootstrap 95% CI of the AUC. */
export function cardMetrics(scores: ArrayLike<number>, labels: ArrayLike<number>, threshold: number): Metrics {
  const m = metricsAt(scores, labels, threshold);
  const ci = bootstrapAucCI(scores, labels, { resamples: 500, seed: 1 });
  return {
    n: m.n,
    auc: round4(m.auc),
    aucCI95: [round4(ci[0]), round4(ci[1])],
    accuracy: round4(m.accuracy),
    sensitivity: round4(m.sensitivity),
    specificity: round4(m.specificity),
    threshold: round4(threshold),
    confusion: m.confusion,
  };
}

function round4(v: number): number {
  return Number.isFinite(v) ? Math.round(v * 1e4) / 1e4 : v;
}
