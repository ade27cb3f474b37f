import { tf } from '../runtime';
import { runTrainingLoop, now, type LoopOptions, type LoopResult } from './loop';
import { modelArtifacts, modelFromArtifacts } from '../model/model-io';
import { fitLinearHead } from './linear-head';
import type { CrossValidation, RowFolds } from './crossval';

/**
 * A new classifier head on frozen features: Dropout → Dense(nClasses) logits,
 * or a small MLP (Dense(hidden, relu) → Dropout → logits). Dense layers only,
 * so it trains at interactive speed on the cpu and wasm backends.
 */

export interface FeatureSet {
  features: Float32Array[];
  labels: number[];
}

export interface HeadOptions extends Omit<LoopOptions, 'epochs'> {
  epochs?: number;
  kind?: 'linear' | 'mlp';
  hidden?: number;
  dropout?: number;
  /** Linear head: patient folds of the training rows, for cross-validation and any penalty choice. */
  folds?: RowFolds;
  foldScope?: string;
}

export interface TrainedHead {
  head: tf.Sequential;
  loop: LoopResult;
  /** Linear heads: the L2 penalty validation chose. */
  penalty?: number;
  /** Linear head with folds: AUC over held-out patient folds of the training split. */
  crossValidation?: CrossValidation;
}

export function buildHead(inputDim: number, nClasses: number, kind: 'linear' | 'mlp' = 'linear', dropout = 0.3, hidden = 64): tf.Sequential {
  const layers: tf.layers.Layer[] = [];
  if (kind === 'mlp') {
    layers.push(tf.layers.dense({ inputShape: [inputDim], units: hidden, activation: 'relu', name: 'head_dense' }));
    layers.push(tf.layers.dropout({ rate: dropout, name: 'dropout' }));
  } else layers.push(tf.layers.dropout({ inputShape: [inputDim], rate: dropout, name: 'dropout' }));
  layers.push(tf.layers.dense({ units: nClasses, name: 'logits' }));
  return tf.sequential({ layers });
}

function matrix(rows: Float32Array[]): tf.Tensor2D {
  const d = rows[0]?.length ?? 0;
  const flat = new Float32Array(rows.length * d);
  rows.forEach((r, i) => flat.set(r, i * d));
  return tf.tensor2d(flat, [rows.length, d]);
}

/** Per-feature mean and standard deviation of the training features. */
export function featureScaling(features: Float32Array[]): { mean: Float32Array; std: Float32Array } {
  const d = features[0].length;
  const mean = new Float32Array(d), std = new Float32Array(d);
  for (const f of features) for (let j = 0; j < d; j++) mean[j] += f[j] / features.length;
  for (const f of features) for (let j = 0; j < d; j++) std[j] += (f[j] - mean[j]) ** 2 / features.length;
  // A constant feature gets σ = 1 (it standardizes to 0). No floor beyond that: deep texture
  // statistics vary little in absolute terms, and flooring σ silently discarded them.
  for (let j = 0; j < d; j++) std[j] = Math.sqrt(std[j]) > 1e-7 ? Math.sqrt(std[j]) : 1;
  return { mean, std };
}

/**
 * Dense(W, b) on standardized features equals Dense(W / σ, b − (μ / σ)·W) on
 * raw ones; dropout before it is the identity at inference, so folding the
 * scaling into the first Dense keeps the saved model a plain trunk + head.
 */
function foldScaling(head: tf.Sequential, mean: Float32Array, std: Float32Array): void {
  const dense = head.layers.find((l) => l.getClassName() === 'Dense')!;
  const [kernel, bias] = dense.getWeights();
  const [scaledKernel, shiftedBias] = tf.tidy(() => {
    const inv = tf.tensor2d(std, [std.length, 1]).reciprocal();
    const k = kernel.mul(inv);
    const b = bias.sub(tf.matMul(tf.tensor2d(mean, [1, mean.length]), k).reshape([-1]));
    return [k, b];
  });
  dense.setWeights([scaledKernel, shiftedBias]);
  tf.dispose([scaledKernel, shiftedBias]);
}

function standardized(rows: Float32Array[], mean: Float32Array, std: Float32Array): Float32Array[] {
  return rows.map((r) => r.map((v, j) => (v - mean[j]) / std[j]));
}

export async function trainHead(train: FeatureSet, val: FeatureSet, opts: HeadOptions): Promise<TrainedHead> {
  if (!train.features.length) throw new Error('no training features');
  const d = train.features[0].length;
  const head = buildHead(d, opts.nClasses, opts.kind, opts.dropout, opts.hidden);
  // Trunk features differ in scale by orders of magnitude; standardizing lets one learning rate fit all.
  const { mean, std } = featureScaling(train.features);
  const trainX = matrix(standardized(train.features, mean, std));
  const valX = val.features.length ? matrix(standardized(val.features, mean, std)) : tf.zeros([0, d]);
  try {
    if ((opts.kind ?? 'linear') === 'linear') {
      const started = now();
      const fit = await fitLinearHead(trainX as tf.Tensor2D, train.labels, valX as tf.Tensor2D, val.labels, {
        nClasses: opts.nClasses, positiveIndex: opts.positiveIndex, classWeighting: opts.classWeighting,
        rounds: opts.epochs, signal: opts.signal, onEpoch: opts.onEpoch, folds: opts.folds, foldScope: opts.foldScope,
      });
      head.getLayer('logits').setWeights([fit.kernel, fit.bias]);
      tf.dispose([fit.kernel, fit.bias]);
      foldScaling(head, mean, std);
      const seconds = (now() - started) / 1000;
      return { head, loop: { history: fit.history, bestEpoch: fit.history.length, stoppedEarly: false, seconds }, penalty: fit.penalty, crossValidation: fit.crossValidation };
    }
    const variables = head.trainableWeights.map((w) => w.read() as tf.Variable);
    const forward = (x: tf.Tensor, training: boolean) => head.apply(x, { training }) as tf.Tensor;
    const loop = await runTrainingLoop(
      forward,
      variables,
      {
        trainLabels: train.labels,
        valLabels: val.labels,
        trainInput: (idx) => tf.gather(trainX, idx),
        valInput: (idx) => tf.gather(valX, idx),
      },
      { epochs: 100, patience: 10, learningRate: 1e-3, batchSize: 32, ...opts },
    );
    foldScaling(head, mean, std);
    return { head, loop };
  } catch (e) {
    head.dispose();
    throw e;
  } finally {
    trainX.dispose();
    valX.dispose();
  }
}

const LAYER_FACTORIES: Record<string, (config: never) => tf.layers.Layer> = {
  Dense: tf.layers.dense as never,
  Dropout: tf.layers.dropout as never,
  Flatten: tf.layers.flatten as never,
};

/**
 * The full model: the base's frozen trunk up to its feature layer, then the new
 * head, as one LayersModel with its own weights (saved and loaded like the
 * bundled model). The base and the head are left untouched.
 */
export async function assembleModel(base: tf.LayersModel, featureLayer: string, head: tf.LayersModel): Promise<tf.LayersModel> {
  let x = base.getLayer(featureLayer).output as tf.SymbolicTensor;
  const fresh: tf.layers.Layer[] = [];
  if (x.shape.length > 2) {
    const flatten = tf.layers.flatten({ name: 'features_flat' });
    fresh.push(flatten);
    x = flatten.apply(x) as tf.SymbolicTensor;
  }
  for (const layer of head.layers) {
    const make = LAYER_FACTORIES[layer.getClassName()];
    if (!make) throw new Error(`head layer ${layer.name} (${layer.getClassName()}) cannot be assembled`);
    const { batchInputShape: _b, ...config } = layer.getConfig() as Record<string, unknown>;
    const copy = make(config as never);
    x = copy.apply(x) as tf.SymbolicTensor;
    fresh.push(copy);
    copy.setWeights(layer.getWeights());
  }
  const joined = tf.model({ inputs: base.inputs, outputs: x, name: 'radlens_trained' });
  try {
    return await modelFromArtifacts(await modelArtifacts(joined));
  } finally {
    // The joined model shares the base's layers: dispose only what was made here.
    for (const layer of fresh) layer.dispose();
  }
}
