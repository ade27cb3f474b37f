import { auc } from './roc';
import { seededRandom } from '../random';


export interface BootstrapOptions {
  resamples?: number;
  seed?: number;
  /** Two-sided level, e.g. 0.95. */
  level?: number;
}

/**
 * Percentile bootstrap confidence interval of the AUC. Resampling is
 * stratified (positives and negatives are drawn separately with their own
 * counts) so every resample has both classes and an AUC.
 */
export function bootstrapAucCI(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  { resamples = 1000, seed = 1, level = 0.95 }: BootstrapOptions = {},
): [number, number] {
  const pos: number[] = [], neg: number[] = [];
  for (let i = 0; i < scores.length; i++) (labels[i] === 1 ? pos : neg).push(scores[i]);
  if (!pos.length || !neg.length) return [NaN, NaN];
  const random = seededRandom(seed);
  const n = pos.length + neg.length;
  const s = new Float64Array(n);
  const y = new Uint8Array(n);
  y.fill(1, 0, pos.length);
  const values: number[] = [];
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < pos.length; i++) s[i] = pos[Math.floor(random() * pos.length)];
    for (let i = 0; i < neg.length; i++) s[pos.length + i] = neg[Math.floor(random() * neg.length)];
    values.push(auc(s, y));
  }
  values.sort((a, b) => a - b);
  const alpha = (1 - level) / 2;
  return [quantile(values, alpha), quantile(values, 1 - alpha)];
}

/** Linear-interpolated quantile of sorted values. */
export function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos), hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}
