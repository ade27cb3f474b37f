import { test, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { appReady, finalStatus, openPage, resultCard } from './helpers';
import { sharedFile, XRAYS } from './data';
import { mixedKermany } from '../bench/inputs';
import { makeFuzzCases } from '../src/fuzz/cases';

/**
 * The batch flow under stress, at CI size (tens of files; the 1,000-file and
 * soak runs are in `npm run bench -- --only reliability`): streaming with
 * progress, export mid-batch, Cancel, damaged files dropped together, a WebGPU
 * device lost mid-batch, and damaged storage.
 */

const films = (n: number, skip = 0) => mixedKermany(n, skip).map((path) => ({ name: path.split('/').pop()!, mimeType: 'image/jpeg', buffer: readFileSync(path) }));

async function summary(page: Page): Promise<{ count: number; pending: number; finished: number }> {
  const el = page.getByTestId('results-summary');
  return {
    count: Number(await el.getAttribute('data-count')),
    pending: Number(await el.getAttribute('data-pending')),
    finished: Number(await el.getAttribute('data-finished')),
  };
}

test('a batch streams with progress; an export mid-batch holds every finished result; Cancel stops it and keeps them', async ({ page }) => {
  await page.goto('/?backend=wasm');
  await expect(page.getByTestId('backend')).toHaveText('wasm', { timeout: 120_000 });
  // Big enough that Cancel lands mid-batch on a fast machine too (about 28 ms per film on 2 cores).
  const N = 400;
  const files = films(N, 100);
  await page.getByTestId('file-input').setInputFiles(files);
  const progress = page.getByTestId('batch-progress');
  await expect(progress).toBeVisible();
  await expect(progress).toContainText(new RegExp(`of ${N}`));
  await expect.poll(async () => (await summary(page)).finished, { timeout: 120_000 }).toBeGreaterThanOrEqual(6);
  await expect(progress).toContainText(/per second/);

  const before = (await summary(page)).finished;
  const download = page.waitForEvent('download');
  await page.getByTestId('export-json').click();
  const report = JSON.parse(readFileSync((await (await download).path())!, 'utf8')) as { results: { file: string; status: string }[] };
  expect(report.results).toHaveLength(N);
  expect(report.results.filter((r) => r.status !== 'pending').length).toBeGreaterThanOrEqual(before);

  const clicked = Date.now();
  await page.getByTestId('batch-cancel').click();
  await expect.poll(async () => (await summary(page)).pending, { timeout: 10_000, intervals: [50] }).toBe(0);
  const stoppedMs = Date.now() - clicked;
  console.info(`cancel → every card final in ${stoppedMs} ms`);
  expect(stoppedMs).toBeLessThan(3_000);
  const cards = page.getByTestId('result');
  const statuses = await cards.evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
  const done = statuses.filter((s) => s === 'done' || s === 'ood').length;
  expect(done).toBeGreaterThanOrEqual(before);
  expect(done).toBeLessThan(N);
  await expect(page.locator('[data-testid="result"][data-status="error"]').first()).toContainText(/cancelled/);
  await expect(progress).toHaveCount(0);
  // The worker stopped too: nothing more finishes once the chunk in hand is done.
  const doneCount = () => page.locator('[data-testid="result"][data-status="done"], [data-testid="result"][data-status="ood"]').count();
  await page.waitForTimeout(1_500);
  const settled = await doneCount();
  await page.waitForTimeout(3_000);
  expect(await doneCount()).toBe(settled);
});

test('damaged files dropped in one batch: every one gets a card with a final status, the page answers throughout', async ({ page }) => {
  const cases = makeFuzzCases(40, 7);
  await page.goto('/?backend=wasm');
  await expect(page.getByTestId('backend')).toHaveText('wasm', { timeout: 120_000 });
  await page.getByTestId('file-input').setInputFiles(cases.map((c) => ({ name: c.name, mimeType: 'application/octet-stream', buffer: Buffer.from(c.bytes) })));
  let slowest = 0;
  for (;;) {
    const t0 = Date.now();
    const s = await summary(page);
    slowest = Math.max(slowest, Date.now() - t0);
    if (s.count > 0 && s.pending === 0) break;
    await page.waitForTimeout(200);
  }
  console.info(`slowest page answer during the damaged batch: ${slowest} ms`);
  expect(slowest).toBeLessThan(2_000);
  // A series card names all its slices in its title; every other file has its own card.
  const named = await page.getByTestId('result').evaluateAll((els) => els.flatMap((e) => [e.getAttribute('data-file') ?? '', ...(e.querySelector('.result-title')?.getAttribute('title') ?? '').split('\n')]));
  for (const c of cases) expect(named, c.name).toContain(c.name);
  const statuses = await page.getByTestId('result').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
  expect(statuses.every((s) => s === 'done' || s === 'ood' || s === 'error')).toBe(true);
  for (const text of await page.locator('[data-testid="result"][data-status="error"] .result-error').allInnerTexts()) expect(text.length).toBeGreaterThan(20);
});

test('past 100 results every file keeps exactly one result element; a far one shows its full card and heatmap when scrolled to', async ({ page }) => {
  test.setTimeout(400_000);
  await page.goto('/?backend=wasm');
  await expect(page.getByTestId('backend')).toHaveText('wasm', { timeout: 120_000 });
  const files = films(150, 300);
  await page.getByTestId('file-input').setInputFiles(files);
  const results = page.getByTestId('result');
  // CONTRACT.md: one [data-testid=result] per dropped image, at all times, not only those near the viewport.
  await expect(results).toHaveCount(150);
  await expect.poll(() => page.locator('[data-testid="result"][data-status="pending"]').count(), { timeout: 300_000, intervals: [1_000] }).toBe(0);
  const rows = await results.evaluateAll((els) =>
    els.map((e) => ({
      file: e.getAttribute('data-file'),
      status: e.getAttribute('data-status'),
      label: e.getAttribute('data-label'),
      probability: e.getAttribute('data-probability'),
      unsure: e.getAttribute('data-unsure'),
      full: e.classList.contains('result-card'),
      text: (e.textContent ?? '').trim(),
    })),
  );
  expect(rows).toHaveLength(150);
  expect(rows.map((r) => r.file).sort()).toEqual(files.map((f) => f.name).sort());
  expect(rows.every((r) => r.status === 'done' || r.status === 'ood')).toBe(true);
  for (const r of rows.filter((r) => r.status === 'done')) {
    expect(r.label).toMatch(/^(NORMAL|PNEUMONIA)$/);
    expect(Number(r.probability)).toBeGreaterThan(0);
    expect(Number(r.probability)).toBeLessThanOrEqual(1);
    expect(r.unsure).toMatch(/^(true|false)$/);
    expect(r.text).toContain(r.file!);
    expect(r.text).toContain(r.label!);
  }
  // Far rows are light, near rows full: the list is not simply rendering everything.
  expect(rows.filter((r) => r.full).length).toBeLessThan(60);
  const stub = rows.find((r) => !r.full && r.status === 'done')!;
  expect(stub.text).toMatch(/\d%/);

  let farIndex = -1;
  rows.forEach((r, i) => {
    if (i >= 120 && r.status === 'done') farIndex = i;
  });
  expect(farIndex).toBeGreaterThanOrEqual(120);
  const far = page.locator(`[data-testid="result"][data-file="${rows[farIndex].file}"]`);
  await expect(far).not.toHaveClass(/result-card/);
  await far.scrollIntoViewIfNeeded();
  await expect(far).toHaveClass(/result-card/, { timeout: 10_000 });
  await expect(far).toHaveCount(1);
  await expect(far.locator('img, canvas').first()).toBeVisible();
  await expect(far.locator('[role="meter"]')).toBeVisible();
  await far.getByTestId('heatmap-toggle').click();
  await expect(far.getByTestId('heatmap')).toBeVisible({ timeout: 120_000 });
  await expect(results).toHaveCount(150);
  // Scrolled away, the open heatmap stays (its card is kept in full); the top rows are light again.
  await page.evaluate(() => window.scrollTo(0, 0));
  await expect(far.getByTestId('heatmap')).toHaveCount(1);
  await expect(results).toHaveCount(150);
});

test('WebGPU device lost mid-batch: the backend is recreated, the file in flight retried, no result lost, the user told', async ({ page }) => {
  test.setTimeout(480_000);
  await page.goto('/?backend=webgpu,wasm');
  await expect(page.getByTestId('backend')).toHaveText('webgpu', { timeout: 120_000 });
  const files = films(4, 300);
  await page.getByTestId('file-input').setInputFiles(files);
  await expect.poll(async () => (await summary(page)).finished, { timeout: 240_000 }).toBeGreaterThanOrEqual(1);
  const worker = page.workers().find((w) => /ml\.worker|radlens-ml/.test(w.url())) ?? page.workers()[0];
  await worker.evaluate('self._tfengine.backend.device.destroy()');
  await expect.poll(async () => (await summary(page)).pending, { timeout: 360_000 }).toBe(0);
  for (const f of files) expect(await finalStatus(resultCard(page, f.name))).toMatch(/^(done|ood)$/);
  await expect(page.getByTestId('backend-notice')).toContainText(/backend failed during the batch/);
  await page.screenshot({ path: 'test-results/reliability-device-lost.png' });
  await expect(page.getByTestId('backend')).toHaveText(/^(webgpu|webgl|wasm|cpu)$/);
});

test('a damaged IndexedDB entry is named on the Models page; the bundled model still classifies', async ({ page }) => {
  await page.goto('/?backend=wasm');
  await appReady(page);
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('radlens');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('models', 'readwrite');
          tx.objectStore('models').put({ key: 'broken@1', files: { 'card.json': new Uint8Array([123, 34, 105]) }, createdAt: '', bytes: 3 }, 'broken@1');
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
  await page.reload();
  await appReady(page);
  await openPage(page, 'models');
  const alert = page.getByTestId('damaged-models');
  await expect(alert).toContainText(/broken@1 is damaged .*Delete it on the Models page/);
  await openPage(page, 'classify');
  const film = sharedFile(...XRAYS.normal, 'IM-0117-0001.jpeg');
  await page.getByTestId('file-input').setInputFiles([film]);
  expect(await finalStatus(resultCard(page, film.name))).toMatch(/^(done|ood)$/);
  await openPage(page, 'models');
  await alert.getByRole('button', { name: /Delete broken@1/ }).click();
  await expect(alert).toHaveCount(0);
});
