import { tf, currentBackend } from './runtime';
import type { LoadedModel } from './model/load';
import { forwardPrepared } from './inference/forward';

/**
 * Pays a model's one-time costs at load instead of on the user's first image:
 * on WebGL/WebGPU a compile-only pass builds every shader program (compiled in
 * parallel where the driver can, KHR_parallel_shader_compile) and we wait for
 * it; then one batch-1 forward pass uploads the weights and sets the kernels
 * up. Returns what each part took, for the bench's cold-start breakdown.
 */
export async function warmUp(m: LoadedModel): Promise<{ compileMs: number; firstRunMs: number }> {
  const [h, w] = m.card.input.size;
  const c = m.card.input.channels;
  const backend = currentBackend();
  let t = performance.now();
  if (backend === 'webgl' || backend === 'webgpu') {
    const flag = backend === 'webgl' ? 'ENGINE_COMPILE_ONLY' : 'WEBGPU_ENGINE_COMPILE_ONLY';
    const x = tf.zeros([1, h, w, c]);
    tf.env().set(flag, true);
    try {
      tf.dispose(m.model.predict(x) as tf.Tensor | tf.Tensor[]);
    } finally {
      tf.env().set(flag, false);
      x.dispose();
    }
    const b = tf.backend() as unknown as { checkCompileCompletionAsync?: () => Promise<unknown>; getUniformLocations?: () => void };
    await b.checkCompileCompletionAsync?.();
    b.getUniformLocations?.();
  }
  const compileMs = performance.now() - t;
  t = performance.now();
  await forwardPrepared(m, [new Float32Array(h * w * c)]);
  return { compileMs, firstRunMs: performance.now() - t };
}
