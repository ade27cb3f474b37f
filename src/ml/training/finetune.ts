import { tf } from '../runtime';
import type { Forward } from './loop';

/**
 * Fine-tuning the last block(s): the model is split at the first unfrozen
 * layer. The frozen prefix runs once per batch without gradients (so it never
 * holds activations for backprop and its BatchNorm statistics stay fixed); the
 * suffix (e.g. conv6, conv7, pooling, the new head) is applied layer by layer
 * in training mode and is the only part whose weights change. Meant for
 * WebGPU/WebGL; on cpu it is only practical for tiny models.
 */

export const DEFAULT_UNFREEZE_FROM = 'conv6';

export interface SplitModel {
  prefix: tf.LayersModel;
  suffix: tf.layers.Layer[];
  variables: tf.Variable[];
  forward: Forward;
}

export function splitForFinetune(model: tf.LayersModel, unfreezeFrom: string): SplitModel {
  const start = model.layers.findIndex((l) => l.name === unfreezeFrom);
  if (start < 0) throw new Error(`fine-tuning: the model has no layer "${unfreezeFrom}"`);
  const suffix = model.layers.slice(start);
  // A plain chain only: each suffix layer must take exactly the previous layer's output.
  for (let i = 1; i < suffix.length; i++) {
    const inbound = suffix[i].inboundNodes;
    if (inbound.length !== 1 || inbound[0].inboundLayers.length !== 1 || inbound[0].inboundLayers[0] !== suffix[i - 1])
      throw new Error(`fine-tuning needs a plain chain of layers after ${unfreezeFrom}; ${suffix[i].name} is not`);
  }
  const prefixOut = suffix[0].inboundNodes[0].inputTensors[0];
  const prefix = tf.model({ inputs: model.inputs, outputs: prefixOut });
  const variables = suffix.flatMap((l) => l.trainableWeights.map((w) => w.read() as tf.Variable));
  const forward: Forward = (x, training) => {
    let h = x;
    for (const layer of suffix) h = layer.apply(h, { training }) as tf.Tensor;
    return h;
  };
  return { prefix, suffix, variables, forward };
}
