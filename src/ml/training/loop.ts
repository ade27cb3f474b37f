import { tf } from '../runtime';
import { auc } from '../metrics';
import { seededRandom } from '../random';
import { checkAborted } from './features';

/**
 * The one training loop behind head training, fine-tuning and training from
 * scratch: shuffled mini-batches, class-weighted softmax cross-entropy, Adam,
 * validation AUC after each epoch, early stopping with the best epoch's
 * weights restored, cancellation between batches. Every step runs inside
 * tf.tidy; snapshots and the optimizer are disposed on every exit path.
 */

export interface EpochStats {
  epoch: number;
  loss: number;
  acc: number;
  valLoss: number;
  valAuc: number;
  valAcc: number;
  seconds: number;
}

export interface LoopData {
  /** Class index of each training sample. */
  trainLabels: ArrayLike<number>;
  valLabels: ArrayLike<number>;
  /** The input batch for these training samples (augmented when the mode wants it). The loop disposes it. */
  trainInput(indices: number[], epoch: number): tf.Tensor | Promise<tf.Tensor>;
  valInput(indices: number[]): tf.Tensor | Promise<tf.Tensor>;
}

export interface LoopOptions {
  nClasses: number;
  /** Class whose probability the validation AUC ranks. */
  positiveIndex: number;
  epochs: number;
  batchSize?: number;
  learningRate?: number;
  /** Epochs without a better validation AUC before stopping; 0 disables early stopping. */
  patience?: number;
  /** Weight each class by n / (k · n_class) so a rare class counts as much as a common one. */
  classWeighting?: boolean;
  seed?: number;
  signal?: AbortSignal;
  onEpoch?: (stats: EpochStats) => void;
}

export interface LoopResult {
  history: EpochStats[];
  bestEpoch: number;
  stoppedEarly: boolean;
  seconds: number;
}

/** Logits for a batch; `training` switches dropout on. */
export type Forward = (x: tf.Tensor, training: boolean) => tf.Tensor;

export function classWeights(labels: ArrayLike<number>, nClasses: number): number[] {
  const counts = new Array(nClasses).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]]++;
  return counts.map((c) => (c ? labels.length / (nClasses * c) : 0));
}

export const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/** Lets a cancel message (a macrotask) be handled during a long epoch. */
export const yieldToEventLoop = () => new Promise<void>((r) => setTimeout(r, 0));

function weightedCrossEntropy(logits: tf.Tensor, labels: tf.Tensor1D, weights: tf.Tensor1D, nClasses: number): tf.Scalar {
  const oneHot = tf.oneHot(labels, nClasses);
  const perSample = tf.neg(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), -1));
  return tf.div(tf.sum(tf.mul(perSample, weights)), tf.sum(weights)) as tf.Scalar;
}

export async function runTrainingLoop(forward: Forward, variables: tf.Variable[], data: LoopData, opts: LoopOptions): Promise<LoopResult> {
  const { nClasses, positiveIndex, epochs, batchSize = 32, learningRate = 1e-3, patience = 5, classWeighting = true, seed = 1, signal, onEpoch } = opts;
  if (!data.trainLabels.length) throw new Error('no training images');
  const weightsPerClass = classWeighting ? classWeights(data.trainLabels, nClasses) : new Array(nClasses).fill(1);
  const optimizer = tf.train.adam(learningRate);
  const random = seededRandom(seed);
  const history: EpochStats[] = [];
  let best: tf.Tensor[] | null = null;
  let bestEpoch = -1, bestAuc = -Infinity, bestLoss = Infinity, stoppedEarly = false;
  const started = now();
  let lastYield = now();
  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const t0 = now();
      const order = Array.from(data.trainLabels, (_, i) => i);
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
      let lossSum = 0, correctSum = 0;
      for (let s = 0; s < order.length; s += batchSize) {
        checkAborted(signal);
        const idx = order.slice(s, s + batchSize);
        const x = await data.trainInput(idx, epoch);
        const labels = Int32Array.from(idx, (i) => data.trainLabels[i]);
        let correct: tf.Tensor | null = null;
        const loss = tf.tidy(() => {
          const y = tf.tensor1d(labels, 'int32');
          const w = tf.tensor1d(Float32Array.from(labels, (l) => weightsPerClass[l]));
          return optimizer.minimize(() => {
            const logits = forward(x, true);
            correct = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(logits, -1), y), 'float32')));
            return weightedCrossEntropy(logits, y, w, nClasses);
          }, true, variables)!;
        });
        x.dispose();
        lossSum += (await loss.data())[0] * idx.length;
        correctSum += (await correct!.data())[0];
        loss.dispose();
        correct!.dispose();
        if (now() - lastYield > 30) { await yieldToEventLoop(); lastYield = now(); }
      }
      checkAborted(signal);
      const val = await evaluateLogits(forward, data, nClasses, positiveIndex, batchSize);
      const stats: EpochStats = {
        epoch,
        loss: lossSum / order.length,
        acc: correctSum / order.length,
        valLoss: val.loss,
        valAuc: val.auc,
        valAcc: val.acc,
        seconds: (now() - t0) / 1000,
      };
      history.push(stats);
      onEpoch?.(stats);
      // NaN AUC (a split without one class) falls back to validation loss.
      const better = Number.isFinite(val.auc) ? val.auc > bestAuc + 1e-6 || (Math.abs(val.auc - bestAuc) <= 1e-6 && val.loss < bestLoss) : val.loss < bestLoss;
      if (better) {
        bestAuc = Number.isFinite(val.auc) ? val.auc : bestAuc;
        bestLoss = val.loss;
        bestEpoch = epoch;
        best?.forEach((t) => t.dispose());
        best = variables.map((v) => tf.clone(v));
      } else if (patience > 0 && epoch - bestEpoch >= patience) {
        stoppedEarly = true;
        break;
      }
      await yieldToEventLoop();
      lastYield = now();
    }
    if (best) variables.forEach((v, i) => v.assign(best![i]));
    return { history, bestEpoch, stoppedEarly, seconds: (now() - started) / 1000 };
  } finally {
    best?.forEach((t) => t.dispose());
    optimizer.dispose();
  }
}

/** Validation loss (unweighted), accuracy and positive-class AUC, in eval mode. */
async function evaluateLogits(forward: Forward, data: LoopData, nClasses: number, positiveIndex: number, batchSize: number) {
  const n = data.valLabels.length;
  if (!n) return { loss: NaN, auc: NaN, acc: NaN };
  const probs = await predictProbabilities((x) => forward(x, false), (idx) => data.valInput(idx), n, batchSize);
  let loss = 0, correct = 0;
  const scores = new Float32Array(n);
  const positives = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const row = probs.subarray(i * nClasses, (i + 1) * nClasses);
    const y = data.valLabels[i];
    loss -= Math.log(Math.max(row[y], 1e-12));
    let arg = 0;
    for (let k = 1; k < nClasses; k++) if (row[k] > row[arg]) arg = k;
    if (arg === y) correct++;
    scores[i] = row[positiveIndex];
    positives[i] = y === positiveIndex ? 1 : 0;
  }
  return { loss: loss / n, acc: correct / n, auc: auc(scores, positives) };
}

/** Softmax of logits over n samples in batches, row-major n × classes. */
export async function predictProbabilities(
  logitsOf: (x: tf.Tensor) => tf.Tensor,
  input: (indices: number[]) => tf.Tensor | Promise<tf.Tensor>,
  n: number,
  batchSize = 64,
  temperature = 1,
): Promise<Float32Array> {
  const parts: Float32Array[] = [];
  for (let s = 0; s < n; s += batchSize) {
    const idx = Array.from({ length: Math.min(batchSize, n - s) }, (_, k) => s + k);
    const x = await input(idx);
    const p = tf.tidy(() => tf.softmax(tf.div(logitsOf(x), temperature)));
    x.dispose();
    parts.push((await p.data()) as Float32Array);
    p.dispose();
  }
  const total = parts.reduce((s, p) => s + p.length, 0);
  const out = new Float32Array(total);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

/** Raw logits over n samples in batches, row-major. */
export async function predictLogits(
  logitsOf: (x: tf.Tensor) => tf.Tensor,
  input: (indices: number[]) => tf.Tensor | Promise<tf.Tensor>,
  n: number,
  batchSize = 64,
): Promise<Float32Array> {
  const parts: Float32Array[] = [];
  for (let s = 0; s < n; s += batchSize) {
    const idx = Array.from({ length: Math.min(batchSize, n - s) }, (_, k) => s + k);
    const x = await input(idx);
    const y = tf.tidy(() => logitsOf(x));
    x.dispose();
    parts.push((await y.data()) as Float32Array);
    y.dispose();
  }
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}
