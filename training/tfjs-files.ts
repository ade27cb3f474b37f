/**
 * Loads an exported tfjs layers-model from a folder with node:fs and
 * tf.io.fromMemory (no tfjs-node here), and runs raw logits. Node only.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tf } from '../src/ml/runtime';

interface ModelJson {
  modelTopology: object;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

export function readModelFiles(dir: string): { modelJson: ModelJson; weightSpecs: tf.io.WeightsManifestEntry[]; weightData: ArrayBuffer; shards: { path: string; bytes: Uint8Array }[] } {
  const modelJson = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as ModelJson;
  const shards = modelJson.weightsManifest.flatMap((group) =>
    group.paths.map((path) => ({ path, bytes: new Uint8Array(readFileSync(join(dir, path))) })),
  );
  const total = shards.reduce((n, s) => n + s.bytes.length, 0);
  const joined = new Uint8Array(total);
  let offset = 0;
  for (const s of shards) {
    joined.set(s.bytes, offset);
    offset += s.bytes.length;
  }
  const weightSpecs = modelJson.weightsManifest.flatMap((group) => group.weights);
  return { modelJson, weightSpecs, weightData: joined.buffer, shards };
}

export async function loadLayersModelFromDir(dir: string): Promise<tf.LayersModel> {
  const { modelJson, weightSpecs, weightData } = readModelFiles(dir);
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs, weightData }));
}

/** Logits of HWC single-channel inputs, one model call per batch of 8. */
export async function logitsOf(model: tf.LayersModel, inputs: Float32Array[], size: [number, number]): Promise<number[][]> {
  const out: number[][] = [];
  for (let start = 0; start < inputs.length; start += 8) {
    const batch = inputs.slice(start, start + 8);
    const y = tf.tidy(() => {
      const x = tf.stack(batch.map((t) => tf.tensor3d(t, [size[0], size[1], 1])));
      return model.predict(x) as tf.Tensor;
    });
    out.push(...((await y.array()) as number[][]));
    y.dispose();
  }
  return out;
}
