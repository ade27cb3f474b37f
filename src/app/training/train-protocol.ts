/**
 * The data the Training page and its worker (train-worker.ts, `TrainApi`)
 * exchange over the shared worker RPC (../worker/rpc.ts). One job at a time;
 * `cancel` overtakes it.
 */
import type { ModelCard, DatasetItem, DatasetWarning, SplitName, SplitRatios, EpochStats, TrainingMode, HeldOutScores } from '../../ml';

export interface PathFile {
  path: string;
  file: File;
}

export interface Thumbnail {
  file: string;
  width: number;
  height: number;
  rgba: Uint8ClampedArray;
}

export type TrainMode = TrainingMode;

export interface DatasetRequest {
  files: PathFile[];
  /** Labels CSV text (file,label[,patient]); without it the first folder is the class. */
  csv?: string;
  /** User regex with one capture group for the patient key; empty: built-in patterns. */
  patientPattern?: string;
  ratios: SplitRatios;
  seed: number;
}

export interface DatasetSummary {
  labels: string[];
  positiveLabel: string;
  items: DatasetItem[];
  splits: SplitName[];
  counts: Record<string, number>;
  splitCounts: Record<SplitName, Record<string, number>>;
  /** Groups of byte-identical files. */
  duplicates: string[][];
  warnings: DatasetWarning[];
  /** Files that could not be read as images, with why. */
  errors: { file: string; message: string }[];
  /** Files skipped (not in a class folder, hidden, not named in the CSV). */
  ignored: string[];
  /** How patients were found: source → image count. */
  patientSources: Record<string, number>;
  patients: number;
  thumbnails: Record<string, Thumbnail[]>;
  patternError?: string;
}

export interface TrainOptions {
  mode: TrainMode;
  /** Bundled base id (head and finetune): a trunk such as texture-trunk, or a bundled classifier. */
  baseModel: string;
  /** Head mode: augmented views per training image whose features join the training set; 'auto' fits a time budget. */
  augmentViews: number | 'auto';
  epochs: number;
  learningRate: number;
  classWeighting: boolean;
  patience: number;
  augment: { flip: boolean; rotate: boolean; brightness: boolean };
  batchSize: number;
}

/** Calibrated positive-class scores of a held-out split, as trainModel measured them. */
export type SplitScores = HeldOutScores;

export interface TrainOutcome {
  card: ModelCard;
  history: EpochStats[];
  bestEpoch: number;
  stoppedEarly: boolean;
  seconds: number;
  val: SplitScores;
  test?: SplitScores;
  backend: string;
}

export type TrainProgress =
  | { kind: 'phase'; phase: 'backend' | 'base' | 'decode' | 'features' | 'views' | 'epochs' | 'calibrate' | 'bundle'; done?: number; total?: number }
  | { kind: 'epoch'; stats: EpochStats; epochs: number };
