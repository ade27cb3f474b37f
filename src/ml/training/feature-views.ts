import { tf } from '../runtime';
import { seededRandom } from '../random';
import { augmentBatch, normalizeBatch, resolutionJitter, type AugmentOptions } from './augment';
import { featureExtractor, checkAborted, tensorRows } from './features';
import { featureKey, preprocessingId, type FeatureCache } from './feature-cache';
import { sha256OfText } from './hash';
import { modelTag } from '../card';
import type { TransferBaseCard } from '../trunk/types';

/**
 * Augmented views for head training: each training image is also seen
 * rotated, rescaled, re-contrasted and re-sampled at a lower resolution, and
 * the frozen trunk's features of those views join the training set. The head
 * then cannot lean on one source's sharpness or framing. Views are a pure
 * function of the image bytes and the view number, so they are cached like
 * plain features.
 */

export interface ViewRecipe extends AugmentOptions {
  /** Smallest relative resolution of the down-and-up resampling (1 = off). */
  minResolution: number;
}

export const DEFAULT_VIEW_RECIPE: ViewRecipe = { rotationDeg: 10, scale: 0.12, brightness: 0.08, contrast: 0.2, flip: false, minResolution: 0.4 };

/** A 32-bit seed from the image's sha256 and the view number. */
function viewSeed(sha256: string, view: number): number {
  return (parseInt(sha256.slice(0, 8), 16) ^ Math.imul(view + 1, 0x9e3779b9)) >>> 0;
}

export interface ViewFeatureOptions {
  model: tf.LayersModel;
  card: TransferBaseCard;
  /** Display images at model resolution, 0…255, one channel. */
  images: Uint8Array[];
  sha256s: string[];
  views: number;
  recipe?: ViewRecipe;
  cache?: FeatureCache;
  batchSize?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

/** Features of views 1…n of every image: result[v][i] is view v+1 of image i. */
export async function viewFeatures(opts: ViewFeatureOptions): Promise<Float32Array[][]> {
  const { model, card, images, sha256s, views, recipe = DEFAULT_VIEW_RECIPE, cache, batchSize = 16, signal, onProgress } = opts;
  const extractor = featureExtractor(model, card.layers.features);
  const prep = `${preprocessingId(card.input, card.layers.features)}|views:${sha256OfText(JSON.stringify(recipe)).slice(0, 12)}`;
  const ref = modelTag(card);
  const [h, w] = card.input.size;
  const out: Float32Array[][] = [];
  const total = views * images.length;
  let done = 0;
  for (let v = 1; v <= views; v++) {
    const feats: Float32Array[] = new Array(images.length);
    const missing: number[] = [];
    for (let i = 0; i < images.length; i++) {
      const hit = cache ? await cache.get(featureKey(sha256s[i], ref, `${prep}|${v}`)) : undefined;
      if (hit) { feats[i] = hit; done++; } else missing.push(i);
    }
    for (let start = 0; start < missing.length; start += batchSize) {
      checkAborted(signal);
      const idx = missing.slice(start, start + batchSize);
      const randoms = idx.map((i) => seededRandom(viewSeed(sha256s[i], v)));
      const factors = randoms.map((r) => recipe.minResolution + (1 - recipe.minResolution) * r());
      const flat = new Float32Array(idx.length * h * w);
      idx.forEach((i, k) => flat.set(images[i], k * h * w));
      const rows = await tensorRows(tf.tidy(() => {
        const display = tf.div(tf.tensor4d(flat, [idx.length, h, w, 1]), 255) as tf.Tensor4D;
        const moved = augmentBatch(resolutionJitter(display, factors), randoms, recipe);
        return (extractor.predict(normalizeBatch(moved, card.input)) as tf.Tensor).reshape([idx.length, -1]);
      }));
      for (let k = 0; k < idx.length; k++) {
        const vec = rows[k];
        feats[idx[k]] = vec;
        if (cache) await cache.put(featureKey(sha256s[idx[k]], ref, `${prep}|${v}`), vec);
      }
      done += idx.length;
      onProgress?.(done, total);
    }
    out.push(feats);
  }
  return out;
}
