import { beforeAll, describe, expect, it } from 'vitest';
import { tf, initBackend } from '../runtime';
import { trainHead, assembleModel, type FeatureSet } from './head';
import { seededRandom } from '../random';
import { auc } from '../metrics';
import { tinyBaseModel } from '../testing/tiny-model';

beforeAll(async () => {
  await initBackend(['cpu']);
});

/** Two Gaussian blobs in d dimensions, separated along every axis. */
function blobs(n: number, d: number, shift: number, seed: number): FeatureSet {
  const r = seededRandom(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
  const features: Float32Array[] = [], labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const y = i % 3 === 0 ? 1 : 0; // imbalanced 1:2
    features.push(Float32Array.from({ length: d }, () => gauss() + (y ? shift : 0)));
    labels.push(y);
  }
  return { features, labels };
}

describe('trainHead', () => {
  it('reaches a high AUC on separable features and reports every epoch', async () => {
    const epochs: number[] = [];
    const { head, loop } = await trainHead(blobs(300, 16, 1, 1), blobs(90, 16, 1, 2), {
      nClasses: 2, positiveIndex: 1, epochs: 30, patience: 30, learningRate: 1e-2, onEpoch: (s) => epochs.push(s.epoch),
    });
    expect(epochs).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const best = loop.history[loop.bestEpoch - 1];
    expect(best.valAuc).toBeGreaterThan(0.95);
    const test = blobs(100, 16, 1, 3);
    const probs = tf.tidy(() => tf.softmax(head.predict(tf.tensor2d(test.features.flatMap((f) => [...f]), [100, 16])) as tf.Tensor));
    const p = await probs.data();
    probs.dispose();
    expect(auc(Array.from({ length: 100 }, (_, i) => p[i * 2 + 1]), test.labels)).toBeGreaterThan(0.95);
    head.dispose();
  });

  it('stops an MLP head early when validation AUC stops improving', async () => {
    // Validation labels are noise: AUC cannot keep improving.
    const val = blobs(60, 8, 0, 5);
    const { head, loop } = await trainHead(blobs(120, 8, 1, 4), val, { nClasses: 2, positiveIndex: 1, epochs: 200, patience: 3, kind: 'mlp' });
    expect(loop.stoppedEarly).toBe(true);
    expect(loop.history.length).toBe(loop.bestEpoch + 3);
    expect(loop.history.length).toBeLessThan(200);
    head.dispose();
  });

  it('cancels with an AbortError and leaks no tensors', async () => {
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    const run = trainHead(blobs(200, 8, 1, 6), blobs(40, 8, 1, 7), {
      nClasses: 2, positiveIndex: 1, epochs: 1000, patience: 0, signal: controller.signal,
      onEpoch: (s) => { if (s.epoch === 3) controller.abort(); },
    });
    await expect(run).rejects.toThrow(/cancel/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('assembles trunk + head into one model that matches the head on the trunk features', async () => {
    const base = tinyBaseModel();
    const { head } = await trainHead(blobs(40, 8, 1, 8), blobs(20, 8, 1, 9), { nClasses: 2, positiveIndex: 1, epochs: 2 });
    const full = await assembleModel(base, 'gap', head);
    expect(full.layers.map((l) => l.name)).toContain('conv7');
    expect(full.layers[full.layers.length - 1].name).toBe('logits');
    const x = tf.randomNormal([3, 16, 16, 1], 0, 1, 'float32', 3);
    const viaFull = full.predict(x) as tf.Tensor;
    const feats = tf.model({ inputs: base.inputs, outputs: base.getLayer('gap').output as tf.SymbolicTensor }).predict(x) as tf.Tensor;
    const viaHead = head.predict(feats) as tf.Tensor;
    const a = await viaFull.data(), b = await viaHead.data();
    expect(a.length).toBe(6);
    a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 5));
    tf.dispose([x, viaFull, feats, viaHead]);
    full.dispose();
    head.dispose();
    base.dispose();
  });
});
