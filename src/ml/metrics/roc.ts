/**
 * Ranking metrics for a binary score. `labels` are 1 for the positive class and
 * 0 otherwise; `scores` are higher-means-more-positive.
 */

export interface RocPoint {
  threshold: number;
  fpr: number;
  tpr: number;
}

export interface PrPoint {
  threshold: number;
  recall: number;
  precision: number;
}

function checkInputs(scores: ArrayLike<number>, labels: ArrayLike<number>): void {
  if (scores.length !== labels.length)
    throw new RangeError(`scores (${scores.length}) and labels (${labels.length}) differ in length`);
}

function countClasses(labels: ArrayLike<number>): { pos: number; neg: number } {
  let pos = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === 1) pos++;
  return { pos, neg: labels.length - pos };
}

/** Indices sorted by descending score. */
function descendingOrder(scores: ArrayLike<number>): number[] {
  const idx = Array.from({ length: scores.length }, (_, i) => i);
  idx.sort((a, b) => scores[b] - scores[a]);
  return idx;
}

/**
 * The ROC curve with one point per distinct score (tied scores move together,
 * so the curve has no staircase that depends on input order), starting at
 * (0, 0) with threshold +Infinity. A sample is called positive when score >= threshold.
 */
export function rocCurve(scores: ArrayLike<number>, labels: ArrayLike<number>): RocPoint[] {
  checkInputs(scores, labels);
  const { pos, neg } = countClasses(labels);
  const order = descendingOrder(scores);
  const points: RocPoint[] = [{ threshold: Infinity, fpr: 0, tpr: 0 }];
  let tp = 0, fp = 0;
  for (let k = 0; k < order.length; ) {
    const s = scores[order[k]];
    while (k < order.length && scores[order[k]] === s) {
      if (labels[order[k]] === 1) tp++;
      else fp++;
      k++;
    }
    points.push({ threshold: s, fpr: neg ? fp / neg : 0, tpr: pos ? tp / pos : 0 });
  }
  return points;
}

/**
 * Area under the ROC curve as the Mann-Whitney U statistic: the probability
 * that a random positive scores above a random negative, ties counting one
 * half. NaN when either class is absent (an AUC does not exist then).
 */
export function auc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  checkInputs(scores, labels);
  const { pos, neg } = countClasses(labels);
  if (!pos || !neg) return NaN;
  // Midranks over ascending scores: the sum of positive ranks gives U.
  const idx = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let rankSumPos = 0;
  for (let k = 0; k < idx.length; ) {
    let end = k;
    while (end + 1 < idx.length && scores[idx[end + 1]] === scores[idx[k]]) end++;
    const midrank = (k + end) / 2 + 1;
    for (let j = k; j <= end; j++) if (labels[idx[j]] === 1) rankSumPos += midrank;
    k = end + 1;
  }
  const u = rankSumPos - (pos * (pos + 1)) / 2;
  return u / (pos * neg);
}

/** Precision-recall curve, one point per distinct score, highest threshold first. */
export function prCurve(scores: ArrayLike<number>, labels: ArrayLike<number>): PrPoint[] {
  checkInputs(scores, labels);
  const { pos } = countClasses(labels);
  const order = descendingOrder(scores);
  const points: PrPoint[] = [];
  let tp = 0, fp = 0;
  for (let k = 0; k < order.length; ) {
    const s = scores[order[k]];
    while (k < order.length && scores[order[k]] === s) {
      if (labels[order[k]] === 1) tp++;
      else fp++;
      k++;
    }
    points.push({ threshold: s, recall: pos ? tp / pos : 0, precision: tp / (tp + fp) });
  }
  return points;
}

/**
 * Average precision: the sum of precision at each distinct threshold weighted
 * by the recall it adds (the step-wise definition, no interpolation). NaN
 * without positives.
 */
export function averagePrecision(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const { pos } = countClasses(labels);
  if (!pos) return NaN;
  let ap = 0, prevRecall = 0;
  for (const p of prCurve(scores, labels)) {
    ap += (p.recall - prevRecall) * p.precision;
    prevRecall = p.recall;
  }
  return ap;
}
