import { auc } from './roc';

/** Counts at one operating threshold; a sample is called positive when score >= threshold. */
export interface Confusion {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

export interface OperatingMetrics {
  n: number;
  auc: number;
  accuracy: number;
  sensitivity: number;
  specificity: number;
  threshold: number;
  confusion: Confusion;
}

export function confusionAt(scores: ArrayLike<number>, labels: ArrayLike<number>, threshold: number): Confusion {
  if (scores.length !== labels.length)
    throw new RangeError(`scores (${scores.length}) and labels (${labels.length}) differ in length`);
  const c: Confusion = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (let i = 0; i < scores.length; i++) {
    const predicted = scores[i] >= threshold;
    const actual = labels[i] === 1;
    if (predicted && actual) c.tp++;
    else if (predicted) c.fp++;
    else if (actual) c.fn++;
    else c.tn++;
  }
  return c;
}

/** Ratios are NaN where their denominator is empty, never a misleading 0 or 1. */
export function metricsAt(scores: ArrayLike<number>, labels: ArrayLike<number>, threshold: number): OperatingMetrics {
  const confusion = confusionAt(scores, labels, threshold);
  const { tp, fp, tn, fn } = confusion;
  const n = tp + fp + tn + fn;
  return {
    n,
    auc: auc(scores, labels),
    accuracy: n ? (tp + tn) / n : NaN,
    sensitivity: tp + fn ? tp / (tp + fn) : NaN,
    specificity: tn + fp ? tn / (tn + fp) : NaN,
    threshold,
    confusion,
  };
}

/**
 * The highest threshold whose sensitivity is at least `target` (so specificity
 * is as high as that allows). Thresholds are observed scores.
 */
export function thresholdForSensitivity(scores: ArrayLike<number>, labels: ArrayLike<number>, target: number): number {
  const positives = positiveScores(scores, labels, 1).sort((a, b) => b - a);
  if (!positives.length) throw new RangeError('no positive samples: sensitivity is undefined');
  // Calling the top k positives needs threshold <= the k-th highest positive score.
  const k = Math.min(positives.length, Math.max(1, Math.ceil(target * positives.length - 1e-9)));
  return positives[k - 1];
}

/**
 * The lowest threshold whose specificity is at least `target`: negatives at or
 * above the threshold count as false positives, so the threshold sits just
 * above the highest negative that must be rejected.
 */
export function thresholdForSpecificity(scores: ArrayLike<number>, labels: ArrayLike<number>, target: number): number {
  const negatives = positiveScores(scores, labels, 0).sort((a, b) => a - b);
  if (!negatives.length) throw new RangeError('no negative samples: specificity is undefined');
  const k = Math.min(negatives.length, Math.max(0, Math.ceil(target * negatives.length - 1e-9)));
  if (k === 0) return -Infinity;
  const boundary = negatives[k - 1];
  // The next representable number above the boundary: it rejects the boundary negative and its ties.
  return nextUp(boundary);
}

function positiveScores(scores: ArrayLike<number>, labels: ArrayLike<number>, label: 0 | 1): number[] {
  const out: number[] = [];
  for (let i = 0; i < scores.length; i++) if ((labels[i] === 1 ? 1 : 0) === label) out.push(scores[i]);
  return out;
}

function nextUp(x: number): number {
  if (x === 0) return Number.MIN_VALUE;
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const bits = buf.getBigInt64(0);
  buf.setBigInt64(0, x > 0 ? bits + 1n : bits - 1n);
  return buf.getFloat64(0);
}
