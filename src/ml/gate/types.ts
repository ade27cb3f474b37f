import type { InputSpec } from '../../imaging/types';

/**
 * The refusal gate: "is this a frontal chest radiograph of the kind this model
 * was made for?" It has its own features (a fixed, untrained trunk), its own
 * statistics and its own card section, fitted by training/fit_gate.py, so
 * retraining the classifier leaves it exactly as it was.
 */
export interface GateSpec {
  id: string;
  version: string;
  /** The question the gate answers, in words. */
  question: string;
  /** The texture-trunk recipe (src/ml/trunk/build.ts) the features come from, and the sha256 of the weights it builds, checked before use. */
  trunk: { id: string; version: string; channels: number[]; seed: number; weightsSha256: string };
  /** How the gate's own input is prepared (it may differ from the classifier's). */
  input: InputSpec;
  method: 'pca-mahalanobis';
  /** 'log': features are log(f + 1e-6) before standardising (the trunk's statistics are positive and skewed). */
  transform: 'log' | 'identity';
  /** Per-feature mean and standard deviation of the transformed train features. */
  center: number[];
  scale: number[];
  /** Top principal axes of the standardized features, row-major k×d, and their variances. */
  axes: number[];
  variances: number[];
  /** Mean variance of the discarded directions: the residual's share of the distance. */
  residualVariance: number;
  /** Distances above this are refused. */
  threshold: number;
  thresholdRule: string;
  fittedOn: string;
  /** Refusal measured when the gate was fitted, per image set. */
  refusal: Record<string, { n: number; refused: number; rate: number }>;
  date: string;
}
