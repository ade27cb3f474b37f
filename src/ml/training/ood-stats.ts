import { quantile } from '../metrics';
import type { ModelCard } from '../card-types';
import { seededRandom } from '../random';
import { projectFeatures } from '../inference/ood';

/**
 * Out-of-distribution statistics on penultimate features, in the form
 * inference/ood.ts reads: mean and precision from the training features, the
 * covariance shrunk towards a scaled identity so it stays invertible with few
 * images, and the refusal threshold at a high quantile of validation
 * distances (images the model should accept).
 */

export function featureMean(features: ArrayLike<number>[]): Float64Array {
  const d = features[0].length;
  const mean = new Float64Array(d);
  for (const f of features) for (let j = 0; j < d; j++) mean[j] += f[j];
  for (let j = 0; j < d; j++) mean[j] /= features.length;
  return mean;
}

/** (1 − α)·S + α·(tr S / d)·I, S the sample covariance. */
export function shrunkCovariance(features: ArrayLike<number>[], mean: Float64Array, shrinkage: number): Float64Array {
  const d = mean.length, n = features.length;
  const cov = new Float64Array(d * d);
  const diff = new Float64Array(d);
  for (const f of features) {
    for (let j = 0; j < d; j++) diff[j] = f[j] - mean[j];
    for (let a = 0; a < d; a++) {
      const da = diff[a];
      if (da === 0) continue;
      for (let b = a; b < d; b++) cov[a * d + b] += da * diff[b];
    }
  }
  let trace = 0;
  for (let a = 0; a < d; a++)
    for (let b = a; b < d; b++) {
      const v = cov[a * d + b] / Math.max(1, n - 1);
      cov[a * d + b] = cov[b * d + a] = v;
      if (a === b) trace += v;
    }
  const target = Math.max(trace / d, 1e-6);
  for (let i = 0; i < d * d; i++) cov[i] *= 1 - shrinkage;
  for (let a = 0; a < d; a++) cov[a * d + a] += shrinkage * target;
  return cov;
}

/** Inverse of a symmetric positive-definite matrix (Gauss-Jordan with partial pivoting). */
export function invert(matrix: Float64Array, d: number): Float64Array {
  const a = Float64Array.from(matrix);
  const inv = new Float64Array(d * d);
  for (let i = 0; i < d; i++) inv[i * d + i] = 1;
  for (let col = 0; col < d; col++) {
    let pivot = col;
    for (let r = col + 1; r < d; r++) if (Math.abs(a[r * d + col]) > Math.abs(a[pivot * d + col])) pivot = r;
    if (Math.abs(a[pivot * d + col]) < 1e-300) throw new Error('covariance is singular');
    if (pivot !== col)
      for (let k = 0; k < d; k++) {
        [a[col * d + k], a[pivot * d + k]] = [a[pivot * d + k], a[col * d + k]];
        [inv[col * d + k], inv[pivot * d + k]] = [inv[pivot * d + k], inv[col * d + k]];
      }
    const p = a[col * d + col];
    for (let k = 0; k < d; k++) { a[col * d + k] /= p; inv[col * d + k] /= p; }
    for (let r = 0; r < d; r++) {
      if (r === col) continue;
      const factor = a[r * d + col];
      if (factor === 0) continue;
      for (let k = 0; k < d; k++) { a[r * d + k] -= factor * a[col * d + k]; inv[r * d + k] -= factor * inv[col * d + k]; }
    }
  }
  return inv;
}

export function distance(f: ArrayLike<number>, mean: ArrayLike<number>, precision: ArrayLike<number>): number {
  const d = mean.length;
  let sum = 0;
  for (let i = 0; i < d; i++) {
    let row = 0;
    for (let j = 0; j < d; j++) row += precision[i * d + j] * (f[j] - mean[j]);
    sum += (f[i] - mean[i]) * row;
  }
  return Math.sqrt(Math.max(0, sum));
}

/** Above this many features the d×d precision would bloat the card: statistics move to a principal subspace. */
export const OOD_MAX_DIM = 256;
export const OOD_PROJECTED_DIM = 64;

/**
 * Top-k principal axes of the training features (orthogonal subspace
 * iteration on the covariance), as a row-major k×d matrix. Deterministic:
 * the start basis comes from a fixed seed.
 */
export function principalAxes(features: ArrayLike<number>[], mean: Float64Array, k: number, iterations = 12): Float64Array {
  const d = mean.length;
  const cov = shrunkCovariance(features, mean, 0);
  const random = seededRandom(7);
  let basis = new Float64Array(k * d);
  for (let i = 0; i < basis.length; i++) basis[i] = random() - 0.5;
  orthonormalizeRows(basis, k, d);
  for (let it = 0; it < iterations; it++) {
    const next = new Float64Array(k * d);
    for (let r = 0; r < k; r++)
      for (let a = 0; a < d; a++) {
        let sum = 0;
        for (let b = 0; b < d; b++) sum += cov[a * d + b] * basis[r * d + b];
        next[r * d + a] = sum;
      }
    orthonormalizeRows(next, k, d);
    basis = next;
  }
  return basis;
}

/** Modified Gram–Schmidt on the rows, in place. */
function orthonormalizeRows(m: Float64Array, k: number, d: number): void {
  for (let r = 0; r < k; r++) {
    for (let q = 0; q < r; q++) {
      let dot = 0;
      for (let j = 0; j < d; j++) dot += m[r * d + j] * m[q * d + j];
      for (let j = 0; j < d; j++) m[r * d + j] -= dot * m[q * d + j];
    }
    let norm = 0;
    for (let j = 0; j < d; j++) norm += m[r * d + j] ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let j = 0; j < d; j++) m[r * d + j] /= norm;
  }
}

export function oodStats(
  trainFeatures: ArrayLike<number>[],
  valFeatures: ArrayLike<number>[],
  { shrinkage = 0.2, quantileLevel = 0.99 } = {},
): NonNullable<ModelCard['ood']> {
  if (trainFeatures.length < 2) throw new Error('too few training images for out-of-distribution statistics');
  const d = trainFeatures[0].length;
  let projection: NonNullable<ModelCard['ood']>['projection'];
  let train = trainFeatures, val = valFeatures;
  if (d > OOD_MAX_DIM) {
    const center = featureMean(trainFeatures);
    const k = Math.min(OOD_PROJECTED_DIM, trainFeatures.length - 1);
    const axes = principalAxes(trainFeatures, center, k);
    projection = { center: Array.from(center, round6), axes: Array.from(axes, round6), dim: k };
    // Project with the rounded values the card stores, so the threshold matches what inference computes.
    train = trainFeatures.map((f) => projectFeatures(f, projection!));
    val = valFeatures.map((f) => projectFeatures(f, projection!));
  }
  const mean = featureMean(train);
  const precision = invert(shrunkCovariance(train, mean, shrinkage), mean.length);
  const reference = val.length >= 5 ? val : train;
  const distances = reference.map((f) => distance(f, mean, precision)).sort((a, b) => a - b);
  // Slack above the quantile: with few validation images the 99th percentile is nearly the maximum.
  const threshold = quantile(distances, quantileLevel) * 1.1;
  const space = projection ? `, in the top ${projection.dim} principal components of the ${d} features` : '';
  return {
    method: 'mahalanobis',
    ...(projection ? { projection } : {}),
    mean: Array.from(mean, round6),
    precision: Array.from(precision, round6),
    threshold: round6(threshold),
    thresholdRule: `1.1 × the ${Math.round(quantileLevel * 100)}th percentile of Mahalanobis distances of ${val.length >= 5 ? 'validation' : 'training'} images (n=${reference.length})${space}; covariance from training features (n=${train.length}) shrunk ${shrinkage} towards identity`,
  };
}

function round6(v: number): number {
  return Number(v.toPrecision(7));
}
