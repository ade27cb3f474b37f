import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../src/ml';
import { saveToFiles } from '../../src/ml/testing/tiny-model';
import { PROJECT_ROOT } from '../../src/config';
import { convertLayersModel, type LayersModelJson } from './tfjs-to-onnx';
import { referenceInputs, tfjsProbabilities } from './reference';

ort.env.wasm.numThreads = 1;

async function ortRun(onnx: Uint8Array, x: Float32Array, shape: number[], output: string): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(onnx);
  const r = await session.run({ input: new ort.Tensor('float32', x, shape) });
  return r[output].data as Float32Array;
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

beforeAll(async () => {
  await initBackend(['cpu']);
});

describe('tfjs layers model → ONNX', () => {
  it('the bundled model gives the same calibrated probabilities as tfjs on real films (1e-4)', async () => {
    const dir = join(PROJECT_ROOT, 'public', 'models', 'cxr-pneumonia');
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as LayersModelJson;
    const card = JSON.parse(readFileSync(join(dir, 'card.json'), 'utf8'));
    const bin = readFileSync(join(dir, json.weightsManifest[0].paths[0]));
    const converted = convertLayersModel(json, new Uint8Array(bin).buffer, { temperature: card.temperature });
    const { batch, n, shape } = await referenceInputs(card, 6);
    const ours = await tfjsProbabilities(dir, batch, n);
    const theirs = await ortRun(converted.onnx, batch, [n, ...shape], converted.outputName);
    expect(theirs.length).toBe(ours.length);
    expect(maxAbsDiff(ours, theirs)).toBeLessThan(1e-4);
  });

  it('handles a functional graph: strided same convs, batch norm, depthwise and separable convs, add, concat, pooling, flatten', async () => {
    const input = tf.input({ shape: [20, 20, 3] });
    const a = tf.layers.conv2d({ name: 'c1', filters: 6, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }).apply(input) as tf.SymbolicTensor;
    const bn = tf.layers.batchNormalization({ name: 'bn' }).apply(a) as tf.SymbolicTensor;
    const dw = tf.layers.depthwiseConv2d({ name: 'dw', kernelSize: 3, padding: 'same', depthMultiplier: 1 }).apply(bn) as tf.SymbolicTensor;
    const sum = tf.layers.add({ name: 'sum' }).apply([bn, dw]) as tf.SymbolicTensor;
    const sep = tf.layers.separableConv2d({ name: 'sep', filters: 4, kernelSize: 3, padding: 'valid', activation: 'elu' }).apply(sum) as tf.SymbolicTensor;
    const pooled = tf.layers.averagePooling2d({ name: 'ap', poolSize: 2, strides: 2, padding: 'same' }).apply(sep) as tf.SymbolicTensor;
    const cat = tf.layers.concatenate({ name: 'cat' }).apply([pooled, tf.layers.maxPooling2d({ name: 'mp', poolSize: 2, padding: 'same' }).apply(sep) as tf.SymbolicTensor]) as tf.SymbolicTensor;
    const flat = tf.layers.flatten({ name: 'flat' }).apply(cat) as tf.SymbolicTensor;
    const out = tf.layers.dense({ name: 'out', units: 3, activation: 'softmax' }).apply(flat) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: out });
    // Non-trivial batch-norm statistics, so a wrong axis or epsilon shows.
    model.setWeights(model.getWeights().map((w, i) => tf.randomUniform(w.shape, 0.2, 1.5, 'float32', 100 + i)));
    const { modelJson, weights } = await saveToFiles(model);
    const converted = convertLayersModel(modelJson as LayersModelJson, weights.slice().buffer, { outputIsProbabilities: true });
    expect(converted.opTypes).toEqual(expect.arrayContaining(['Conv', 'BatchNormalization', 'Add', 'Concat', 'AveragePool', 'MaxPool', 'Flatten', 'MatMul', 'Softmax', 'Elu']));
    const x = tf.randomNormal([2, 20, 20, 3], 0, 1, 'float32', 9);
    const ours = (await (model.predict(x) as tf.Tensor).data()) as Float32Array;
    const theirs = await ortRun(converted.onnx, (await x.data()) as Float32Array, [2, 20, 20, 3], 'probabilities');
    expect(maxAbsDiff(ours, theirs)).toBeLessThan(1e-4);
  });

  it('names the layer it cannot convert', async () => {
    const m = tf.sequential({ layers: [tf.layers.conv2d({ name: 'c', inputShape: [8, 8, 1], filters: 2, kernelSize: 3 }), tf.layers.upSampling2d({ name: 'up' })] });
    const { modelJson, weights } = await saveToFiles(m);
    expect(() => convertLayersModel(modelJson as LayersModelJson, weights.slice().buffer)).toThrow(/layer up \(UpSampling2D\) is not supported/);
  });
});
