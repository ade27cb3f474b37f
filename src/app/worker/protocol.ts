/**
 * Messages between the page and the ML worker. Every request carries an `id`;
 * the worker answers with exactly one `result` or `error` for it, and may send
 * `event`s tagged with the same id before that (progress, per-item results).
 */
import type { BackendAttempt, BackendName } from '../../ml/runtime';
import type { BackendSwitch } from '../../ml';
import type { ModelCard } from '../../ml/card-types';
import type { DecodedImage, ImagingError } from '../../imaging/types';
import type { ModelRef } from '../state/model-ref';
import type { Classification } from '../../ml/inference/classify';
import type { Heatmap as MlHeatmap } from '../../ml/explain/gradcam';

export interface InputFile {
  name: string;
  /** Transferred, not copied. */
  bytes: ArrayBuffer;
}

export interface LabelledFile extends InputFile {
  label: string;
}

export interface BackendInfo {
  backend: BackendName;
  attempts: BackendAttempt[];
  /** Why the default order was changed: 'software-gpu' = WebGPU without a GPU, passed over for training. */
  reason?: 'software-gpu';
}

export interface LoadedModelInfo {
  ref: ModelRef;
  card: ModelCard;
  /** id@version */
  model: string;
  source: string;
}

/** Calibrated result for one frame, mirroring src/ml Classification. */
/** One image's (or slice's) result: exactly what src/ml's classifier returns. */
export type FrameScore = Classification;

/** One card on the Classify page: a single image, or a DICOM series / NIfTI volume. */
export interface ItemDescriptor {
  itemId: string;
  /** What the card is called: the file name, or the first slice's file for a series. */
  file: string;
  files: string[];
  frames: number;
  kind: 'image' | 'volume';
  seriesDescription?: string;
  rows: number;
  columns: number;
  modality: string | null;
  format: string;
  /** RGBA thumbnail (default window), at most 160 px on its long side. */
  thumbnail: { width: number; height: number; rgba: Uint8ClampedArray; /** Streamed batches: the thumbnail as JPEG, rgba then empty. */ jpeg?: Blob };
  warnings: string[];
}

export interface ItemResult {
  itemId: string;
  /** The reported result: the slice with the highest positive probability for a volume. */
  result: FrameScore;
  /** The model card's positive label: the probability bar shows its score. */
  positiveLabel: string;
  backend: BackendName;
  /** Volumes only. */
  slices?: FrameScore[];
  aggregate?: { maxFrame: number; maxProbability: number; meanProbability: number; positiveLabel: string };
}

export type ClassifyEvent =
  | { kind: 'progress'; done: number; total: number; phase: 'decode' | 'classify'; file?: string }
  | { kind: 'file-error'; file: string; message: string; code?: ImagingError['code'] }
  /** Decoded files grouped into items: cards for `files` are replaced by this item. */
  | { kind: 'item'; item: ItemDescriptor }
  | { kind: 'item-result'; result: ItemResult }
  | { kind: 'item-error'; itemId: string; message: string }
  /** The backend failed mid-batch and was recreated or replaced; the file in flight was retried. */
  | { kind: 'backend-changed'; change: BackendSwitch };

export interface EvaluateRow {
  file: string;
  label: string;
  scores?: Record<string, number>;
  probability?: number;
  predicted?: string | null;
  ood?: boolean;
  oodReason?: string;
  error?: string;
}

/** Grad-CAM from src/ml, with the frame it explains and what the model saw. */
export interface Heatmap extends Omit<MlHeatmap, 'backend'> {
  frame: number;
  /** What the model saw: display grey in [0, 1] over the card's fitted region at model size. */
  base: { width: number; height: number; grey: Float32Array };
}

export type Request =
  | { id: number; type: 'init'; order?: BackendName[] }
  | { id: number; type: 'loadModel'; ref: ModelRef; /** Reload even when this model is loaded (its card or weights changed). */ force?: boolean }
  | { id: number; type: 'classify'; files: InputFile[] }
  | { id: number; type: 'evaluate'; files: LabelledFile[] }
  | { id: number; type: 'explain'; itemId: string; frame: number }
  | { id: number; type: 'getImage'; itemId: string }
  | { id: number; type: 'forget'; itemIds?: string[] }
  /** One chunk of a streamed Classify batch (batch-session.ts); `final` closes the batch. */
  | { id: number; type: 'classifyChunk'; batch: number; files: InputFile[]; final: boolean }
  /** Handled as soon as it arrives, not queued: stops the batch's chunks. */
  | { id: number; type: 'cancel'; batch: number };

export interface ResponseMap {
  init: BackendInfo;
  loadModel: LoadedModelInfo;
  classify: { items: number; errors: number };
  evaluate: EvaluateRow[];
  explain: Heatmap;
  getImage: DecodedImage;
  forget: { forgotten: number };
  classifyChunk: { items: number; errors: number; cancelled: boolean };
  cancel: { cancelled: true };
}

export type Response =
  | { id: number; type: 'result'; value: unknown }
  | { id: number; type: 'error'; message: string }
  | { id: number; type: 'event'; event: ClassifyEvent | { kind: 'progress'; done: number; total: number } };

export type RequestType = Request['type'];
