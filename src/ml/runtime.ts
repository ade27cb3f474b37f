/**
 * The one module that imports TensorFlow.js. Everything else takes `tf` from
 * here, so a change of runtime (tfjs is at its last release, 4.22) touches one
 * file. Backends are resolved like Cornerstone3D's render paths: an ordered
 * list, the first that initializes and passes a numeric self-test wins.
 */
import * as tf from '@tensorflow/tfjs';
import { installWasmSpatialReductions } from './wasm-spatial-reductions';

export { tf };

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

export const BACKEND_ORDER: BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

export interface BackendAttempt {
  backend: BackendName;
  ok: boolean;
  reason?: string;
}

/** Where the WASM backend finds its .wasm files (the page serves them itself, never a CDN). */
let wasmPaths: string | Record<string, string> | undefined;

export function setWasmLocation(paths: string | Record<string, string>): void {
  wasmPaths = paths;
}

async function registerBackend(name: BackendName): Promise<void> {
  if (name === 'webgpu') await import('@tensorflow/tfjs-backend-webgpu');
  if (name === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    if (wasmPaths) wasm.setWasmPaths(wasmPaths as never);
    installWasmSpatialReductions(tf);
  }
  // webgl and cpu ship inside @tensorflow/tfjs. Shapes as uniforms: one WebGL program serves every batch size and image shape.
  if (name === 'webgl') tf.env().set('WEBGL_USE_SHAPES_UNIFORMS', true);
}

/**
 * A small matmul + conv whose answer is known: a backend that initializes but
 * computes garbage (seen with broken GPU drivers) is rejected here.
 */
export async function selfTest(): Promise<void> {
  const result = tf.tidy(() => {
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    const k = tf.ones([2, 2, 1, 1]) as tf.Tensor4D;
    const conv = tf.conv2d(x, k, 1, 'valid'); // [12, 16, 24, 28]
    const mm = tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]])); // 11
    return tf.concat([conv.flatten(), mm.flatten()]);
  });
  const values = await result.data();
  result.dispose();
  const expected = [12, 16, 24, 28, 11];
  if (!expected.every((v, i) => Math.abs(values[i] - v) < 1e-3))
    throw new Error(`self-test gave ${Array.from(values).join(',')} instead of ${expected.join(',')}`);
}

/**
 * Tries each backend in order and keeps the first that works. Returns the
 * winner and why the others failed, so the UI and CLI can say which ran.
 */
export async function initBackend(
  order: BackendName[] = BACKEND_ORDER,
): Promise<{ backend: BackendName; attempts: BackendAttempt[] }> {
  const attempts: BackendAttempt[] = [];
  for (const name of order) {
    try {
      await registerBackend(name);
      if (!(await tf.setBackend(name))) throw new Error('did not initialize');
      await tf.ready();
      await selfTest();
      attempts.push({ backend: name, ok: true });
      return { backend: name, attempts };
    } catch (e) {
      attempts.push({ backend: name, ok: false, reason: (e as Error).message || String(e) });
    }
  }
  throw new Error(`no TensorFlow.js backend works here: ${attempts.map((a) => `${a.backend}: ${a.reason}`).join('; ')}`);
}

export function currentBackend(): BackendName {
  return tf.getBackend() as BackendName;
}
