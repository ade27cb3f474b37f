import { tf } from '../runtime';
import type { LoadedModel } from '../model/load';

/**
 * The model cut at the Grad-CAM layer. `trunk` maps the input to that layer's
 * activations, followed by any "side" tensors the rest of the network also
 * reads (a trunk that pools every stage into its features has them); `head`
 * replays the layers downstream of the cut on concrete tensors, so tf.grad can
 * differentiate the class logit with respect to the activations alone. Both
 * share the loaded model's weights.
 */
export interface SplitModel {
  trunk: tf.LayersModel;
  head: (activations: tf.Tensor, sides: tf.Tensor[]) => tf.Tensor;
}

const cache = new WeakMap<tf.LayersModel, SplitModel>();

const inboundOf = (layer: tf.layers.Layer) => layer.inboundNodes.flatMap((n) => n.inboundLayers);

export function splitAt(m: LoadedModel): SplitModel {
  const cached = cache.get(m.model);
  if (cached) return cached;
  const name = m.card.layers.gradcam;
  const layers = m.model.layers;
  const at = layers.findIndex((l) => l.name === name);
  if (at < 0) throw new Error(`Grad-CAM layer "${name}" is not in the model`);
  if (layers.some((l) => l.inboundNodes.length > 1)) throw new Error('Grad-CAM cannot replay a model that applies one layer twice');
  // model.layers is in topological order, so one pass finds everything downstream of the cut.
  const downstream = new Set([name]);
  const replay: tf.layers.Layer[] = [];
  for (const layer of layers.slice(at + 1))
    if (inboundOf(layer).some((l) => downstream.has(l.name))) {
      downstream.add(layer.name);
      replay.push(layer);
    }
  const outputName = (m.model.outputs[0] as tf.SymbolicTensor).sourceLayer.name;
  if (!downstream.has(outputName)) throw new Error(`the model's output does not depend on the Grad-CAM layer "${name}"`);
  const sideNames = [...new Set(replay.flatMap((l) => inboundOf(l).map((i) => i.name)).filter((n) => !downstream.has(n)))];
  const trunk = tf.model({
    inputs: m.model.inputs,
    outputs: [layers[at].output as tf.SymbolicTensor, ...sideNames.map((n) => m.model.getLayer(n).output as tf.SymbolicTensor)],
  });
  const head = (activations: tf.Tensor, sides: tf.Tensor[]) => {
    const values = new Map<string, tf.Tensor>([[name, activations], ...sideNames.map((n, i) => [n, sides[i]] as [string, tf.Tensor])]);
    for (const layer of replay) {
      const inputs = inboundOf(layer).map((l) => values.get(l.name)!);
      values.set(layer.name, layer.apply(inputs.length === 1 ? inputs[0] : inputs, { training: false }) as tf.Tensor);
    }
    return values.get(outputName)!;
  };
  const split = { trunk, head };
  cache.set(m.model, split);
  return split;
}
