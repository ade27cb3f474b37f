import { tf } from '../runtime';
import type { ModelCard } from '../card-types';
import { encodeCard } from '../card';
import { sha256Hex } from '../model/sha256';
import { modelArtifacts, weightBytes } from '../model/model-io';

/**
 * A model as bundle files: model.json (TensorFlow.js layers format), one
 * weight shard, and card.json whose `weights` lists that shard's sha256 and
 * size, so loadModel accepts exactly these bytes and nothing else.
 */

export const WEIGHTS_FILE = 'group1-shard1of1.bin';

export const encodeJson = (value: unknown) => new TextEncoder().encode(JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n');

/** model.json (layers format, one shard), the shard, and the card's `weights` entry for it. */
export async function layersModelFiles(model: tf.LayersModel): Promise<{ modelJson: Uint8Array; weights: Uint8Array; entry: ModelCard['weights'][number] }> {
  const artifacts = await modelArtifacts(model);
  const weights = weightBytes(artifacts);
  const modelJson = {
    format: 'layers-model',
    generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
    convertedBy: null,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
  };
  return { modelJson: encodeJson(modelJson), weights, entry: { path: WEIGHTS_FILE, sha256: sha256Hex(weights), bytes: weights.length } };
}

export async function modelToFiles(model: tf.LayersModel, card: ModelCard): Promise<Map<string, Uint8Array>> {
  const { modelJson, weights, entry } = await layersModelFiles(model);
  const finalCard: ModelCard = { ...card, weights: [entry] };
  return new Map([
    ['model.json', modelJson],
    [WEIGHTS_FILE, weights],
    ['card.json', encodeCard(finalCard)],
  ]);
}
