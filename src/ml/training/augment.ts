import { tf } from '../runtime';
import type { InputSpec } from '../../imaging/types';

/**
 * Training-time augmentation on display-space images in [0, 1], [b, h, w, 1]:
 * small rotation and scale, brightness and contrast. Horizontal flip is OFF by
 * default: chest images are not left-right symmetric (heart on the left, a
 * "R/L" marker, situs), and a flipped film is a different, rarer anatomy, so
 * flipping teaches the model that impossible images are normal.
 */

export interface AugmentOptions {
  /** Maximum rotation either way, degrees. */
  rotationDeg: number;
  /** Maximum relative zoom either way (0.08 → 0.92…1.08). */
  scale: number;
  /** Maximum brightness shift in display units. */
  brightness: number;
  /** Maximum relative contrast change (0.15 → 0.85…1.15). */
  contrast: number;
  flip: boolean;
}

export const DEFAULT_AUGMENT: AugmentOptions = { rotationDeg: 7, scale: 0.08, brightness: 0.08, contrast: 0.15, flip: false };

/**
 * `random` may be one generator for the batch, or one per image: per-image
 * generators make an image's augmented view independent of its batch mates,
 * so a cached view stays valid whatever else is in the dataset.
 */
export function augmentBatch(images: tf.Tensor4D, randoms: (() => number) | Array<() => number>, opts: AugmentOptions = DEFAULT_AUGMENT): tf.Tensor4D {
  const [b, h, w] = images.shape;
  const cx = (w - 1) / 2, cy = (h - 1) / 2;
  const transforms = new Float32Array(b * 8);
  const gain = new Float32Array(b), shift = new Float32Array(b);
  for (let i = 0; i < b; i++) {
    const random = Array.isArray(randoms) ? randoms[i] : randoms;
    const theta = ((random() * 2 - 1) * opts.rotationDeg * Math.PI) / 180;
    const s = 1 + (random() * 2 - 1) * opts.scale;
    const flip = opts.flip && random() < 0.5 ? -1 : 1;
    // Output → input pixel mapping about the centre: in = R(−θ)·(out − c)/s + c.
    const a0 = (flip * Math.cos(theta)) / s, a1 = Math.sin(theta) / s;
    const b0 = (-flip * Math.sin(theta)) / s, b1 = Math.cos(theta) / s;
    transforms.set([a0, a1, cx - a0 * cx - a1 * cy, b0, b1, cy - b0 * cx - b1 * cy, 0, 0], i * 8);
    gain[i] = 1 + (random() * 2 - 1) * opts.contrast;
    shift[i] = (random() * 2 - 1) * opts.brightness;
  }
  return tf.tidy(() => {
    const moved = tf.image.transform(images, tf.tensor2d(transforms, [b, 8]), 'bilinear', 'nearest');
    const mean = tf.mean(moved, [1, 2, 3], true);
    const g = tf.tensor4d(gain, [b, 1, 1, 1]), sh = tf.tensor4d(shift, [b, 1, 1, 1]);
    return tf.clipByValue(tf.add(tf.add(tf.mul(tf.sub(moved, mean), g), mean), sh), 0, 1) as tf.Tensor4D;
  });
}

/**
 * Each image downsampled to `factors[i]` of its side and back up: the same
 * anatomy at another sharpness. Clinic datasets mix sources whose resolution
 * differs by class (paper figures against PACS exports); without this the head
 * learns sharpness instead of findings.
 */
export function resolutionJitter(images: tf.Tensor4D, factors: number[]): tf.Tensor4D {
  const [b, h, w] = images.shape;
  return tf.tidy(() => {
    const out: tf.Tensor4D[] = [];
    for (let i = 0; i < b; i++) {
      const one = tf.slice(images, [i, 0, 0, 0], [1, h, w, 1]);
      const f = factors[i];
      if (!(f < 1)) { out.push(one); continue; }
      const small = tf.image.resizeBilinear(one, [Math.max(8, Math.round(h * f)), Math.max(8, Math.round(w * f))], true);
      out.push(tf.image.resizeBilinear(small, [h, w], true));
    }
    return tf.concat(out, 0) as tf.Tensor4D;
  });
}

/** The card's normalization and channel count applied to display images [b, h, w, 1] in [0, 1]. */
export function normalizeBatch(images: tf.Tensor4D, spec: InputSpec): tf.Tensor4D {
  return tf.tidy(() => {
    let x: tf.Tensor4D = images;
    const norm = spec.normalization;
    if (norm.kind === 'zscore-image') {
      const { mean, variance } = tf.moments(x, [1, 2, 3], true);
      const std = tf.sqrt(variance);
      const inv = tf.where(tf.greater(std, 1e-6), tf.div(1, std), tf.zerosLike(std));
      x = tf.mul(tf.sub(x, mean), inv) as tf.Tensor4D;
    } else if (norm.kind === 'fixed') x = tf.div(tf.sub(x, norm.mean[0]), norm.std[0]) as tf.Tensor4D;
    if (spec.channels === 3) {
      x = tf.tile(x, [1, 1, 1, 3]) as tf.Tensor4D;
      if (norm.kind === 'fixed' && norm.mean.length === 3) {
        const raw = tf.tile(images, [1, 1, 1, 3]);
        x = tf.div(tf.sub(raw, tf.tensor1d(norm.mean)), tf.tensor1d(norm.std)) as tf.Tensor4D;
      }
    }
    return x;
  });
}
