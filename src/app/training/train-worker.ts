/// <reference lib="webworker" />
/**
 * The Training page's own worker: it owns a tfjs instance (initBackend here,
 * separate from the classification worker), reads and decodes the dataset
 * with the same src/imaging code, and runs src/ml/training, so the page stays
 * responsive for minutes of training.
 */
import { decodeFile } from '../../imaging/decode';
import { currentBackend, trainingBackendOrder, TRAINING_MODES, type BackendName, fetchReader, type LoadedModel, loadTransferBase, type TransferBase, trainModel, type TrainModelResult, MemoryFeatureCache, type FeatureCache, IdbFeatureCache, userPatientPattern, DEFAULT_VIEW_RECIPE, DEFAULT_AUGMENT } from '../../ml';
import { ensureBackend } from '../worker/backend';
import { serve, withEvents } from '../worker/rpc';
import { makeThumbnail } from '../worker/thumbnail';
import { DatasetScanner, type ScanFile } from './dataset-scan';
import { saveTrainedModel } from './save-trained';
import type { DatasetRequest, PathFile, TrainOptions, TrainOutcome, TrainProgress } from './train-protocol';

const scanner = new DatasetScanner({ decode: decodeFile, thumbnail: (image) => makeThumbnail(image, Math.floor(image.frames.length / 2), 96) });
let dataset: DatasetRequest | null = null;
let trained: { result: TrainModelResult; options: TrainOptions } | null = null;
let running: AbortController | null = null;
const bases = new Map<string, Promise<TransferBase | LoadedModel>>();
// Features of unchanged images under an unchanged base are reused between runs (and visits, via IndexedDB).
const featureCache: FeatureCache = fallbackCache(typeof indexedDB !== 'undefined' ? new IdbFeatureCache() : null);

/** IndexedDB can be unavailable or full (private mode, quota): then features live in memory for this visit. */
function fallbackCache(primary: FeatureCache | null): FeatureCache {
  const memory = new MemoryFeatureCache();
  let usable = !!primary;
  return {
    async get(key) {
      if (usable)
        try {
          return await primary!.get(key);
        } catch {
          usable = false;
        }
      return memory.get(key);
    },
    async put(key, features) {
      if (usable)
        try {
          return await primary!.put(key, features);
        } catch {
          usable = false;
        }
      return memory.put(key, features);
    },
  };
}

/** An explicit order (?backend=) wins; otherwise a software GPU is passed over for WASM. */
const trainingBackend = (order?: BackendName[]) => ensureBackend(order, trainingBackendOrder);

function baseModel(id: string): Promise<TransferBase | LoadedModel> {
  let p = bases.get(id);
  if (!p) {
    p = loadTransferBase(fetchReader(`${import.meta.env.BASE_URL}models/${id}/`));
    p.catch(() => bases.delete(id));
    bases.set(id, p);
  }
  return p;
}

const readFile = (files: PathFile[]) => {
  const byPath = new Map(files.map((f) => [f.path, f.file]));
  return async (path: string) => {
    const file = byPath.get(path);
    if (!file) throw new Error(`${path}: file not found`);
    return new Uint8Array(await file.arrayBuffer());
  };
};

async function train(options: TrainOptions, event: (e: TrainProgress) => void): Promise<TrainOutcome> {
  if (!dataset) throw new Error('choose a dataset folder first');
  const ds = dataset;
  running = new AbortController();
  const signal = running.signal;
  trained?.result.model.dispose();
  trained = null;
  try {
    event({ kind: 'phase', phase: 'backend' });
    const info = await trainingBackend();
    let base: TransferBase | LoadedModel | undefined;
    if (TRAINING_MODES[options.mode].base === 'required') {
      event({ kind: 'phase', phase: 'base' });
      base = await baseModel(options.baseModel);
    }
    const read = readFile(ds.files);
    const readingPhase = options.mode === 'head' ? 'features' : 'decode';
    // The form's toggles shape both image augmentation and the augmented feature views.
    const toggles = {
      flip: options.augment.flip,
      ...(options.augment.rotate ? {} : { rotationDeg: 0, scale: 0 }),
      ...(options.augment.brightness ? {} : { brightness: 0, contrast: 0 }),
    };
    const augment = { ...DEFAULT_AUGMENT, ...toggles };
    const viewRecipe = { ...DEFAULT_VIEW_RECIPE, ...toggles };
    const result = await trainModel({
      files: ds.files.map((f) => ({ file: f.path, read: () => read(f.path) })),
      labelsCsv: ds.csv,
      decode: decodeFile,
      mode: options.mode,
      base,
      epochs: options.epochs,
      augmentViews: options.augmentViews,
      viewRecipe,
      learningRate: options.learningRate,
      patience: options.patience,
      classWeighting: options.classWeighting,
      batchSize: options.batchSize,
      split: ds.ratios,
      seed: ds.seed,
      augment,
      patientPatterns: ds.patientPattern ? [userPatientPattern(ds.patientPattern)] : undefined,
      cache: featureCache,
      tool: 'radlens training page',
      signal,
      onProgress: (stage, done, total) => {
        if (stage === 'reading') event({ kind: 'phase', phase: readingPhase, done, total });
        else if (stage === 'views') event({ kind: 'phase', phase: 'views', done, total });
        else if (stage === 'finishing') event({ kind: 'phase', phase: 'calibrate' });
      },
      onEpoch: (stats) => event({ kind: 'epoch', stats, epochs: options.epochs }),
    });
    trained = { result, options };
    event({ kind: 'phase', phase: 'calibrate' });
    // The card's own held-out scores: the shipped head may have been refitted on these very images.
    const { val, test } = result.heldOut;
    const converged = TRAINING_MODES[options.mode].selection === 'converged';
    // The loop keeps the epoch with the best validation AUC, ties going to the lower validation loss.
    const best = result.history.reduce((b, h) => {
      const auc = Number.isFinite(h.valAuc) ? h.valAuc : -Infinity, bestAuc = Number.isFinite(b.valAuc) ? b.valAuc : -Infinity;
      return auc > bestAuc + 1e-6 || (Math.abs(auc - bestAuc) <= 1e-6 && h.valLoss < b.valLoss) ? h : b;
    }, result.history[0]);
    return {
      card: result.card,
      history: result.history,
      // A converged fit (a linear head) is its last round (linear-head.ts); otherwise early stopping kept the best epoch.
      bestEpoch: converged ? result.history.length : best?.epoch ?? result.history.length,
      stoppedEarly: !converged && result.history.length < options.epochs && options.patience > 0,
      seconds: result.seconds,
      val,
      test,
      backend: info.backend ?? currentBackend(),
    };
  } finally {
    running = null;
  }
}

async function scanDataset(ds: DatasetRequest, onScan: (done: number, total: number) => void) {
  dataset = ds;
  const files: ScanFile[] = ds.files.map((f) => ({
    path: f.path,
    stamp: `${f.file.size}:${f.file.lastModified}`,
    read: async () => new Uint8Array(await f.file.arrayBuffer()),
  }));
  return scanner.scan({ ...ds, files }, onScan);
}

const api = {
  init: (order?: BackendName[]) => trainingBackend(order),
  dataset: (ds: DatasetRequest, onScan?: (done: number, total: number) => unknown) =>
    withEvents(onScan && (([done, total]: [number, number]) => onScan(done, total)), (emit) => scanDataset(ds, (done, total) => emit([done, total]))),
  train: (options: TrainOptions, onEvent?: (e: TrainProgress) => unknown) => withEvents(onEvent, (emit) => train(options, emit)),
  async cancel(): Promise<{ cancelled: boolean }> {
    running?.abort();
    return { cancelled: !!running };
  },
  /** The library id of the saved model. */
  async save(name: string) {
    if (!trained) throw new Error('there is no trained model to save');
    return saveTrainedModel(trained.result, name);
  },
  async discard(): Promise<{ discarded: boolean }> {
    trained?.result.model.dispose();
    trained = null;
    return { discarded: true };
  },
};

export type TrainApi = typeof api;

// Cancel must overtake a running job, so it is not queued; everything else is, one at a time.
serve(api, ['cancel']);
