import { tf } from '../runtime';
import { batchTensor } from '../inference/forward';
import type { TransferBaseCard } from '../trunk/types';
import { modelTag } from '../card';
import { featureKey, preprocessingId, type FeatureCache } from './feature-cache';

/**
 * Frozen-trunk features: the base model up to card.layers.features, run in
 * small batches so memory stays flat whatever the dataset size. Features are
 * looked up in the cache first, so a second training on the same images costs
 * no forward passes.
 */

/** A model sharing the base's layers, ending at the feature layer. Dispose nothing of it: it owns no weights. */
export function featureExtractor(model: tf.LayersModel, featureLayer: string): tf.LayersModel {
  const layer = model.getLayer(featureLayer);
  return tf.model({ inputs: model.inputs, outputs: layer.output as tf.SymbolicTensor });
}

/** The rows of an [n, d] tensor as n vectors; disposes the tensor. */
export async function tensorRows(t: tf.Tensor): Promise<Float32Array[]> {
  const values = (await t.data()) as Float32Array;
  const [n, d] = t.shape as [number, number];
  t.dispose();
  return Array.from({ length: n }, (_, k) => values.slice(k * d, (k + 1) * d));
}

/** Feature rows of prepared inputs in one forward pass (the classifier's batch packing and shapes); padding rows are dropped. */
export async function batchFeatures(extractor: tf.LayersModel, inputs: Float32Array[], size: readonly number[], channels: number): Promise<Float32Array[]> {
  const rows = await tensorRows(tf.tidy(() => {
    const batch = batchTensor(inputs, size, channels, 'model input');
    return (extractor.predict(batch) as tf.Tensor).reshape([batch.shape[0], -1]);
  }));
  return rows.slice(0, inputs.length);
}

export interface FeatureSource {
  sha256: string;
  /** Model input for this image, HWC, as prepareModelInput gives it. Called only on a cache miss. */
  input: () => Promise<Float32Array> | Float32Array;
}

export interface FeatureProgress {
  done: number;
  total: number;
  cached: number;
}

export interface ComputeFeaturesOptions {
  model: tf.LayersModel;
  card: Pick<TransferBaseCard, 'id' | 'version' | 'input' | 'layers'>;
  sources: FeatureSource[];
  cache?: FeatureCache;
  batchSize?: number;
  signal?: AbortSignal;
  onProgress?: (p: FeatureProgress) => void;
}

export function checkAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new DOMException('training was cancelled', 'AbortError');
}

export async function computeFeatures(opts: ComputeFeaturesOptions): Promise<Float32Array[]> {
  const { model, card, sources, cache, batchSize = 16, signal, onProgress } = opts;
  const extractor = featureExtractor(model, card.layers.features);
  const prep = preprocessingId(card.input, card.layers.features);
  const ref = modelTag(card);
  const out: Float32Array[] = new Array(sources.length);
  const missing: number[] = [];
  let cached = 0;
  for (let i = 0; i < sources.length; i++) {
    const hit = cache ? await cache.get(featureKey(sources[i].sha256, ref, prep)) : undefined;
    if (hit) { out[i] = hit; cached++; } else missing.push(i);
  }
  onProgress?.({ done: cached, total: sources.length, cached });
  for (let start = 0; start < missing.length; start += batchSize) {
    checkAborted(signal);
    const idx = missing.slice(start, start + batchSize);
    const inputs: Float32Array[] = [];
    for (const i of idx) inputs.push(await sources[i].input());
    const rows = await batchFeatures(extractor, inputs, card.input.size, card.input.channels);
    for (let k = 0; k < idx.length; k++) {
      const vec = rows[k];
      out[idx[k]] = vec;
      if (cache) await cache.put(featureKey(sources[idx[k]].sha256, ref, prep), vec);
    }
    onProgress?.({ done: cached + start + idx.length, total: sources.length, cached });
  }
  return out;
}
