/**
 * The engines bench page (bench only, never shipped): tfjs on each backend and
 * ONNX Runtime Web on wasm and webgpu, in one page, on the same preprocessed
 * films (inputs.bin, made in Node by src/imaging) and the same weights
 * (model.onnx converted from the tfjs model). Playwright drives it through
 * window.bench; every engine is loaded on demand so its JS load is timed.
 * Each run is preprocessed input → calibrated probabilities (softmax of
 * logits / temperature), read back to JS.
 */
import { tfjsWasmUrls } from '../../src/app/worker/tfjs-wasm-urls';

type EngineName = 'tfjs-webgpu' | 'tfjs-webgl' | 'tfjs-wasm' | 'tfjs-cpu' | 'onnxruntime-web-wasm' | 'onnxruntime-web-webgpu';

interface Engine {
  /** One forward pass of `n` inputs starting at film `first` (wrapping), probabilities back in JS. */
  run(first: number, n: number): Promise<Float32Array>;
  threads: number | null;
  cold: Record<string, number>;
  /** tfjs only: one batch-1 forward pass, kernel by kernel. */
  profile?: () => Promise<{ name: string; ms: number }[]>;
}

const params = new URLSearchParams(location.search);
/** ?threads=1: one WASM thread for both engines (what upstream tfjs 4.22 gives on two cores). */
const threadsParam = params.get('threads') ? Number(params.get('threads')) : null;
const engines = new Map<string, Engine>();
let inputs: { data: Float32Array; n: number; shape: number[]; temperature: number } | null = null;

async function loadInputs() {
  if (inputs) return inputs;
  const meta = await (await fetch('inputs.json')).json();
  const data = new Float32Array(await (await fetch('inputs.bin')).arrayBuffer());
  inputs = { data, n: meta.n, shape: meta.shape, temperature: meta.temperature };
  return inputs;
}

function slice(first: number, n: number): Float32Array {
  const { data, n: total, shape } = inputs!;
  const per = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(per * n);
  for (let i = 0; i < n; i++) {
    const k = (first + i) % total;
    out.set(data.subarray(k * per, (k + 1) * per), i * per);
  }
  return out;
}

const ms = (t0: number) => performance.now() - t0;

async function tfjsEngine(backend: 'webgpu' | 'webgl' | 'wasm' | 'cpu'): Promise<Engine> {
  const cold: Record<string, number> = {};
  let t = performance.now();
  const tf = await import('@tensorflow/tfjs');
  if (backend === 'webgpu') await import('@tensorflow/tfjs-backend-webgpu');
  let wasm: typeof import('@tensorflow/tfjs-backend-wasm') | null = null;
  if (backend === 'wasm') {
    wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths(tfjsWasmUrls as never);
    if (threadsParam) wasm.setThreadsCount(threadsParam);
  }
  cold.jsLoadMs = ms(t);
  t = performance.now();
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs ${backend} did not initialize`);
  await tf.ready();
  cold.backendInitMs = ms(t);
  const { shape, temperature } = await loadInputs();
  t = performance.now();
  const model = await tf.loadLayersModel('model/model.json');
  cold.modelFetchMs = ms(t);
  const forward = (x: import('@tensorflow/tfjs').Tensor) => tf.tidy(() => tf.softmax(tf.div(model.predict(x) as import('@tensorflow/tfjs').Tensor, temperature)));
  t = performance.now();
  if (backend === 'webgl' || backend === 'webgpu') {
    // Compile-only pass, then wait for the (parallel) shader compile: no kernel runs yet.
    const flag = backend === 'webgl' ? 'ENGINE_COMPILE_ONLY' : 'WEBGPU_ENGINE_COMPILE_ONLY';
    tf.env().set(flag, true);
    const x = tf.zeros([1, ...shape]);
    const y = forward(x);
    tf.env().set(flag, false);
    const b = tf.backend() as unknown as { checkCompileCompletionAsync?: () => Promise<unknown>; getUniformLocations?: () => void };
    await b.checkCompileCompletionAsync?.();
    b.getUniformLocations?.();
    tf.dispose([x, y]);
  }
  cold.shaderCompileMs = ms(t);
  const run = async (first: number, n: number) => {
    // All tfjs engines share one tf: each runs its model on its own backend (no weight moves between backends).
    if (tf.getBackend() !== backend) await tf.setBackend(backend);
    const x = tf.tensor4d(slice(first, n), [n, ...(shape as [number, number, number])]);
    const y = forward(x);
    try {
      return (await y.data()) as Float32Array;
    } finally {
      tf.dispose([x, y]);
    }
  };
  t = performance.now();
  await run(0, 1); // warm-up: kernel set-up, weight upload
  cold.warmupMs = ms(t);
  const profile = async () => {
    if (tf.getBackend() !== backend) await tf.setBackend(backend);
    const x = tf.tensor4d(slice(0, 1), [1, ...(shape as [number, number, number])]);
    const info = await tf.profile(() => forward(x));
    tf.dispose([x, info.result as import('@tensorflow/tfjs').Tensor]);
    return info.kernels.map((k) => ({ name: k.name, ms: typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : Number.NaN }));
  };
  return { run, profile, threads: wasm ? wasm.getThreadsCount() : backend === 'cpu' ? 1 : null, cold };
}

async function ortEngine(ep: 'wasm' | 'webgpu'): Promise<Engine> {
  const cold: Record<string, number> = {};
  let t = performance.now();
  const ort = await import('onnxruntime-web/all');
  cold.jsLoadMs = ms(t);
  ort.env.wasm.wasmPaths = new URL('ort/', location.href).href;
  // ORT's own default is min(4, ceil(cores / 2)); ask for every core, as tfjs-wasm gets with our patch.
  ort.env.wasm.numThreads = threadsParam ?? (crossOriginIsolated ? navigator.hardwareConcurrency : 1);
  const { shape } = await loadInputs();
  t = performance.now();
  const bytes = new Uint8Array(await (await fetch('model.onnx')).arrayBuffer());
  cold.modelFetchMs = ms(t);
  t = performance.now();
  const session = await ort.InferenceSession.create(bytes, { executionProviders: [ep], graphOptimizationLevel: 'all' });
  cold.backendInitMs = ms(t);
  cold.shaderCompileMs = 0; // ORT compiles WebGPU kernels on first run: it is in the warm-up
  const run = async (first: number, n: number) => {
    const x = new ort.Tensor('float32', slice(first, n), [n, ...shape]);
    const out = await session.run({ input: x });
    const p = out.probabilities;
    const data = (p.location === 'cpu' ? p.data : await p.getData()) as Float32Array;
    x.dispose?.();
    p.dispose?.();
    return data;
  };
  t = performance.now();
  await run(0, 1);
  cold.warmupMs = ms(t);
  return { run, threads: ep === 'wasm' ? ort.env.wasm.numThreads ?? null : null, cold };
}

async function setup(name: EngineName): Promise<{ threads: number | null; cold: Record<string, number>; crossOriginIsolated: boolean }> {
  const t = performance.now();
  const engine = name.startsWith('tfjs-')
    ? await tfjsEngine(name.slice(5) as 'webgpu' | 'webgl' | 'wasm' | 'cpu')
    : await ortEngine(name === 'onnxruntime-web-webgpu' ? 'webgpu' : 'wasm');
  const t1 = performance.now();
  await engine.run(1, 1);
  engine.cold.firstInferenceMs = ms(t1);
  engine.cold.setupMs = ms(t);
  engine.cold.sinceNavigationMs = performance.now();
  engines.set(name, engine);
  return { threads: engine.threads, cold: engine.cold, crossOriginIsolated };
}

/**
 * `reps` timed runs of batch `n`; ms of each. Untimed runs come first, for at
 * least `warmupMs` (and at least one): the engine that ran before this one leaves its
 * thread pool spinning for a while (both ORT's and XNNPACK's pools spin before
 * they sleep), and on two cores those spinners slow the next engine's first
 * runs by 2-4x. Without this the interleaving measured the hand-over, not the engine.
 */
async function time(name: EngineName, n: number, reps: number, budgetMs: number, warmupMs = 0): Promise<number[]> {
  const engine = engines.get(name);
  if (!engine) throw new Error(`${name} is not set up`);
  if (warmupMs > 0) {
    const until = performance.now() + warmupMs;
    for (let r = 0; r === 0 || performance.now() < until; r++) await engine.run(r * n, n);
  }
  const out: number[] = [];
  const start = performance.now();
  for (let r = 0; r < reps && (out.length === 0 || performance.now() - start < budgetMs); r++) {
    const t = performance.now();
    await engine.run(r * n, n);
    out.push(ms(t));
  }
  return out;
}

/** Kernel by kernel time of one batch-1 pass (tfjs engines only). */
async function profile(name: EngineName) {
  const engine = engines.get(name);
  if (!engine?.profile) throw new Error(`${name} has no kernel profile`);
  return engine.profile();
}

/** Probabilities of every film, one at a time (batch 1), for the agreement check. */
async function outputs(name: EngineName): Promise<number[]> {
  const engine = engines.get(name)!;
  const out: number[] = [];
  for (let i = 0; i < inputs!.n; i++) out.push(...(await engine.run(i, 1)));
  return out;
}

Object.assign(window, { bench: { setup, time, outputs, profile, ready: true } });
document.getElementById('status')!.textContent = `ready (crossOriginIsolated: ${crossOriginIsolated})`;
