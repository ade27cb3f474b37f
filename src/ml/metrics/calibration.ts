/**
 * Calibration of a binary probability (of the positive class). Bins are equal
 * width over [0, 1]; a probability of exactly 1 falls in the last bin.
 */

export interface ReliabilityBins {
  binCenters: number[];
  /** Observed fraction of positives per bin (NaN for empty bins). */
  accuracy: number[];
  /** Mean predicted probability per bin (NaN for empty bins). */
  confidence: number[];
  counts: number[];
}

export function reliabilityBins(probs: ArrayLike<number>, labels: ArrayLike<number>, bins = 15): ReliabilityBins {
  if (probs.length !== labels.length)
    throw new RangeError(`probabilities (${probs.length}) and labels (${labels.length}) differ in length`);
  const counts = new Array<number>(bins).fill(0);
  const positives = new Array<number>(bins).fill(0);
  const sums = new Array<number>(bins).fill(0);
  for (let i = 0; i < probs.length; i++) {
    const p = Math.min(1, Math.max(0, probs[i]));
    const b = Math.min(bins - 1, Math.floor(p * bins));
    counts[b]++;
    sums[b] += p;
    if (labels[i] === 1) positives[b]++;
  }
  return {
    binCenters: counts.map((_, b) => (b + 0.5) / bins),
    accuracy: counts.map((c, b) => (c ? positives[b] / c : NaN)),
    confidence: counts.map((c, b) => (c ? sums[b] / c : NaN)),
    counts,
  };
}

/**
 * Expected calibration error: the count-weighted mean gap between predicted
 * probability and observed positive rate over the bins.
 */
export function expectedCalibrationError(probs: ArrayLike<number>, labels: ArrayLike<number>, bins = 15): number {
  const r = reliabilityBins(probs, labels, bins);
  const n = probs.length;
  if (!n) return NaN;
  let ece = 0;
  for (let b = 0; b < bins; b++) if (r.counts[b]) ece += (r.counts[b] / n) * Math.abs(r.accuracy[b] - r.confidence[b]);
  return ece;
}
