import type { Browser, CDPSession, Page } from '@playwright/test';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS } from '../playwright.config';
import { CHROMIUM_PATH } from './browser';
import { mixedKermany } from './inputs';
import { round, type Measurement } from './measurement';

/**
 * A clinic's day on the Classify page (WASM, as on a machine without a GPU):
 * 1. a batch of 1,000 films dropped at once: time to the first result, total
 *    time (and per image), the longest main-thread task (PerformanceObserver
 *    'longtask'), the slowest answer of the page to a probe every second, and
 *    the page's JS heap at the end (after a GC);
 * 2. a soak of 2,000 films in four drops in one page session, a heatmap
 *    opened (and closed) every 50 results, and every 250 results the
 *    worker's tf.memory() (numTensors, bytes, GPU bytes where the backend has
 *    them) and the page's JS heap after a GC.
 */

const OBSERVERS = `
(() => {
  window.__longTasks = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch (e) { window.__longTasksUnsupported = String(e); }
  window.__drops = [];
  document.addEventListener('change', (e) => {
    if (e.target && e.target.getAttribute && e.target.getAttribute('data-testid') === 'file-input') window.__drops.push(performance.now());
  }, true);
  window.__firstDone = [];
  new MutationObserver(() => {
    const el = document.querySelector('[data-testid="results-summary"]');
    if (!el) return;
    const finished = Number(el.getAttribute('data-finished'));
    const n = window.__firstDone.length;
    if (n < window.__drops.length && finished > (window.__finishedBefore || 0)) {
      window.__firstDone.push(performance.now());
    }
  }).observe(document, { subtree: true, attributes: true, childList: true, attributeFilter: ['data-finished'] });
})();
`;

interface Summary {
  count: number;
  pending: number;
  finished: number;
}

async function summary(page: Page): Promise<Summary> {
  return (await page.evaluate(`(() => {
    const el = document.querySelector('[data-testid="results-summary"]');
    if (!el) return { count: 0, pending: 0, finished: 0 };
    return { count: Number(el.getAttribute('data-count')), pending: Number(el.getAttribute('data-pending')), finished: Number(el.getAttribute('data-finished')) };
  })()`)) as Summary;
}

async function heapAfterGc(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  return usedSize;
}

async function workerMemory(page: Page): Promise<{ numTensors: number; numBytes: number; numBytesInGPU: number | null }> {
  const worker = page.workers().find((w) => /ml\.worker|radlens-ml|worker/.test(w.url())) ?? page.workers()[0];
  if (!worker) throw new Error('the ML worker is not running');
  return (await worker.evaluate(`(() => {
    const m = self._tfengine.memory();
    return { numTensors: m.numTensors, numBytes: m.numBytes, numBytesInGPU: m.numBytesInGPU ?? null };
  })()`)) as { numTensors: number; numBytes: number; numBytesInGPU: number | null };
}

/** Drops `files` and waits until every card has a final status, calling `tick` about every 250 ms. */
async function dropAndWait(page: Page, files: string[], timeoutMs: number, tick?: (s: Summary) => Promise<void>): Promise<{ dropT: number; firstT: number | null; endT: number; summary: Summary; slowestProbeMs: number }> {
  const before = await summary(page);
  await page.evaluate(`window.__finishedBefore = ${before.finished}`);
  await page.getByTestId('file-input').setInputFiles(files);
  const deadline = Date.now() + timeoutMs;
  let slowestProbeMs = 0;
  let s = before;
  for (;;) {
    const t0 = Date.now();
    s = await summary(page);
    slowestProbeMs = Math.max(slowestProbeMs, Date.now() - t0);
    if (s.count >= before.count + files.length && s.pending === 0) break;
    if (Date.now() > deadline) throw new Error(`only ${s.finished - before.finished} of ${files.length} finished within ${timeoutMs / 1000} s`);
    if (tick) await tick(s);
    await page.waitForTimeout(250);
  }
  const [dropT, firstT, endT] = (await page.evaluate(`[window.__drops[window.__drops.length - 1], window.__firstDone[window.__drops.length - 1] ?? null, performance.now()]`)) as [number, number | null, number];
  return { dropT, firstT, endT, summary: s, slowestProbeMs };
}

async function openPage(browser: Browser, baseUrl: string): Promise<{ page: Page; cdp: CDPSession; close(): Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.addInitScript(OBSERVERS);
  await page.goto(`${baseUrl}?backend=wasm`);
  await page.getByTestId('backend').filter({ hasText: /^wasm$/ }).waitFor({ timeout: 120_000 });
  await page.locator('.drop-model').filter({ hasText: /\(/ }).first().waitFor({ timeout: 120_000 }); // "Model in use: … (id@version)"
  const cdp = await context.newCDPSession(page);
  return { page, cdp, close: () => context.close() };
}

async function longTasks(page: Page, from: number, to: number): Promise<{ count: number; longest: number }> {
  const tasks = (await page.evaluate('window.__longTasks.slice()')) as { start: number; duration: number }[];
  const inside = tasks.filter((t) => t.start >= from && t.start <= to);
  return { count: inside.length, longest: inside.reduce((m, t) => Math.max(m, t.duration), 0) };
}

export async function bigBatchBench(browser: Browser, baseUrl: string, n = 1000): Promise<Measurement[]> {
  const base = { section: 'reliability' as const, backend: 'wasm' };
  const files = mixedKermany(n);
  const { page, cdp, close } = await openPage(browser, baseUrl);
  try {
    const r = await dropAndWait(page, files, 30 * 60_000);
    const tasks = await longTasks(page, r.dropT, r.endT);
    const heap = await heapAfterGc(cdp);
    const mem = await workerMemory(page);
    const total = r.endT - r.dropT;
    return [
      { ...base, name: `batch of ${n} dropped at once: drop → first result`, value: r.firstT === null ? null : round(r.firstT - r.dropT), unit: 'ms', note: 'target < 3000 ms' },
      { ...base, name: `batch of ${n} dropped at once: drop → all finished`, value: round(total / 1000), unit: 's', n },
      { ...base, name: `batch of ${n} dropped at once: per image`, value: round(total / n), unit: 'ms', n, note: 'target ≤ the 8-image batch rate (chromium section, ~80 ms on wasm)' },
      { ...base, name: `batch of ${n}: longest main-thread task`, value: round(tasks.longest), unit: 'ms', n: tasks.count, note: `n = long tasks (> 50 ms) while the batch ran; target < 200 ms` },
      { ...base, name: `batch of ${n}: slowest answer to a page probe (every ~250 ms)`, value: r.slowestProbeMs, unit: 'ms' },
      { ...base, name: `batch of ${n}: page JS heap at the end (after GC)`, value: round(heap / 2 ** 20), unit: 'MB' },
      { ...base, name: `batch of ${n}: worker numTensors at the end`, value: mem.numTensors, unit: 'tensors' },
      { ...base, name: `batch of ${n}: cards done + refused + errors`, value: r.summary.finished, unit: 'images', note: `${r.summary.count} cards` },
    ];
  } finally {
    await close();
  }
}

export interface SoakPoint {
  images: number;
  numTensors: number;
  tensorMB: number;
  gpuMB: number | null;
  heapMB: number;
}

export async function soakBench(browser: Browser, baseUrl: string, total = 2000, drops = 4, heatmapEvery = 50, sampleEvery = 250): Promise<{ measurements: Measurement[]; curve: SoakPoint[] }> {
  const base = { section: 'reliability' as const, backend: 'wasm' };
  const files = mixedKermany(total, 40);
  const per = Math.ceil(total / drops);
  const { page, cdp, close } = await openPage(browser, baseUrl);
  const curve: SoakPoint[] = [];
  let heatmaps = 0;
  let heatmapFailures = 0;
  let nextHeatmap = heatmapEvery;
  let nextSample = sampleEvery;
  const sample = async (images: number) => {
    const mem = await workerMemory(page);
    curve.push({ images, numTensors: mem.numTensors, tensorMB: round(mem.numBytes / 2 ** 20, 2), gpuMB: mem.numBytesInGPU === null ? null : round(mem.numBytesInGPU / 2 ** 20, 2), heapMB: round((await heapAfterGc(cdp)) / 2 ** 20, 1) });
  };
  const openHeatmap = async () => {
    const toggle = page.locator('[data-testid="result"][data-status="done"] [data-testid="heatmap-toggle"][aria-pressed="false"]').first();
    try {
      await toggle.click({ timeout: 10_000 });
      const card = page.locator('[data-testid="result"]').filter({ has: page.locator('[data-testid="heatmap"]') }).first();
      await card.waitFor({ timeout: 60_000 });
      await card.getByTestId('heatmap-toggle').click({ timeout: 10_000 });
      heatmaps++;
    } catch {
      heatmapFailures++;
    }
  };
  try {
    const started = Date.now();
    for (let d = 0; d < drops; d++) {
      await dropAndWait(page, files.slice(d * per, (d + 1) * per), 30 * 60_000, async (s) => {
        if (s.finished >= nextHeatmap) {
          nextHeatmap += heatmapEvery;
          await openHeatmap();
        }
        if (s.finished >= nextSample) {
          nextSample += sampleEvery;
          await sample(s.finished);
        }
      });
    }
    const end = await summary(page);
    if (curve[curve.length - 1]?.images !== end.finished) await sample(end.finished);
    const first = curve[0];
    const last = curve[curve.length - 1];
    const afterWarmup = curve.slice(1);
    const tensorsFlat = afterWarmup.every((p) => p.numTensors === afterWarmup[0]?.numTensors);
    return {
      curve,
      measurements: [
        { ...base, name: `soak: ${end.finished} images in ${drops} drops, one page session`, value: round((Date.now() - started) / 1000), unit: 's', n: end.finished, note: `${heatmaps} heatmaps opened and closed (every ${heatmapEvery} results)${heatmapFailures ? `, ${heatmapFailures} could not be opened` : ''}` },
        { ...base, name: 'soak: numTensors after warm-up (first sample → last)', value: last.numTensors, unit: 'tensors', note: `${first.numTensors} at ${first.images} images → ${last.numTensors} at ${last.images}; flat after warm-up: ${tensorsFlat ? 'yes' : 'NO'}` },
        { ...base, name: 'soak: tensor bytes, first sample → last', value: last.tensorMB, unit: 'MB', note: `${first.tensorMB} MB → ${last.tensorMB} MB${last.gpuMB === null ? '; GPU bytes: not reported by wasm (no GPU memory)' : `; GPU ${first.gpuMB} → ${last.gpuMB} MB`}` },
        { ...base, name: 'soak: page JS heap growth, first sample → last (after GC)', value: round(last.heapMB - first.heapMB, 1), unit: 'MB', note: `${first.heapMB} MB → ${last.heapMB} MB; target < 50 MB` },
      ],
    };
  } finally {
    await close();
  }
}

/** Its own Chromium: the bench's flags, plus precise heap numbers. */
export function launchForReliability(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, '--enable-precise-memory-info'], headless: true });
}
