import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chromium, type Browser, type Page } from '@playwright/test';
import { CHROMIUM_ARGS } from '../playwright.config';

/**
 * The built app on a port of the bench's own, and Debian's Chromium with the
 * same flags as the end-to-end tests (WebGPU on SwiftShader).
 */

export const BENCH_PORT = Number(process.env.BENCH_PORT || 4410);
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Builds dist/ when it is missing or older than its sources (the same check as `npm start`). */
export function ensureBuild(): void {
  const r = spawnSync(process.execPath, ['scripts/ensure-build.mjs'], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error('the app did not build');
}

export interface Server {
  url: string;
  stop(): void;
}

export async function startPreview(port = BENCH_PORT): Promise<Server> {
  const child: ChildProcess = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true, // its own process group, so stop() ends npx and vite together
  });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += d));
  const url = `http://127.0.0.1:${port}/`;
  const stop = () => {
    if (child.exitCode === null && child.pid) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
    }
  };
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`vite preview exited (${child.exitCode}): ${stderr.trim()}`);
    try {
      if ((await fetch(url)).ok) return { url, stop };
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  stop();
  throw new Error(`vite preview did not answer on ${url} within 60 s`);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

/**
 * Records, in the page's own clock (ms since navigation start), every change
 * of a result card's data-status: the bench reads latencies from these
 * instead of polling. Plain source text, not a function: tsx's transform would
 * add helpers the page does not have.
 */
export const STATUS_RECORDER = `
(() => {
  window.__statusEvents = [];
  const record = (el) => {
    if (el.getAttribute('data-testid') !== 'result') return;
    window.__statusEvents.push({ file: el.getAttribute('data-file') || '', status: el.getAttribute('data-status') || '', t: performance.now() });
  };
  new MutationObserver((mutations) => {
    for (const m of mutations) {
      if (m.type === 'attributes') record(m.target);
      else
        m.addedNodes.forEach((n) => {
          if (n instanceof Element) {
            record(n);
            n.querySelectorAll('[data-testid="result"]').forEach(record);
          }
        });
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });
})();
`;

export interface StatusEvent {
  file: string;
  status: string;
  t: number;
}

export function statusEvents(page: Page): Promise<StatusEvent[]> {
  return page.evaluate('window.__statusEvents.slice()') as Promise<StatusEvent[]>;
}

/** Waits until every named file has a card with a final status. */
export async function waitForFinal(page: Page, files: string[], timeoutMs: number): Promise<void> {
  await page.waitForFunction(
    (names) =>
      names.every((name) =>
        Array.from(document.querySelectorAll('[data-testid="result"]')).some(
          (el) => el.getAttribute('data-file') === name && el.getAttribute('data-status') !== 'pending',
        ),
      ),
    files,
    { timeout: timeoutMs, polling: 100 },
  );
}

export const TERMINAL = new Set(['done', 'ood', 'error']);
