import { tf, currentBackend } from '../runtime';
import type { LoadedModel } from '../model/load';
import type { DecodedImage } from '../../imaging/types';
import { fitRect, resizeBilinear } from '../../imaging/preprocess';
import type { InputSpec } from '../../imaging/types';
import { modelInput } from '../inference/forward';
import { calibratedProbabilities, decide } from '../inference/decision';
import { splitAt } from './split';
import { regionName } from './regions';

export interface Heatmap {
  /** Grid size of the Grad-CAM layer (model resolution, e.g. 16×16 for a 128 input). */
  width: number;
  height: number;
  /** Row-major, in [0, 1]. */
  values: Float32Array;
  /** Where the weight lies, e.g. "right lower zone". */
  region: string;
  /** The label explained. */
  label: string;
  /** Backend that computed the gradient (differs from the active one after a fallback). */
  backend: string;
}

/**
 * Grad-CAM (Selvaraju et al. 2017): the activations of the card's Grad-CAM
 * layer, each channel weighted by the spatial mean of the class logit's
 * gradient, summed, ReLU'd and scaled to [0, 1]. Explains `label` if given,
 * else the label the model reports for this image.
 */
export async function gradCam(m: LoadedModel, image: DecodedImage, frame = 0, label?: string): Promise<Heatmap> {
  const [h, w] = m.card.input.size;
  const input = modelInput(m, image, frame);
  const shape: [number, number, number, number] = [1, h, w, m.card.input.channels];
  const backend = currentBackend();
  if (backend === 'cpu') return computeGradCam(m, input, shape, label, 'cpu');
  if (!gradientFails.has(backend)) {
    try {
      return await computeGradCam(m, input, shape, label, backend);
    } catch (err) {
      gradientFails.add(backend);
      console.warn(`Grad-CAM: the ${backend} backend cannot compute the gradient (${(err as Error).message}); using cpu for explanations`);
    }
  }
  return withBackend('cpu', () => computeGradCam(m, input, shape, label, 'cpu'));
}

/**
 * Backends whose gradient failed once. A failed tf.grad leaves its tape's
 * tensors behind (tfjs 4.22), so we try each backend once and then go
 * straight to cpu, which has every gradient kernel.
 */
const gradientFails = new Set<string>();

/** Runs fn with another backend active, then restores the previous one even if fn throws. */
async function withBackend<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const previous = tf.getBackend();
  await tf.setBackend(name);
  try {
    return await fn();
  } finally {
    await tf.setBackend(previous);
  }
}

async function computeGradCam(
  m: LoadedModel,
  input: Float32Array,
  shape: [number, number, number, number],
  label: string | undefined,
  backend: string,
): Promise<Heatmap> {
  const { trunk, head } = splitAt(m);
  const x = tf.tensor4d(input, shape);
  const outputs = tf.tidy(() => {
    const y = trunk.predict(x);
    return Array.isArray(y) ? y : [y];
  });
  x.dispose();
  const activations = outputs[0] as tf.Tensor4D;
  const sides = outputs.slice(1);
  try {
    const logits = tf.tidy(() => head(activations, sides));
    const logitValues = await logits.data();
    logits.dispose();
    const explained = label ?? decide(m.card, calibratedProbabilities(logitValues, m.card.temperature)).label;
    const classIndex = m.card.labels.indexOf(explained);
    if (classIndex < 0) throw new Error(`"${explained}" is not one of the model's labels (${m.card.labels.join(', ')})`);
    const cam = tf.tidy(() => {
      // A one-hot product rather than gather: gather's gradient needs UnsortedSegmentSum, which wasm lacks.
      const pick = tf.oneHot([classIndex], m.card.labels.length);
      const classLogit = (a: tf.Tensor) => head(a, sides).mul(pick).sum();
      const grads = tf.grad(classLogit)(activations) as tf.Tensor4D;
      const weights = grads.mean([1, 2], true); // [1, 1, 1, C]
      const map = tf.relu(activations.mul(weights).sum(-1).squeeze([0])) as tf.Tensor2D;
      const top = map.max();
      return tf.where(top.greater(0), map.div(top.add(1e-12)), tf.zerosLike(map));
    });
    const [height, width] = cam.shape as [number, number];
    const values = (await cam.data()) as Float32Array;
    cam.dispose();
    return { width, height, values, region: regionName(values, width, height), label: explained, backend };
  } finally {
    tf.dispose(outputs);
  }
}

/** The heatmap resampled bilinearly to any size (e.g. the model input, or the image when the card's fit is stretch). */
export function upsampleHeatmap(map: Pick<Heatmap, 'width' | 'height' | 'values'>, width: number, height: number): Float32Array {
  return resizeBilinear(map.values, map.width, map.height, width, height);
}

/**
 * The heatmap laid over the original image (width × height pixels), undoing
 * the card's fit: stretched back for 'stretch'; for 'center-crop' only the
 * cropped centre gets values and the cut-off margins stay 0.
 */
export function heatmapOnImage(map: Pick<Heatmap, 'width' | 'height' | 'values'>, spec: Pick<InputSpec, 'size' | 'fit'>, width: number, height: number): Float32Array {
  if (spec.fit === 'stretch') return upsampleHeatmap(map, width, height);
  const [x0, y0, w, h] = fitRect(width, height, spec.size[1], spec.size[0], spec.fit);
  const cw = Math.max(1, Math.round(w)), ch = Math.max(1, Math.round(h));
  const inner = upsampleHeatmap(map, cw, ch);
  const out = new Float32Array(width * height);
  const ox = Math.round(x0), oy = Math.round(y0);
  for (let y = 0; y < ch; y++)
    for (let x = 0; x < cw; x++) {
      const tx = x + ox, ty = y + oy;
      if (tx >= 0 && tx < width && ty >= 0 && ty < height) out[ty * width + tx] = inner[y * cw + x];
    }
  return out;
}
