import { tf } from '../runtime';
import { batchTensor } from '../inference/forward';
import { layersModelFiles } from '../bundle/files';
import { buildTextureTrunk } from '../trunk/build';
import type { GateSpec } from './types';

/**
 * The gate's trunk, built from the recipe in the card (seeded weights, no
 * download) at the gate's input size, and checked against the weights'
 * sha256 the gate was fitted with. One per recipe per process.
 */
const trunks = new Map<string, Promise<tf.LayersModel>>();

async function buildChecked(spec: GateSpec): Promise<tf.LayersModel> {
  const { channels, seed, weightsSha256 } = spec.trunk;
  const model = buildTextureTrunk({ size: spec.input.size[0], channels, seed });
  const { entry } = await layersModelFiles(model);
  if (entry.sha256 !== weightsSha256) {
    model.dispose();
    throw new Error(`refusal gate ${spec.id}@${spec.version}: its trunk ${spec.trunk.id}@${spec.trunk.version} built with weights sha256 ${entry.sha256}, the gate was fitted with ${weightsSha256}`);
  }
  return model;
}

export function gateTrunk(spec: GateSpec): Promise<tf.LayersModel> {
  const key = `${spec.trunk.id}@${spec.trunk.version}/${spec.input.size.join('x')}/${spec.trunk.weightsSha256}`;
  let model = trunks.get(key);
  if (!model) {
    model = buildChecked(spec);
    model.catch(() => trunks.delete(key));
    trunks.set(key, model);
  }
  return model;
}

/** Trunk features of prepared HWC inputs at the gate's size, one batch. */
export async function gateFeatures(spec: GateSpec, inputs: Float32Array[]): Promise<Float32Array[]> {
  if (!inputs.length) return [];
  const model = await gateTrunk(spec);
  // The classifier's batch packing and shapes (inference/forward.ts), so the gate compiles nothing mid-batch either.
  const out = tf.tidy(() => model.predict(batchTensor(inputs, spec.input.size, spec.input.channels, 'refusal gate input')) as tf.Tensor);
  try {
    const data = (await out.data()) as Float32Array;
    const d = out.shape[1] as number;
    return inputs.map((_, i) => data.slice(i * d, (i + 1) * d));
  } finally {
    out.dispose();
  }
}
