import type { GateSpec } from './types';

/**
 * Distance of one trunk feature vector from the gate's training films:
 * Mahalanobis in the top-k principal subspace of the standardized features
 * plus the squared residual outside it over its mean variance. The residual
 * term matters: an image unlike any film often differs in directions the
 * films hardly vary in, which a subspace-only distance cannot see.
 */
export function gateDistance(spec: GateSpec, features: ArrayLike<number>): number {
  const d = spec.center.length;
  const k = spec.variances.length;
  if (features.length !== d) throw new Error(`gate features have ${features.length} values, the gate expects ${d}`);
  const z = new Float64Array(d);
  let total = 0;
  for (let j = 0; j < d; j++) {
    const f = spec.transform === 'log' ? Math.log(features[j] + 1e-6) : features[j];
    z[j] = (f - spec.center[j]) / spec.scale[j];
    total += z[j] * z[j];
  }
  let inSubspace = 0, projected = 0;
  for (let r = 0; r < k; r++) {
    let p = 0;
    const row = r * d;
    for (let j = 0; j < d; j++) p += spec.axes[row + j] * z[j];
    inSubspace += (p * p) / spec.variances[r];
    projected += p * p;
  }
  // Orthonormal axes: |z|² = |projection|² + |residual|².
  const residual = Math.max(0, total - projected);
  return Math.sqrt(inSubspace + residual / spec.residualVariance);
}
