/**
 * The data the page and the ML worker (ml.worker.ts, `MlApi`) exchange over
 * the shared worker RPC (rpc.ts): calls return one value or throw; a classify
 * call also reports events (progress, per-item results) through its callback.
 */
import type { BackendAttempt, BackendName, ModelCard, Classification, Heatmap as MlHeatmap, BackendTiming, ChoiceHow, BackendSwitch } from '../../ml';
import type { DecodedImage, ImagingError } from '../../imaging/types';
import type { DicomSource } from '../../imaging/dicom/source';
import type { ModelRef } from '../state/model-ref';

/**
 * A file as the page hands it to the worker (Classify chunks, Validate): the
 * File handle (a structured clone of a handle, no bytes), read in the worker
 * (decoding.ts readAndDecode), so no byte is read or copied on the main thread
 * and the read does not wait behind the page's rendering.
 */
export interface DroppedFile {
  name: string;
  file: Blob;
}

export interface LabelledFile extends DroppedFile {
  label: string;
}

export interface BackendInfo {
  backend: BackendName;
  attempts: BackendAttempt[];
  /** Why the default order was changed: 'software-gpu' = WebGPU without a GPU, passed over for training. */
  reason?: 'software-gpu';
  /** How the backend was chosen (measured, cached, forced) and the per-backend timings behind it. */
  choice?: { how: ChoiceHow; reason: string; timings: BackendTiming[]; measuredAt?: string };
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
  /** DICOM only: the source identity and patient/study a DICOM SR about this item copies. */
  dicom?: DicomSource;
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
  /**
   * Decoded files grouped into items: cards for `files` are replaced by this item.
   * `result` comes with it when the item was ready only after its result (one message, one render).
   */
  | { kind: 'item'; item: ItemDescriptor; result?: ItemResult }
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

/** What one chunk of a streamed Classify batch answers (batch-session.ts). */
export interface ChunkSummary {
  items: number;
  errors: number;
  cancelled: boolean;
}
