import { tf } from '../runtime';
import type { LoadedModel } from '../model/load';

/**
 * The model cut at the Grad-CAM layer: `trunk` maps the input to that layer's
 * activations; `head` applies the remaining layers one after another to a
 * concrete tensor, so tf.grad can differentiate the class logit with respect
 * to the activations. Both share the loaded model's weights.
 */
export interface SplitModel {
  trunk: tf.LayersModel;
  head: (activations: tf.Tensor) => tf.Tensor;
}

const cache = new WeakMap<tf.LayersModel, SplitModel>();

export function splitAt(m: LoadedModel): SplitModel {
  const cached = cache.get(m.model);
  if (cached) return cached;
  const name = m.card.layers.gradcam;
  const layers = m.model.layers;
  const at = layers.findIndex((l) => l.name === name);
  if (at < 0) throw new Error(`Grad-CAM layer "${name}" is not in the model`);
  const rest = layers.slice(at + 1).filter((l) => l.getClassName() !== 'InputLayer');
  // The head is replayed layer by layer, so it must be a plain chain.
  let previous = layers[at];
  for (const layer of rest) {
    const inbound = layer.inboundNodes.flatMap((n) => n.inboundLayers);
    if (inbound.length !== 1 || inbound[0] !== previous)
      throw new Error(`Grad-CAM needs a chain of layers after "${name}", but "${layer.name}" takes input from ${inbound.map((l) => l.name).join(', ') || 'nothing'}`);
    previous = layer;
  }
  const trunk = tf.model({ inputs: m.model.inputs, outputs: layers[at].output as tf.SymbolicTensor });
  const head = (activations: tf.Tensor) =>
    rest.reduce((x, layer) => layer.apply(x, { training: false }) as tf.Tensor, activations);
  const split = { trunk, head };
  cache.set(m.model, split);
  return split;
}
