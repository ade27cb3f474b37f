import { tf } from '../runtime';
import type { ModelCard } from '../card-types';

/**
 * A tiny stand-in for the bundled cxr-pneumonia model (same layer names,
 * 16×16×1 input, 8-d features) so tests train in seconds on the cpu backend.
 */
export function tinyBaseModel(size = 16, seed = 7): tf.LayersModel {
  const init = (k: number) => tf.initializers.glorotUniform({ seed: seed + k });
  const input = tf.input({ shape: [size, size, 1], name: 'input' });
  let x: tf.SymbolicTensor = input;
  const conv = (name: string, filters: number, k: number) =>
    (x = tf.layers.conv2d({ name, filters, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(k) }).apply(x) as tf.SymbolicTensor);
  const pool = (name: string) => (x = tf.layers.maxPooling2d({ name, poolSize: 2 }).apply(x) as tf.SymbolicTensor);
  conv('conv1', 4, 1); conv('conv2', 4, 2); pool('pool1');
  conv('conv3', 6, 3); conv('conv4', 6, 4); pool('pool2');
  conv('conv5', 8, 5); conv('conv6', 8, 6); pool('pool3');
  conv('conv7', 8, 7);
  x = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.dropout({ name: 'dropout', rate: 0.2 }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.dense({ name: 'logits', units: 2, kernelInitializer: init(9) }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: x, name: 'tiny_cxr' });
}

export function tinyBaseCard(model: tf.LayersModel, size = 16): ModelCard {
  const headStart = model.layers.findIndex((l) => l.name === 'dropout');
  return {
    schema: 'radlens-model-card/1',
    id: 'tiny-cxr',
    version: '0.0.1',
    name: 'Tiny test model',
    task: 'test',
    modalities: ['CR', 'DX'],
    bodyPart: 'CHEST',
    labels: ['NORMAL', 'PNEUMONIA'],
    positiveLabel: 'PNEUMONIA',
    threshold: 0.5,
    unsureBand: { low: 0.4, high: 0.6, rule: 'test' },
    temperature: 1,
    input: { size: [size, size], channels: 1, fit: 'stretch', interpolation: 'area', window: { kind: 'display' }, normalization: { kind: 'zscore-image' } },
    output: 'logits',
    layers: { gradcam: 'conv7', features: 'gap', headStart },
    metrics: { validation: { n: 0, auc: NaN, accuracy: NaN, sensitivity: NaN, specificity: NaN, threshold: 0.5 } },
    intendedUse: 'tests only',
    limitations: [],
    trainingData: { description: 'none', licence: 'none', counts: {}, split: 'none' },
    training: { date: '2024-01-01', mode: 'reference', tool: 'test' },
    weights: [],
  };
}
