import { tf, currentBackend } from '../runtime';
import type { ModelCard } from '../card-types';
import type { TransferBaseCard } from '../trunk/types';
import { reliabilityBins, expectedCalibrationError } from '../metrics';
import { modelToFiles } from '../bundle/files';
import { labelsFromFolders, labelsFromCsv, classNames, guessPositiveLabel, dataModalities, type DatasetItem } from './dataset';
import { splitByPatient, splitCounts, DEFAULT_SPLIT, type SplitName, type SplitRatios } from './split';
import { datasetWarnings, type DatasetWarning } from './warnings';
import type { PatientPattern } from './patient';
import type { FeatureCache } from './feature-cache';
import { readDataset, type Decoder, type TrainingFile } from './read-dataset';
import { trainHead, assembleModel } from './head';
import { runTrainingLoop, predictLogits, type EpochStats } from './loop';
import { augmentBatch, normalizeBatch, DEFAULT_AUGMENT, type AugmentOptions } from './augment';
import { splitForFinetune, DEFAULT_UNFREEZE_FROM } from './finetune';
import { buildScratchModel, SCRATCH_DEFAULTS, SCRATCH_LAYERS } from './scratch';
import { featureExtractor } from './features';
import { viewFeatures, DEFAULT_VIEW_RECIPE, type ViewRecipe } from './feature-views';
import { fitTemperature, probabilitiesOf } from './calibrate';
import { youdenThreshold, unsureBand, cardMetrics } from './operating-point';
import { oodStats } from './ood-stats';
import { buildTrainedCard } from './card-builder';
import { seededRandom } from '../random';
import { DEFAULT_HEAD_VIEWS, autoViews } from './defaults';
import { trainingRowFolds, crossValidationWarning, type CrossValidation } from './crossval';

/**
 * Training on the clinic's own images, end to end — the one function the
 * page's training worker and `npm run train` both call: label → read/hash/
 * decode → patient split → warnings → train (head | finetune | scratch) →
 * calibrate, choose threshold and unsure band on validation → OOD statistics
 * → test metrics → card + bundle files.
 */

export type TrainingMode = 'head' | 'finetune' | 'scratch';

export type TrainingStage = 'reading' | 'views' | 'training' | 'finishing';

export { DEFAULT_HEAD_VIEWS };

/** What training needs of a base: a loaded bundled classifier or a trunk. */
export interface TrainingBase {
  card: TransferBaseCard;
  model: tf.LayersModel;
}

export interface TrainModelOptions {
  files: TrainingFile[];
  /** CSV text with columns file,label[,patient]; without it, the folder layout labels the files. */
  labelsCsv?: string;
  decode: Decoder;
  mode: TrainingMode;
  /** Required for head and finetune; for scratch it supplies the input spec if given. */
  base?: TrainingBase;
  /** Head mode: augmented views per training image (default DEFAULT_HEAD_VIEWS), or 'auto' (defaults.ts). */
  augmentViews?: number | 'auto';
  viewRecipe?: ViewRecipe;
  epochs?: number;
  learningRate?: number;
  patience?: number;
  /** Weight classes by inverse frequency (default on). */
  classWeighting?: boolean;
  batchSize?: number;
  split?: SplitRatios;
  seed?: number;
  headKind?: 'linear' | 'mlp';
  augment?: AugmentOptions;
  unfreezeFrom?: string;
  patientPatterns?: PatientPattern[];
  positiveLabel?: string;
  modalities?: string[];
  bodyPart?: string;
  id?: string;
  name?: string;
  version?: string;
  description?: string;
  cache?: FeatureCache;
  tool?: string;
  signal?: AbortSignal;
  onProgress?: (stage: TrainingStage, done: number, total: number) => void;
  onEpoch?: (stats: EpochStats) => void;
}

export interface TrainModelResult {
  model: tf.LayersModel;
  card: ModelCard;
  files: Map<string, Uint8Array>;
  items: DatasetItem[];
  splits: SplitName[];
  warnings: DatasetWarning[];
  history: EpochStats[];
  unreadable: { file: string; error: string }[];
  cacheHits: number;
  seconds: number;
}

const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

const CXR_DEFAULT_INPUT: ModelCard['input'] = {
  size: [128, 128], channels: 1, fit: 'stretch', interpolation: 'area', window: { kind: 'display' }, normalization: { kind: 'zscore-image' },
};

export async function trainModel(opts: TrainModelOptions): Promise<TrainModelResult> {
  const started = now();
  const { mode, base, signal } = opts;
  if (mode !== 'scratch' && !base) throw new Error(`${mode} training needs a base model`);
  // tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter kernel: convolution weights cannot learn there.
  if (mode !== 'head' && currentBackend() === 'wasm')
    throw new Error(`${mode} training needs the WebGPU, WebGL or cpu backend (the wasm backend cannot train convolutions); head training works on wasm`);
  const input = base?.card.input ?? CXR_DEFAULT_INPUT;
  const requestedViews = opts.augmentViews ?? DEFAULT_HEAD_VIEWS;
  let views = mode === 'head' ? (requestedViews === 'auto' ? DEFAULT_HEAD_VIEWS : Math.max(0, Math.floor(requestedViews))) : 0;
  const readStarted = now();
  const paths = opts.files.map((f) => f.file);
  const labelled = opts.labelsCsv ? labelsFromCsv(opts.labelsCsv, paths).files : labelsFromFolders(paths).files;
  if (!labelled.length) throw new Error('no labelled images: use one subfolder per class, or give a labels CSV');
  const byPath = new Map(opts.files.map((f) => [f.file, f]));

  const read = await readDataset({
    labelled, files: byPath, decode: opts.decode, input, patterns: opts.patientPatterns,
    trunk: mode === 'head' || mode === 'finetune' ? { model: base!.model, card: base!.card } : undefined,
    cache: opts.cache, keepImages: mode !== 'head' || views > 0, signal,
    onProgress: (d, t) => opts.onProgress?.('reading', d, t),
  });
  const { items } = read;
  const readSeconds = (now() - readStarted) / 1000;
  const labels = classNames(items);
  if (labels.length < 2) throw new Error(`training needs at least two classes; found ${labels.join(', ') || 'none'}`);
  const positiveLabel = opts.positiveLabel ?? guessPositiveLabel(labels);
  if (!labels.includes(positiveLabel)) throw new Error(`positive label ${positiveLabel} is not one of the classes ${labels.join(', ')}`);
  const positiveIndex = labels.indexOf(positiveLabel);
  const classOf = items.map((it) => labels.indexOf(it.label));
  const splits = splitByPatient(items, opts.split ?? DEFAULT_SPLIT, opts.seed ?? 42);
  const warnings = datasetWarnings(items, splits);
  if (read.unreadable.length)
    warnings.unshift({ code: 'unreadable', message: `${read.unreadable.length} files could not be read and were left out, e.g. ${read.unreadable[0].file}: ${read.unreadable[0].error}` });
  const idx = (s: SplitName) => items.map((_, i) => i).filter((i) => splits[i] === s);
  const trainIdx = idx('train'), valIdx = idx('val'), testIdx = idx('test');
  if (!valIdx.length) throw new Error('the validation split is empty: add images from more patients');

  const nClasses = labels.length;
  const loopOpts = {
    nClasses, positiveIndex, batchSize: opts.batchSize, learningRate: opts.learningRate, patience: opts.patience,
    classWeighting: opts.classWeighting, seed: opts.seed, signal, onEpoch: opts.onEpoch,
  };
  let model: tf.LayersModel;
  let layers: ModelCard['layers'];
  let history: EpochStats[] = [];
  let l2Penalty: number | undefined;
  let crossValidation: CrossValidation | undefined;
  /** Logits and features of a set of items with the final model. */
  let evaluate: (ids: number[]) => Promise<{ logits: Float32Array; features: Float32Array[] }>;

  opts.onProgress?.('training', 0, 1);
  if (mode === 'head' || mode === 'finetune') {
    const feats = (ids: number[]) => ({ features: ids.map((i) => read.features[i]), labels: ids.map((i) => classOf[i]) });
    const train = feats(trainIdx);
    if (views > 0 && requestedViews === 'auto') views = autoViews(readSeconds / Math.max(1, items.length - read.cacheHits), trainIdx.length);
    if (views > 0) {
      const extra = await viewFeatures({
        model: base!.model, card: base!.card, views, recipe: opts.viewRecipe ?? DEFAULT_VIEW_RECIPE, cache: opts.cache, signal,
        images: trainIdx.map((i) => read.images[i]), sha256s: trainIdx.map((i) => items[i].sha256),
        onProgress: (d, t) => opts.onProgress?.('views', d, t),
      });
      for (const view of extra) { train.features.push(...view); train.labels.push(...trainIdx.map((i) => classOf[i])); }
      read.images.length = 0;
    }
    const folds = mode === 'head' ? trainingRowFolds(trainIdx.map((i) => items[i]), train.features.length, opts.seed) : undefined;
    const { head, loop, penalty, crossValidation: cv } = await trainHead(train, feats(valIdx), {
      ...loopOpts, kind: opts.headKind, folds,
      // A linear head counts rounds of a converged fit (linear-head.ts); an MLP head counts epochs.
      epochs: mode === 'head' ? opts.epochs ?? ((opts.headKind ?? 'linear') === 'linear' ? undefined : 100) : 30, patience: opts.patience ?? 10,
      learningRate: mode === 'head' ? opts.learningRate ?? 1e-3 : 1e-3,
    });
    history = loop.history;
    l2Penalty = penalty;
    crossValidation = cv;
    const tooSmall = cv && crossValidationWarning(cv);
    if (tooSmall) warnings.push(tooSmall);
    try {
      model = await assembleModel(base!.model, base!.card.layers.features, head);
    } finally {
      head.dispose();
    }
    if (mode === 'finetune') {
      const ft = await trainImages(model, opts.unfreezeFrom ?? DEFAULT_UNFREEZE_FROM, { ...loopOpts, learningRate: opts.learningRate ?? 1e-4, epochs: opts.epochs ?? 5 });
      history = [...history, ...ft];
    }
    layers = { gradcam: base!.card.layers.gradcam, features: base!.card.layers.features, headStart: model.layers.findIndex((l) => l.name === 'dropout') };
  } else {
    model = buildScratchModel(input, nClasses, opts.seed ?? 1);
    history = await trainImages(model, 'conv1', { ...loopOpts, learningRate: opts.learningRate ?? SCRATCH_DEFAULTS.learningRate, batchSize: opts.batchSize ?? SCRATCH_DEFAULTS.batchSize, epochs: opts.epochs ?? SCRATCH_DEFAULTS.epochs, patience: opts.patience ?? 0 });
    layers = { ...SCRATCH_LAYERS, headStart: model.layers.findIndex((l) => l.name === 'logits') };
  }

  async function trainImages(target: tf.LayersModel, unfreezeFrom: string, o: typeof loopOpts & { epochs: number }): Promise<EpochStats[]> {
    const split = splitForFinetune(target, unfreezeFrom);
    const random = seededRandom((opts.seed ?? 1) + 17);
    const toInput = (ids: number[], augment: boolean) =>
      tf.tidy(() => {
        const [h, w] = input.size;
        const flat = new Float32Array(ids.length * h * w);
        ids.forEach((id, k) => flat.set(read.images[id], k * h * w));
        let x = tf.div(tf.tensor4d(flat, [ids.length, h, w, 1]), 255) as tf.Tensor4D;
        if (augment) x = augmentBatch(x, random, opts.augment ?? DEFAULT_AUGMENT);
        return split.prefix.predict(normalizeBatch(x, input)) as tf.Tensor;
      });
    const result = await runTrainingLoop(split.forward, split.variables, {
      trainLabels: trainIdx.map((i) => classOf[i]),
      valLabels: valIdx.map((i) => classOf[i]),
      trainInput: (ids) => toInput(ids.map((k) => trainIdx[k]), true),
      valInput: (ids) => toInput(ids.map((k) => valIdx[k]), false),
    }, o);
    return result.history;
  }

  opts.onProgress?.('finishing', 0, 1);
  if (mode === 'head') {
    const head = featureHeadOf(model, base!.card.layers.features);
    evaluate = async (ids) => {
      const x = ids.map((i) => read.features[i]);
      const logits = await predictLogits((t) => head(t), (b) => matrixOf(b.map((k) => x[k])), ids.length);
      return { logits, features: x };
    };
  } else {
    const extractor = featureExtractor(model, layers.features);
    evaluate = async (ids) => {
      const batch = (b: number[]) => tf.tidy(() => {
        const [h, w] = input.size;
        const flat = new Float32Array(b.length * h * w);
        b.forEach((k, j) => flat.set(read.images[ids[k]], j * h * w));
        return normalizeBatch(tf.div(tf.tensor4d(flat, [b.length, h, w, 1]), 255) as tf.Tensor4D, input);
      });
      const logits = await predictLogits((t) => model.predict(t) as tf.Tensor, batch, ids.length);
      const flatFeatures = await predictLogits((t) => (extractor.predict(t) as tf.Tensor).reshape([t.shape[0], -1]), batch, ids.length);
      const d = flatFeatures.length / Math.max(1, ids.length);
      return { logits, features: ids.map((_, k) => flatFeatures.slice(k * d, (k + 1) * d)) };
    };
  }

  const val = await evaluate(valIdx);
  const valY = valIdx.map((i) => classOf[i]);
  const valBinary = valY.map((y) => (y === positiveIndex ? 1 : 0));
  const uncalibrated = probabilitiesOf(val.logits, valIdx.length, nClasses, positiveIndex, 1);
  const temperature = fitTemperature(val.logits, valY, nClasses);
  const valScores = probabilitiesOf(val.logits, valIdx.length, nClasses, positiveIndex, temperature);
  const threshold = youdenThreshold(valScores, valBinary);
  const band = unsureBand(valScores, valBinary, threshold);
  const validation = cardMetrics(valScores, valBinary, threshold);
  let test;
  if (testIdx.length) {
    const t = await evaluate(testIdx);
    const testScores = probabilitiesOf(t.logits, testIdx.length, nClasses, positiveIndex, temperature);
    test = cardMetrics(testScores, testIdx.map((i) => (classOf[i] === positiveIndex ? 1 : 0)), threshold);
  }
  const trainFeatures = (await evaluate(trainIdx)).features;
  const ood = oodStats(trainFeatures, val.features);
  const rel = reliabilityBins(valScores, valBinary, 15);
  const counts = Object.fromEntries(labels.map((l) => [l, items.filter((it) => it.label === l).length]));
  const seconds = (now() - started) / 1000;
  const baseTag = base ? `${base.card.id}@${base.card.version}` : undefined;
  const card = buildTrainedCard({
    id: opts.id ?? `local-${labels.join('-').toLowerCase().replace(/[^a-z0-9-]+/g, '')}-${mode}`,
    version: opts.version ?? new Date().toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '.'),
    name: opts.name ?? `${labels.join(' vs ')} (${mode}, local)`,
    labels, positiveLabel,
    modalities: opts.modalities ?? (dataModalities(items).length ? dataModalities(items) : base?.card.modalities ?? (base ? ['OT'] : ['CR', 'DX'])),
    bodyPart: opts.bodyPart ?? base?.card.bodyPart ?? 'CHEST',
    input, layers, threshold, unsureBand: band, temperature: Number(temperature.toPrecision(6)),
    validation, test,
    ece: { before: round4(expectedCalibrationError(uncalibrated, valBinary, 15)), after: round4(expectedCalibrationError(valScores, valBinary, 15)), bins: 15 },
    reliability: { binCenters: rel.binCenters, accuracy: rel.accuracy, confidence: rel.confidence, counts: rel.counts },
    ood, counts, splitCounts: splitCounts(items, splits), warnings,
    description: opts.description ?? `${items.length} local images in ${labels.length} classes (${labels.join(', ')})`,
    mode, baseModel: baseTag, augmentViews: views || undefined, l2Penalty, crossValidation, epochs: history.length, seconds, tool: opts.tool ?? 'radlens src/ml/training',
  });
  const files = await modelToFiles(model, card);
  const finalCard = JSON.parse(new TextDecoder().decode(files.get('card.json'))) as ModelCard;
  return { model, card: finalCard, files, items, splits, warnings, history, unreadable: read.unreadable, cacheHits: read.cacheHits, seconds };
}

function round4(v: number): number {
  return Number.isFinite(v) ? Math.round(v * 1e4) / 1e4 : v;
}

function matrixOf(rows: Float32Array[]): tf.Tensor2D {
  const d = rows[0].length;
  const flat = new Float32Array(rows.length * d);
  rows.forEach((r, i) => flat.set(r, i * d));
  return tf.tensor2d(flat, [rows.length, d]);
}

/** The assembled model's head as a function of features (the layers after the feature layer). */
function featureHeadOf(model: tf.LayersModel, featureLayer: string): (x: tf.Tensor) => tf.Tensor {
  const start = model.layers.findIndex((l) => l.name === featureLayer) + 1;
  const headLayers = model.layers.slice(start);
  return (x) => headLayers.reduce((h, l) => l.apply(h, { training: false }) as tf.Tensor, x);
}

