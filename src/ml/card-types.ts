import type { InputSpec } from '../imaging/types';
import type { GateSpec } from './gate/types';
import type { CrossValidation } from './training/crossval';

/**
 * The model card (card.json beside model.json): everything the page and the
 * CLI need to preprocess, calibrate, explain, refuse and describe a model.
 * Written by training/ (Python) for bundled models and by src/ml/training for
 * models trained in the browser; validated by src/ml/card.ts on load.
 */
export interface ModelCard {
  schema: 'radlens-model-card/1';
  id: string;
  version: string;
  name: string;
  task: string;
  /** Modalities the model is made for, as DICOM Modality values (e.g. CR, DX). */
  modalities: string[];
  /** Body part the model is made for (DICOM BodyPartExamined), e.g. CHEST. */
  bodyPart: string;
  /** Class names in output order. */
  labels: string[];
  positiveLabel: string;
  /** Operating threshold on the calibrated probability of the positive label. */
  threshold: number;
  /** Calibrated positive probabilities in [low, high] are flagged "unsure". */
  unsureBand: { low: number; high: number; rule: string };
  /** Logits are divided by this before softmax (temperature scaling). */
  temperature: number;
  input: InputSpec;
  /** Output of the network: logits, one per label. */
  output: 'logits';
  layers: {
    /** Name of the layer whose output feeds Grad-CAM (last conv block, after activation). */
    gradcam: string;
    /** Name of the layer giving penultimate features (global average pool). */
    features: string;
    /** Index of the first head layer (layers from here on form the classifier head). */
    headStart: number;
  };
  metrics: {
    validation: Metrics;
    test?: Metrics;
    /** Expected calibration error (15 equal-width bins) before and after temperature scaling. */
    ece?: { before: number; after: number; bins: number };
    /** Reliability diagram points on validation after calibration. */
    reliability?: { binCenters: number[]; accuracy: number[]; confidence: number[]; counts: number[] };
  };
  /** Out-of-distribution check on penultimate features. */
  ood?: {
    method: 'mahalanobis';
    /**
     * For wide feature layers: distances are taken on axes·(f − center), the
     * top `dim` principal components, and mean/precision live in that space.
     */
    projection?: { center: number[]; axes: number[]; dim: number };
    /** Feature mean (length d, or dim with a projection). */
    mean: number[];
    /** Inverse of the shrunk covariance, row-major d×d. */
    precision: number[];
    /** Distances above this are refused (from in-distribution validation quantile). */
    threshold: number;
    thresholdRule: string;
  };
  /**
   * The refusal gate, decoupled from the classifier (src/ml/gate): its own
   * features and statistics, kept as they are when the classifier is retrained.
   */
  gate?: GateSpec;
  /** Who the model was made for; films of patients outside it are refused where the header says so. */
  population?: { ageYears: { min: number; max: number }; description: string };
  /** How the operating threshold was chosen, in words. */
  thresholdRule?: string;
  /** How much the operating threshold moves across resamples and split seeds. */
  thresholdStability?: Record<string, unknown>;
  intendedUse: string;
  limitations: string[];
  trainingData: {
    description: string;
    licence: string;
    counts: Record<string, number>;
    split: string;
  };
  training: {
    date: string;
    mode: 'reference' | 'head' | 'finetune' | 'scratch';
    baseModel?: string;
    /** Head mode: augmented views of each training image whose features joined the training set. */
    augmentViews?: number;
    /** Linear head: the L2 penalty (chosen on patient folds of the training split when a grid is given). */
    l2Penalty?: number;
    /** Head mode: AUC over patient-disjoint folds of the training split (src/ml/training/crossval.ts). */
    crossValidation?: CrossValidation;
    /**
     * Head mode: the shipped head was refitted on every labelled image (all splits, same
     * penalty and views) after the head fitted on the training split alone was measured and
     * calibrated; metrics, threshold and temperature are that head's. Absent: the shipped
     * head is the measured one.
     */
    finalFit?: { scope: 'all-labelled'; images: number; rows: number };
    epochs?: number;
    seconds?: number;
    tool: string;
    /**
     * Reference models: how the weights are stored (float16 halves the download) and the
     * rule that chose it on the validation split. tfjs decodes float16 to float32 at load.
     */
    weightPrecision?: { precision: 'float16' | 'float32'; validationAuc: Record<'float16' | 'float32', number>; maxLogitChange: number; rule: string };
  };
  /** Every weight file with its sha256 (hex); loading refuses a mismatch. */
  weights: { path: string; sha256: string; bytes: number }[];
  /** Site validation and local edits (e.g. a new operating threshold). */
  history?: { date: string; action: string; n?: number; detail?: string }[];
}

export interface Metrics {
  n: number;
  auc: number;
  aucCI95?: [number, number];
  accuracy: number;
  sensitivity: number;
  specificity: number;
  threshold: number;
  confusion?: { tp: number; fp: number; tn: number; fn: number };
}
