import type { tf } from '../runtime';
import { encodeJson, layersModelFiles, WEIGHTS_FILE } from '../bundle/files';
import { TEXTURE_TRUNK, TRUNK_FEATURE_LAYER, TRUNK_GRADCAM_LAYER } from './constants';
import { buildTextureTrunk, textureFeatureDim } from './build';
import type { TrunkCard } from './types';

export function textureTrunkCard(): Omit<TrunkCard, 'weights'> {
  const t = TEXTURE_TRUNK;
  return {
    schema: 'radlens-trunk-card/1',
    id: t.id,
    version: t.version,
    name: 'General texture trunk',
    description:
      `Five 3×3 convolution stages (${t.channels.join(', ')} channels, ReLU, 2×2 average pooling between stages) with fixed seeded Gaussian weights; ` +
      `features are the mean, maximum and mean square of every channel of every stage (${textureFeatureDim()} values).`,
    input: {
      size: [t.size, t.size], channels: 1, fit: 'stretch', interpolation: 'area',
      window: { kind: 'display' }, normalization: { kind: 'zscore-image' },
    },
    layers: { features: TRUNK_FEATURE_LAYER, gradcam: TRUNK_GRADCAM_LAYER },
    featureDim: textureFeatureDim(),
    construction: { method: 'seeded Gaussian weights (mulberry32 + Box–Muller), He-scaled (σ = √(2 / 9·c_in)); never trained', seed: t.seed, tool: 'npm run trunk:build (training/make_texture_trunk.ts)' },
    intendedUse:
      'A frozen feature extractor for fast transfer (head training) on a clinic\'s own small labelled dataset of any modality. It is not a classifier and makes no finding on its own.',
    limitations: [
      'Untrained: it describes texture, intensity and structure at five scales, not anatomy. The head trained on top learns whatever separates the classes, including scanner, source or annotation differences; read the dataset warnings.',
      'Input is one grey channel at 224×224, stretched: aspect ratio is not kept.',
    ],
  };
}

/** model.json, weight shard and card.json (the card given, with the shard's sha256 and size added) of a built trunk, which it disposes. */
export async function builtTrunkFiles(model: tf.LayersModel, card: object): Promise<Map<string, Uint8Array>> {
  try {
    const { modelJson, weights, entry } = await layersModelFiles(model);
    return new Map([['model.json', modelJson], [WEIGHTS_FILE, weights], ['card.json', encodeJson({ ...card, weights: [entry] })]]);
  } finally {
    model.dispose();
  }
}

/** model.json, weight shard and card.json of the texture trunk, built from its constants. */
export function textureTrunkFiles(): Promise<Map<string, Uint8Array>> {
  const card: Omit<TrunkCard, 'weights'> = textureTrunkCard();
  return builtTrunkFiles(buildTextureTrunk(), card);
}
