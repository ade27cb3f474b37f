/**
 * Backend choice by measurement, not by availability. A backend that merely
 * initializes can still be the slowest one here: headless Chromium's WebGPU is
 * SwiftShader, 10–100× slower than WASM for our CNN. So at first start each
 * backend that passes the self-test runs the real model a few times, the
 * fastest per image wins, and the choice is cached per device and model so
 * later starts pay nothing. Software GPU adapters are never measured (their
 * first run alone compiles shaders for many seconds) and never win by default;
 * the user can still pick one in Settings.
 */
import { BACKEND_ORDER, initBackend, type BackendAttempt, type BackendName } from './runtime';

export interface BackendTiming {
  backend: BackendName;
  /** Median of the timed runs after a warm-up (the warm-up alone when it ran out of budget). */
  msPerImage?: number;
  /** The first run: shader compile, kernel set-up and weight upload included. */
  firstMs?: number;
  runs?: number;
  /** Why it was not measured (failed self-test, software adapter, …). */
  skipped?: string;
}

export type ChoiceHow = 'measured' | 'cached' | 'forced';

export interface BackendChoice {
  backend: BackendName;
  how: ChoiceHow;
  timings: BackendTiming[];
  /** One line for the badge: "wasm: 18 ms per image, cpu: 480 ms, webgpu: software adapter, not measured". */
  reason: string;
  /** Device + model the choice belongs to (the cache key). */
  key: string;
  measuredAt?: string;
}

/** Where choices are kept between visits (IndexedDB in the page, memory in tests). */
export interface ChoiceStore {
  get(key: string): Promise<BackendChoice | undefined>;
  put(choice: BackendChoice): Promise<void>;
}

/** A model loaded on the active backend, ready to time: `run` is one batch-1 forward pass. */
export interface TimedSession {
  run(): Promise<unknown>;
  dispose(): void;
}

export interface MeasureOptions {
  /** Timed runs after the warm-up. */
  runs: number;
  /** Time for one backend's timed runs; fewer runs when it is spent. */
  budgetMs: number;
  /** Skip the timed runs when the warm-up alone took this long (a backend that cannot win). */
  hopelessMs?: number;
  now?: () => number;
}

export const DEFAULT_MEASURE: MeasureOptions = { runs: 5, budgetMs: 400 };

/**
 * Backends not worth a cold-start measurement once another has run: tfjs's
 * cpu backend is plain JavaScript running the same kernels that wasm runs
 * compiled (XNNPACK, SIMD), so it is never the faster of the two, and its
 * first run of a real CNN alone costs about a second.
 */
const DOMINATED_BY: Partial<Record<BackendName, BackendName>> = { cpu: 'wasm' };

/** A backend is "hopeless" when its first run is this many times slower than the best per-image time so far. */
const HOPELESS_FACTOR = 10;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** A warm-up run, then up to `runs` timed runs within the budget. */
export async function timeSession(session: TimedSession, opts: MeasureOptions = DEFAULT_MEASURE): Promise<Pick<BackendTiming, 'msPerImage' | 'firstMs' | 'runs'>> {
  const now = opts.now ?? (() => performance.now());
  const t0 = now();
  await session.run();
  const firstMs = now() - t0;
  if (opts.hopelessMs !== undefined && firstMs > opts.hopelessMs) return { firstMs, msPerImage: firstMs, runs: 0 };
  const times: number[] = [];
  const start = now();
  while (times.length < opts.runs && (times.length === 0 || now() - start < opts.budgetMs)) {
    const t = now();
    await session.run();
    times.push(now() - t);
  }
  return { firstMs, msPerImage: median(times), runs: times.length };
}

/** The fastest measured backend; ties keep the earlier one in BACKEND_ORDER. */
export function fastest(timings: BackendTiming[]): BackendName | undefined {
  let best: BackendTiming | undefined;
  for (const t of timings) if (t.msPerImage !== undefined && (!best || t.msPerImage < best.msPerImage!)) best = t;
  return best?.backend;
}

export function formatMs(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 10) return `${Math.round(ms)} ms`;
  return `${ms.toFixed(1)} ms`;
}

/** The badge's line: the winner first, then the others as measured or why they were not. */
export function describeChoice(winner: BackendName, timings: BackendTiming[], how: ChoiceHow): string {
  const ordered = [...timings].sort((a, b) => (a.backend === winner ? -1 : b.backend === winner ? 1 : 0));
  const parts = ordered.map((t) => {
    if (t.msPerImage !== undefined) {
      const value = formatMs(t.msPerImage);
      return `${t.backend}: ${t.runs === 0 ? `≥ ${value} (first run)` : value}${t.backend === winner && t.runs ? ' per image' : ''}`;
    }
    return `${t.backend}: ${t.skipped ?? 'not measured'}`;
  });
  const prefix = how === 'forced' ? 'chosen by you; ' : how === 'cached' ? 'measured earlier on this device; ' : 'measured; ';
  return prefix + parts.join(', ');
}

type GpuKind = 'hardware' | 'software' | 'none' | 'cpu';

/** What is a GPU backend running on here: real hardware or a software rasterizer. */
export async function gpuKind(backend: BackendName): Promise<GpuKind> {
  if (backend === 'webgpu') return webgpuAdapterKind();
  if (backend === 'webgl') return webglRendererKind();
  return 'cpu';
}

/**
 * Backend order for long jobs (training): a GPU backend on a software
 * rasterizer (SwiftShader, llvmpipe) is some 30× slower than WASM for our
 * CNNs, so it is passed over. Both GPU backends are checked: a Chromium
 * without WebGPU still has WebGL, on SwiftShader when there is no GPU.
 */
export async function trainingBackendOrder(gpu: (b: BackendName) => Promise<GpuKind> = gpuKind): Promise<{ order: BackendName[]; reason?: 'software-gpu' }> {
  const kinds = await Promise.all(BACKEND_ORDER.map((b) => gpu(b)));
  const order = BACKEND_ORDER.filter((_, i) => kinds[i] !== 'software');
  return order.length < BACKEND_ORDER.length ? { order, reason: 'software-gpu' } : { order };
}

/** Whether WebGPU here runs on real graphics hardware (a fallback adapter or a software renderer is not). */
async function webgpuAdapterKind(): Promise<'hardware' | 'software' | 'none'> {
  const gpu = (globalThis.navigator as { gpu?: { requestAdapter(): Promise<unknown> } } | undefined)?.gpu;
  if (!gpu) return 'none';
  try {
    const adapter = (await gpu.requestAdapter()) as
      | { isFallbackAdapter?: boolean; info?: { isFallbackAdapter?: boolean; vendor?: string; architecture?: string; description?: string; device?: string } }
      | null;
    if (!adapter) return 'none';
    const info = adapter.info ?? {};
    const text = [info.vendor, info.architecture, info.description, info.device].join(' ');
    return adapter.isFallbackAdapter || info.isFallbackAdapter || isSoftwareRenderer(text) ? 'software' : 'hardware';
  } catch {
    return 'none';
  }
}

/** WebGL's renderer string (SwiftShader, llvmpipe = software). Works in a worker through OffscreenCanvas. */
export function webglRenderer(): string | null {
  try {
    const canvas = typeof OffscreenCanvas !== 'undefined' ? new OffscreenCanvas(1, 1) : null;
    const gl = (canvas?.getContext('webgl2') ?? canvas?.getContext('webgl')) as WebGLRenderingContext | null;
    if (!gl) return null;
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return renderer;
  } catch {
    return null;
  }
}

export function isSoftwareRenderer(text: string): boolean {
  return /swiftshader|llvmpipe|lavapipe|softpipe|software|microsoft basic render/i.test(text);
}

async function webglRendererKind(): Promise<'hardware' | 'software' | 'none'> {
  const r = webglRenderer();
  if (r === null) return 'none';
  return isSoftwareRenderer(r) ? 'software' : 'hardware';
}

/** What the choice depends on besides the model: browser, cores, isolation (WASM threads), GPU. */
export async function deviceKey(): Promise<string> {
  const nav = globalThis.navigator as { userAgent?: string; hardwareConcurrency?: number } | undefined;
  const webgpu = (nav as { gpu?: { requestAdapter(): Promise<unknown> } } | undefined)?.gpu;
  let gpu = 'none';
  try {
    const adapter = (await webgpu?.requestAdapter()) as { info?: Record<string, string> } | null | undefined;
    if (adapter) gpu = [adapter.info?.vendor, adapter.info?.architecture, adapter.info?.description].filter(Boolean).join(' ') || 'webgpu';
  } catch {
    /* no adapter */
  }
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated ? 'coi' : 'no-coi';
  return [nav?.userAgent ?? 'node', `${nav?.hardwareConcurrency ?? 0} cores`, isolated, `webgpu ${gpu}`, `webgl ${webglRenderer() ?? 'none'}`].join(' | ');
}

export interface ChooseOptions {
  /** Which model this is for: id@version plus its weights' digest. */
  modelKey: string;
  /** Loads the model on the active backend and returns a batch-1 session of it. */
  open: () => Promise<TimedSession>;
  store?: ChoiceStore;
  /** Backends to consider, fastest-first guess (a backend forced in Settings skips this module). */
  candidates?: BackendName[];
  measure?: Partial<MeasureOptions>;
  device?: () => Promise<string>;
  /** Test seam: how a backend is activated (runtime's initBackend by default). */
  activate?: (b: BackendName) => Promise<void>;
  gpu?: (b: BackendName) => Promise<GpuKind>;
  log?: (line: string) => void;
}

async function activateBackend(b: BackendName): Promise<void> {
  await initBackend([b]);
}

/**
 * Leaves the chosen backend active and returns why it was chosen. A cached
 * choice is reused when it still initializes; otherwise every candidate is
 * measured again.
 */
export async function chooseBackend(opts: ChooseOptions): Promise<{ choice: BackendChoice; attempts: BackendAttempt[] }> {
  const activate = opts.activate ?? activateBackend;
  const gpu = opts.gpu ?? gpuKind;
  const candidates = opts.candidates ?? BACKEND_ORDER;
  const key = `${opts.modelKey} | ${await (opts.device ?? deviceKey)()}`;
  const attempts: BackendAttempt[] = [];

  const cached = await opts.store?.get(key).catch(() => undefined);
  if (cached && candidates.includes(cached.backend)) {
    try {
      await activate(cached.backend);
      return { choice: { ...cached, how: 'cached', reason: describeChoice(cached.backend, cached.timings, 'cached') }, attempts: [{ backend: cached.backend, ok: true }] };
    } catch (e) {
      opts.log?.(`cached backend ${cached.backend} no longer starts: ${(e as Error).message}`);
    }
  }

  const measure = { ...DEFAULT_MEASURE, ...opts.measure };
  const timings: BackendTiming[] = [];
  let best = Infinity;
  for (const backend of candidates) {
    const dominator = DOMINATED_BY[backend];
    if (dominator && timings.some((t) => t.backend === dominator && t.msPerImage !== undefined)) {
      timings.push({ backend, skipped: `not measured (never faster than ${dominator})` });
      continue;
    }
    const kind = await gpu(backend);
    if (kind === 'software') {
      timings.push({ backend, skipped: 'software adapter, not measured' });
      attempts.push({ backend, ok: false, reason: 'software adapter (no GPU): passed over, choose it in Settings to use it anyway' });
      continue;
    }
    try {
      await activate(backend);
    } catch (e) {
      const reason = (e as Error).message || String(e);
      timings.push({ backend, skipped: `does not start (${reason.slice(0, 80)})` });
      attempts.push({ backend, ok: false, reason });
      continue;
    }
    let session: TimedSession | undefined;
    try {
      session = await opts.open();
      const t = await timeSession(session, { ...measure, hopelessMs: Number.isFinite(best) ? best * HOPELESS_FACTOR : undefined });
      timings.push({ backend, ...t });
      attempts.push({ backend, ok: true });
      best = Math.min(best, t.msPerImage!);
      opts.log?.(`${backend}: first ${formatMs(t.firstMs!)}, ${formatMs(t.msPerImage!)} per image over ${t.runs} runs`);
    } catch (e) {
      const reason = (e as Error).message || String(e);
      timings.push({ backend, skipped: `failed on the model (${reason.slice(0, 80)})` });
      attempts.push({ backend, ok: false, reason });
    } finally {
      session?.dispose();
    }
  }
  const winner = fastest(timings);
  if (!winner) throw new Error(`no TensorFlow.js backend runs the model here: ${attempts.map((a) => `${a.backend}: ${a.reason}`).join('; ')}`);
  await activate(winner);
  const choice: BackendChoice = {
    backend: winner,
    how: 'measured',
    timings,
    key,
    measuredAt: new Date().toISOString(),
    reason: describeChoice(winner, timings, 'measured'),
  };
  await opts.store?.put(choice).catch(() => undefined);
  return { choice, attempts };
}
