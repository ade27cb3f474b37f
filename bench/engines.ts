import { createServer, type Server as HttpServer } from 'node:http';
import { createReadStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { build } from 'vite';
import { PROJECT_ROOT } from '../src/config';
import { ISOLATION_HEADERS } from '../scripts/isolation-headers';
import { tfjsWasmThreads } from '../scripts/tfjs-wasm-threads';
import { convertLayersModel, type LayersModelJson } from './onnx/tfjs-to-onnx';
import { referenceInputs, tfjsProbabilities } from './onnx/reference';
import { percentile, round, type Measurement } from './measurement';

/**
 * `--only engines`: our tfjs engines against ONNX Runtime Web in one headless
 * Chromium run, same weights (converted by bench/onnx), same preprocessed real
 * films, interleaved round by round so machine load hits all engines alike.
 * One row per engine goes to results.json `rows` (CONTRACT.md "The benchmark").
 */

export const ENGINES = ['tfjs-webgpu', 'tfjs-webgl', 'tfjs-wasm', 'tfjs-cpu', 'onnxruntime-web-wasm', 'onnxruntime-web-webgpu'] as const;
type EngineName = (typeof ENGINES)[number];

/** Pages the engines run in: the isolated default, plus WASM variants that show what threads and isolation are worth. */
interface Variant {
  id: string;
  path: string;
  engines: EngineName[];
  /** Row name suffix. */
  suffix: string;
  note: string;
}
const VARIANTS: Variant[] = [
  { id: 'isolated', path: '', engines: [...ENGINES], suffix: '', note: '' },
  { id: 'one-thread', path: '?threads=1', engines: ['tfjs-wasm', 'onnxruntime-web-wasm'], suffix: '-1-thread', note: 'cross-origin isolated, 1 WASM thread (what tfjs 4.22 gives on 2 cores without our patch)' },
  { id: 'not-isolated', path: 'plain/', engines: ['tfjs-wasm', 'onnxruntime-web-wasm'], suffix: '-not-isolated', note: 'served without COOP/COEP: no SharedArrayBuffer, single-threaded SIMD builds' },
];

export interface EngineRow {
  engine: string;
  p50Ms: number | null;
  p95Ms: number | null;
  /** Fastest single run: on a shared, loaded machine the least disturbed by other processes. */
  minMs?: number | null;
  throughputPerS: number | null;
  bestBatch: number | null;
  coldStartMs: number | null;
  peakMemoryMB: number | null;
  threads: number | null;
  crossOriginIsolated: boolean;
  /** Largest |probability − tfjs in Node| over the films it ran (same weights, same inputs). */
  maxAbsDiff: number | null;
  n: number;
  coldBreakdownMs?: Record<string, number>;
  note?: string;
}

interface Options {
  films: number;
  rounds: number;
  perRoundRuns: number;
  perRoundBudgetMs: number;
  batches: number[];
  /** Setup (cold start) budget per engine: SwiftShader WebGPU compiles for a long time. */
  setupTimeoutMs: number;
  /** Untimed runs before each timed block (page `time`): the previous engine's spinning thread pool must go quiet first. */
  warmupMs: number;
  /** Kernel profiles per tfjs-wasm variant (median per kernel). */
  profiles: number;
}
const DEFAULTS: Options = { films: 16, rounds: 5, perRoundRuns: 10, perRoundBudgetMs: 3_000, batches: [1, 4, 8, 16], setupTimeoutMs: 150_000, warmupMs: 250, profiles: 9 };

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.bin': 'application/octet-stream',
  '.onnx': 'application/octet-stream',
};

/** Static files with COOP/COEP, except under /plain/ (the same files, as a server that cannot send headers). */
function serve(roots: { prefix: string; dir: string }[], port: number): Promise<{ url: string; close(): void }> {
  const server: HttpServer = createServer((req, res) => {
    let path = decodeURIComponent((req.url ?? '/').split('?')[0]);
    const plain = path.startsWith('/plain/');
    if (plain) path = path.slice('/plain'.length);
    if (path.endsWith('/')) path += 'index.html';
    const root = roots.find((r) => path.startsWith(r.prefix));
    const file = root ? normalize(join(root.dir, path.slice(root.prefix.length))) : '';
    if (!root || !file.startsWith(root.dir) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store', ...(plain ? {} : ISOLATION_HEADERS) });
    createReadStream(file).pipe(res);
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => ok({ url: `http://127.0.0.1:${port}/`, close: () => server.close() }));
  });
}

async function buildPage(outDir: string): Promise<void> {
  await build({
    configFile: false,
    root: join(PROJECT_ROOT, 'bench', 'engines-page'),
    base: './',
    logLevel: 'warn',
    plugins: [tfjsWasmThreads()],
    worker: { format: 'es', plugins: () => [tfjsWasmThreads()] },
    build: { outDir, emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 8192, sourcemap: false },
  });
}

type BenchWindow = {
  bench: {
    setup(e: string): Promise<{ threads: number | null; cold: Record<string, number>; crossOriginIsolated: boolean }>;
    time(e: string, n: number, reps: number, budget: number, warmupMs?: number): Promise<number[]>;
    profile(e: string): Promise<{ name: string; ms: number }[]>;
    outputs(e: string): Promise<number[]>;
  };
};

async function openPage(browser: Browser, url: string): Promise<{ page: Page; close(): Promise<void> }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => (window as unknown as { bench?: { ready?: boolean } }).bench?.ready === true, null, { timeout: 60_000 });
  return { page, close: () => context.close() };
}

/** JS heap plus ArrayBuffer/WASM backing stores of the page's main isolate (CDP); GPU memory is not in it. */
async function heapMB(page: Page): Promise<number | null> {
  try {
    const cdp = await page.context().newCDPSession(page);
    const h = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; backingStorageSize?: number; embedderHeapUsedSize?: number };
    await cdp.detach();
    return (h.usedSize + (h.backingStorageSize ?? 0) + (h.embedderHeapUsedSize ?? 0)) / 2 ** 20;
  } catch {
    return null;
  }
}

const log = (msg: string) => process.stderr.write(`[bench] engines: ${msg}\n`);

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<T>((_, fail) => (timer = setTimeout(() => fail(new Error(`${what} took over ${ms / 1000} s`)), ms)));
  // Cleared once settled, so no 150 s timer outlives its call.
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}

export async function enginesBench(
  browser: Browser,
  modelDir: string,
  scratch: string,
  port: number,
  options: Partial<Options> = {},
): Promise<{ rows: EngineRow[]; measurements: Measurement[] }> {
  const opts = { ...DEFAULTS, ...options };
  const dir = resolve(scratch, 'engines');
  mkdirSync(dir, { recursive: true });
  const card = JSON.parse(readFileSync(join(modelDir, 'card.json'), 'utf8'));
  const json = JSON.parse(readFileSync(join(modelDir, 'model.json'), 'utf8')) as LayersModelJson;
  const weights = json.weightsManifest.flatMap((g) => g.paths).map((p) => readFileSync(join(modelDir, p)));
  const weightData = new Uint8Array(Buffer.concat(weights)).buffer;
  const probabilitiesOut = card.output === 'probabilities';
  const converted = convertLayersModel(json, weightData, probabilitiesOut ? { outputIsProbabilities: true } : { temperature: card.temperature });
  log(`model.onnx: ${converted.onnx.length} bytes (${converted.opTypes.join(', ')})`);

  log('building the engines page…');
  const pageDir = join(dir, 'page');
  await buildPage(pageDir);
  // The page's data files, written after the build (it empties its folder).
  writeFileSync(join(pageDir, 'model.onnx'), converted.onnx);
  const { batch, n, shape } = await referenceInputs(card, opts.films);
  writeFileSync(join(pageDir, 'inputs.bin'), new Uint8Array(batch.buffer));
  writeFileSync(join(pageDir, 'inputs.json'), JSON.stringify({ n, shape, temperature: probabilitiesOut ? 1 : card.temperature }));
  const reference = await tfjsProbabilities(modelDir, batch, n);

  const server = await serve(
    [
      { prefix: '/model/', dir: modelDir },
      { prefix: '/ort/', dir: join(PROJECT_ROOT, 'node_modules', 'onnxruntime-web', 'dist') },
      { prefix: '/', dir: pageDir },
    ].map((r) => ({ ...r, dir: resolve(r.dir) })),
    port,
  );
  const measurements: Measurement[] = [];
  const rows = new Map<string, EngineRow>();
  const kernels = new Map<string, Map<string, number>>();
  const rowName = (v: Variant, e: EngineName) => `${e}${v.suffix}`;
  try {
    // Cold start: a fresh browser context per engine (default page), nothing cached.
    for (const engine of ENGINES) {
      const v = VARIANTS[0];
      log(`cold start ${engine}…`);
      const { page, close } = await openPage(browser, server.url);
      const row: EngineRow = { engine, p50Ms: null, p95Ms: null, throughputPerS: null, bestBatch: null, coldStartMs: null, peakMemoryMB: null, threads: null, crossOriginIsolated: false, maxAbsDiff: null, n: 0 };
      rows.set(rowName(v, engine), row);
      try {
        const r = await withTimeout(page.evaluate((e) => (window as unknown as BenchWindow).bench.setup(e), engine), opts.setupTimeoutMs, `${engine} set-up`);
        row.coldStartMs = round(r.cold.sinceNavigationMs);
        row.coldBreakdownMs = Object.fromEntries(Object.entries(r.cold).map(([k, x]) => [k, round(x)]));
        row.threads = r.threads;
        row.crossOriginIsolated = r.crossOriginIsolated;
        const before = await heapMB(page);
        await withTimeout(page.evaluate((e) => (window as unknown as BenchWindow).bench.time(e, 8, 1, 0), engine), opts.setupTimeoutMs, `${engine} batch of 8`);
        const after = await heapMB(page);
        row.peakMemoryMB = before === null || after === null ? null : round(Math.max(before, after));
      } catch (e) {
        row.note = `cold start failed: ${(e as Error).message.split('\n')[0]}`;
      } finally {
        await close();
      }
    }

    // Steady state: one long-lived page per variant, engines interleaved round by round.
    const pages: { v: Variant; page: Page; close(): Promise<void>; ready: EngineName[] }[] = [];
    for (const v of VARIANTS) {
      const p = await openPage(browser, server.url + v.path);
      const ready: EngineName[] = [];
      for (const engine of v.engines) {
        const name = rowName(v, engine);
        if (rows.get(name)?.note?.startsWith('cold start failed')) continue;
        try {
          log(`set-up ${name}…`);
          const r = await withTimeout(p.page.evaluate((e) => (window as unknown as BenchWindow).bench.setup(e), engine), opts.setupTimeoutMs, `${name} set-up`);
          if (!rows.has(name))
            rows.set(name, { engine: name, p50Ms: null, p95Ms: null, throughputPerS: null, bestBatch: null, coldStartMs: round(r.cold.sinceNavigationMs), peakMemoryMB: null, threads: r.threads, crossOriginIsolated: r.crossOriginIsolated, maxAbsDiff: null, n: 0, coldBreakdownMs: Object.fromEntries(Object.entries(r.cold).map(([k, x]) => [k, round(x)])), note: v.note });
          ready.push(engine);
        } catch (e) {
          rows.set(name, { ...(rows.get(name) ?? ({ engine: name, n: 0 } as EngineRow)), note: `set-up failed: ${(e as Error).message.split('\n')[0]}` });
        }
      }
      pages.push({ ...p, v, ready });
    }
    const samples = new Map<string, number[]>();
    for (let round_ = 0; round_ < opts.rounds; round_++) {
      log(`round ${round_ + 1} of ${opts.rounds}…`);
      for (const p of pages)
        for (const engine of p.ready) {
          const ms = await withTimeout(
            p.page.evaluate(([e, reps, budget, warmup]) => (window as unknown as BenchWindow).bench.time(e as string, 1, reps as number, budget as number, warmup as number), [engine, opts.perRoundRuns, opts.perRoundBudgetMs, opts.warmupMs] as const),
            opts.setupTimeoutMs,
            `${rowName(p.v, engine)} round ${round_ + 1}`,
          );
          samples.set(rowName(p.v, engine), [...(samples.get(rowName(p.v, engine)) ?? []), ...ms]);
        }
    }
    for (const [name, ms] of samples) {
      const row = rows.get(name)!;
      row.p50Ms = round(percentile(ms, 50), 2);
      row.p95Ms = round(percentile(ms, 95), 2);
      row.minMs = round(Math.min(...ms), 2);
      row.n = ms.length;
    }
    log('throughput per batch size…');
    // Throughput per batch size (same interleaving); slow engines skip the large batches.
    for (const batchSize of opts.batches)
      for (const p of pages)
        for (const engine of p.ready) {
          const row = rows.get(rowName(p.v, engine))!;
          if (batchSize > 4 && (row.p50Ms ?? 0) > 500) continue;
          const ms = await withTimeout(
            p.page.evaluate(([e, b, budget, warmup]) => (window as unknown as BenchWindow).bench.time(e as string, b as number, 3, budget as number, warmup as number), [engine, batchSize, opts.perRoundBudgetMs, opts.warmupMs] as const),
            opts.setupTimeoutMs,
            `${rowName(p.v, engine)} batch ${batchSize}`,
          );
          const perS = (batchSize * 1000) / percentile(ms, 50);
          if (row.throughputPerS === null || perS > row.throughputPerS) {
            row.throughputPerS = round(perS, 1);
            row.bestBatch = batchSize;
          }
        }
    log('agreement with tfjs in Node…');
    // Agreement with tfjs in Node, film by film (batch 1).
    for (const p of pages)
      for (const engine of p.ready) {
        const row = rows.get(rowName(p.v, engine))!;
        if ((row.p50Ms ?? 0) > 500) {
          row.note = [row.note, 'agreement not checked (too slow for 16 more films)'].filter(Boolean).join('; ');
          continue;
        }
        const got = await p.page.evaluate((e) => (window as unknown as BenchWindow).bench.outputs(e), engine);
        row.maxAbsDiff = got.length === reference.length ? Math.max(...got.map((x, i) => Math.abs(x - reference[i]))) : null;
      }
    log('kernel profiles of tfjs-wasm…');
    for (const p of pages)
      if (p.ready.includes('tfjs-wasm')) kernels.set(rowName(p.v, 'tfjs-wasm'), await kernelProfile(p.page, opts.profiles));
    for (const p of pages) await p.close();
  } finally {
    server.close();
  }

  const list = [...rows.values()];
  for (const r of list) {
    const base = { section: 'engines' as const, backend: r.engine };
    measurements.push(
      { ...base, name: 'p50 per image (batch 1, preprocessed input → probabilities)', value: r.p50Ms, unit: 'ms', n: r.n, ...(r.note ? { note: r.note } : {}) },
      { ...base, name: 'p95 per image (batch 1)', value: r.p95Ms, unit: 'ms', n: r.n },
      { ...base, name: `throughput at the best batch size (${r.bestBatch ?? '—'})`, value: r.throughputPerS, unit: 'images' },
      { ...base, name: 'cold start (navigation → first real inference)', value: r.coldStartMs, unit: 'ms', note: r.coldBreakdownMs ? coldNote(r.coldBreakdownMs) : undefined },
      { ...base, name: 'peak memory (JS heap + buffers, main isolate)', value: r.peakMemoryMB, unit: 'MB' },
      { ...base, name: 'max |probability − tfjs in Node| over the real films', value: r.maxAbsDiff, unit: 'ratio' },
    );
  }
  for (const [name, byKernel] of kernels) {
    const total = [...byKernel.values()].reduce((a, b) => a + b, 0);
    const parts = [...byKernel].sort((a, b) => b[1] - a[1]).map(([k, ms]) => `${k} ${round(ms, 2)} ms`);
    measurements.push({ section: 'engines', backend: name, name: 'kernel time of one batch-1 pass (tf.profile, median per kernel type)', value: round(total, 2), unit: 'ms', note: parts.join(', ') });
  }
  const best = (prefix: string) => Math.min(...list.filter((r) => r.engine.startsWith(prefix) && !r.engine.includes('-1-thread') && !r.engine.includes('not-isolated') && r.p50Ms !== null).map((r) => r.p50Ms!));
  const tfjsBest = best('tfjs-');
  const ortBest = best('onnxruntime-web-');
  const bestMin = (prefix: string) => Math.min(...list.filter((r) => r.engine.startsWith(prefix) && r.minMs != null).map((r) => r.minMs!));
  const ortRows = list.filter((r) => r.engine.startsWith('onnxruntime-web') && r.maxAbsDiff !== null);
  measurements.push(
    { section: 'engines', name: 'best tfjs p50 / best ONNX Runtime Web p50 (default page)', value: Number.isFinite(tfjsBest / ortBest) ? round(tfjsBest / ortBest, 2) : null, unit: 'ratio', note: `tfjs ${tfjsBest} ms, ORT-web ${ortBest} ms; target ≤ 1: ${tfjsBest <= ortBest ? 'met' : 'NOT met'}` },
    { section: 'engines', name: 'best tfjs min / best ONNX Runtime Web min (any variant; least disturbed by machine load)', value: round(bestMin('tfjs-') / bestMin('onnxruntime-web-'), 2), unit: 'ratio', note: `tfjs ${bestMin('tfjs-')} ms, ORT-web ${bestMin('onnxruntime-web-')} ms` },
    { section: 'engines', name: 'ONNX Runtime Web agrees with tfjs to 1e-4 on real films', value: ortRows.length > 0 && ortRows.every((r) => r.maxAbsDiff! <= 1e-4) ? 1 : 0, unit: 'bool', n: ortRows.length },
  );
  return { rows: list, measurements };
}

/**
 * Median time per kernel type over `runs` profiled passes. Op-level wrappers
 * (`…__op`) hold the kernel of the same name, so only kernels are summed.
 */
async function kernelProfile(page: Page, runs: number): Promise<Map<string, number>> {
  const passes: Map<string, number>[] = [];
  // The same untimed hand-over as the timed blocks: other engines' pools were the last to run.
  await page.evaluate(() => (window as unknown as BenchWindow).bench.time('tfjs-wasm', 1, 1, 0, 250));
  for (let i = 0; i < runs; i++) {
    const list = await page.evaluate(() => (window as unknown as BenchWindow).bench.profile('tfjs-wasm'));
    const byKernel = new Map<string, number>();
    for (const k of list) if (!k.name.endsWith('__op') && Number.isFinite(k.ms)) byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + k.ms);
    passes.push(byKernel);
  }
  return new Map([...passes[0].keys()].map((k) => [k, percentile(passes.map((p) => p.get(k) ?? 0), 50)]));
}

function coldNote(b: Record<string, number>): string {
  const order = ['jsLoadMs', 'backendInitMs', 'modelFetchMs', 'shaderCompileMs', 'warmupMs', 'firstInferenceMs'];
  return order.filter((k) => k in b).map((k) => `${k.replace(/Ms$/, '')} ${b[k]} ms`).join(', ');
}

/** The rows as a Markdown table for results.md. */
export function rowsMarkdown(rows: EngineRow[]): string {
  const lines = [
    '## Engines: tfjs vs ONNX Runtime Web, same weights, same films, one Chromium run, interleaved (`rows` in results.json)',
    '',
    '| engine | p50 | p95 | min | throughput (best batch) | cold start | peak memory | threads | isolated | max diff vs tfjs | n | note |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | --- |',
  ];
  const f = (x: number | null, unit: string) => (x === null ? '—' : `${x} ${unit}`);
  for (const r of rows)
    lines.push(
      `| ${r.engine} | ${f(r.p50Ms, 'ms')} | ${f(r.p95Ms, 'ms')} | ${f(r.minMs ?? null, 'ms')} | ${r.throughputPerS === null ? '—' : `${r.throughputPerS}/s (${r.bestBatch})`} | ${f(r.coldStartMs, 'ms')} | ${f(r.peakMemoryMB, 'MB')} | ${r.threads ?? '—'} | ${r.crossOriginIsolated ? 'yes' : 'no'} | ${r.maxAbsDiff === null ? '—' : r.maxAbsDiff.toExponential(1)} | ${r.n} | ${(r.note ?? '').replace(/\|/g, '\\|')} |`,
    );
  lines.push('');
  return lines.join('\n');
}
