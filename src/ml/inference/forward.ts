import { tf, currentBackend, type BackendName } from '../runtime';
import type { LoadedModel } from '../model/load';
import { prepareModelInput } from '../../imaging/preprocess';
import type { DecodedImage } from '../../imaging/types';

/**
 * One forward pass that yields both the logits and the penultimate features
 * (for the out-of-distribution check), from a two-output view of the model
 * that shares its weights. Cached per model; it owns no weights of its own.
 */
const twoHeaded = new WeakMap<tf.LayersModel, tf.LayersModel>();

function featuresAndLogits(m: LoadedModel): tf.LayersModel {
  let view = twoHeaded.get(m.model);
  if (!view) {
    const features = m.model.getLayer(m.card.layers.features).output as tf.SymbolicTensor;
    view = tf.model({ inputs: m.model.inputs, outputs: [features, m.model.outputs[0]] });
    twoHeaded.set(m.model, view);
  }
  return view;
}

export interface ForwardResult {
  logits: Float32Array;
  features: Float32Array;
}

export interface ModelInput {
  image: DecodedImage;
  frame?: number;
}

/** HWC model input for one frame, as the card asks. */
export function modelInput(m: LoadedModel, image: DecodedImage, frame = 0): Float32Array {
  return prepareModelInput(image, frame, m.card.input);
}

/**
 * The batch a forward pass runs at. GPU backends build shader programs per
 * input shape, so a drop's ragged chunks (2, then 8, then whatever is left)
 * would each compile anew in the middle of a batch; rounding up to a power of
 * two leaves at most five shapes (1…16) ever compiled. The padding is zeros and
 * its outputs are dropped. WASM and CPU compile nothing, so padding would be
 * pure waste there.
 */
export function batchShape(n: number, backend: BackendName): number {
  if (backend !== 'webgl' && backend !== 'webgpu') return n;
  let size = 1;
  while (size < n) size *= 2;
  return size;
}

/**
 * Prepared HWC inputs as one NHWC batch tensor at the backend's batch shape
 * (zero rows pad it); call it inside tf.tidy. `what` names the inputs in the
 * error for a wrong-sized one.
 */
export function batchTensor(inputs: Float32Array[], [h, w]: readonly number[], c: number, what: string): tf.Tensor4D {
  const per = h * w * c;
  const flat = new Float32Array(per * batchShape(inputs.length, currentBackend()));
  inputs.forEach((x, i) => {
    if (x.length !== per) throw new Error(`${what} has ${x.length} values, expected ${per}`);
    flat.set(x, i * per);
  });
  return tf.tensor4d(flat, [flat.length / per, h, w, c]);
}

/** Runs prepared inputs through the model in one batch; no tensor outlives the call. */
export async function forwardPrepared(m: LoadedModel, inputs: Float32Array[]): Promise<ForwardResult[]> {
  if (!inputs.length) return [];
  const [features, logits] = tf.tidy(() => featuresAndLogits(m).predict(batchTensor(inputs, m.card.input.size, m.card.input.channels, 'model input')) as tf.Tensor[]);
  try {
    const [f, l] = await Promise.all([features.data() as Promise<Float32Array>, logits.data() as Promise<Float32Array>]);
    const fd = features.shape[1] as number;
    const ld = logits.shape[1] as number;
    return inputs.map((_, i) => ({
      features: f.slice(i * fd, (i + 1) * fd),
      logits: l.slice(i * ld, (i + 1) * ld),
    }));
  } finally {
    tf.dispose([features, logits]);
  }
}
