import { tf } from '../runtime';
import type { InputSpec } from '../../imaging/types';

/**
 * The seed article's small CNN, trained from random weights: conv 32 → pool →
 * conv 64 → pool → dense 64 → class logits (softmax lives in the loss and in
 * inference, so the card's output stays "logits"). Trained with Adam 1e-3,
 * cross-entropy, batch 32, 10 epochs by default (TRAINING_MODES.scratch.defaults).
 */

export const SCRATCH_LAYERS = { gradcam: 'conv2', features: 'features' };

export function buildScratchModel(spec: InputSpec, nClasses: number, seed = 1): tf.LayersModel {
  const [h, w] = spec.size;
  const init = (k: number) => tf.initializers.glorotUniform({ seed: seed * 10 + k });
  const input = tf.input({ shape: [h, w, spec.channels], name: 'input' });
  let x = tf.layers.conv2d({ name: 'conv1', filters: 32, kernelSize: 3, activation: 'relu', padding: 'same', kernelInitializer: init(1) }).apply(input) as tf.SymbolicTensor;
  x = tf.layers.maxPooling2d({ name: 'pool1', poolSize: 2 }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.conv2d({ name: 'conv2', filters: 64, kernelSize: 3, activation: 'relu', padding: 'same', kernelInitializer: init(2) }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.maxPooling2d({ name: 'pool2', poolSize: 2 }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.flatten({ name: 'flatten' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.dense({ name: 'features', units: 64, activation: 'relu', kernelInitializer: init(3) }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.dense({ name: 'logits', units: nClasses, kernelInitializer: init(4) }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: x, name: 'radlens_scratch' });
}
