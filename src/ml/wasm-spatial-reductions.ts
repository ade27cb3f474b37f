import type * as TF from '@tensorflow/tfjs';

/**
 * Spatial mean and max of NHWC tensors on the WASM backend, through its own
 * (XNNPACK) AvgPool and MaxPool kernels with one window the size of the image.
 *
 * Why: tfjs-backend-wasm reduces only over the innermost axis, so Mean and Max
 * over [height, width] first transpose the whole activation. For the trunks'
 * statistics (mean, max and mean square of every channel at five stages) that
 * transpose cost 7–9× the pooling it replaces and about a third of a trunk
 * pass (Node wasm, batch 16 at 224 px: Mean 66 ms vs AvgPool 7 ms on the first
 * stage). Same arithmetic, float32 sums in another order; every other reduction,
 * dtype and backend keeps its own kernel. Only runtime.ts installs it.
 */

type Kernel = NonNullable<ReturnType<typeof TF.getKernel>>;
type Info = TF.TensorInfo;
type Attrs = Record<string, unknown>;
interface Args { inputs: Record<string, Info>; backend: { disposeData(id: object): unknown }; attrs?: Attrs }
const call = (k: Kernel, args: Args) => k.kernelFunc(args as never) as Info;

/** The reduced axes, when they are exactly height and width of a 4-D tensor. */
export function isSpatialPair(axis: number | number[] | undefined, rank: number): boolean {
  if (rank !== 4 || axis === undefined) return false;
  const axes = (Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + rank : a)).sort((a, b) => a - b);
  return axes.length === 2 && axes[0] === 1 && axes[1] === 2;
}

export function installWasmSpatialReductions(tf: typeof TF): void {
  const backend = 'wasm';
  const original = { Mean: tf.getKernel('Mean', backend), Max: tf.getKernel('Max', backend) };
  const pools = { Mean: tf.getKernel('AvgPool', backend), Max: tf.getKernel('MaxPool', backend) };
  const reshape = tf.getKernel('Reshape', backend);
  if (!original.Mean || !original.Max || !pools.Mean || !pools.Max || !reshape) return;
  if ((original.Mean as { spatial?: boolean }).spatial) return; // installed already

  for (const name of ['Mean', 'Max'] as const) {
    const fallback = original[name]!;
    const pool = pools[name]!;
    const axisOf = (attrs: Attrs = {}) => (name === 'Mean' ? attrs.axis : attrs.reductionIndices) as number | number[] | undefined;
    const kernelFunc = (args: Args): Info => {
      const x = args.inputs.x;
      if (x.dtype !== 'float32' || !isSpatialPair(axisOf(args.attrs), x.shape.length)) return call(fallback, args);
      const [n, h, w, c] = x.shape;
      const pooled = call(pool, { inputs: { x }, backend: args.backend, attrs: { filterSize: [h, w], strides: [h, w], pad: 'valid' } });
      const out = call(reshape, { inputs: { x: pooled }, backend: args.backend, attrs: { shape: args.attrs?.keepDims ? [n, 1, 1, c] : [n, c] } });
      args.backend.disposeData(pooled.dataId);
      return out;
    };
    tf.unregisterKernel(name, backend);
    tf.registerKernel({ ...fallback, kernelFunc, spatial: true } as unknown as Kernel);
  }
}
