import type { Browser, Page } from '@playwright/test';
import { round, type Measurement } from './measurement';

/**
 * Head training on the Training page, as a user would run it: pick the
 * folder, wait for the dataset review, start, wait for the contract's
 * train-status to be done. Time from Start to done covers reading the images,
 * frozen-trunk feature extraction, the head's epochs, calibration and the
 * bundle.
 */

const enabled = () => !(document.querySelector('[data-testid="train-start"]') as HTMLButtonElement | null)?.disabled;
const finished = () => ['done', 'error'].includes(document.querySelector('[data-testid="train-status"]')?.getAttribute('data-state') ?? '');

async function pageText(page: Page, selector: string): Promise<string> {
  return ((await page.locator(selector).first().textContent({ timeout: 2_000 }).catch(() => '')) ?? '').replace(/\s+/g, ' ').trim();
}

export async function chromiumTrainingBench(
  browser: Browser,
  baseUrl: string,
  folder: string,
  images: number,
  /** Forces the training worker's backend (?backend=…); without it the page picks, as for a user. */
  backend?: string,
  timeoutMs = 240_000,
  /** Training-page options; without them the page's defaults (texture trunk, augmented views). */
  setup: { base?: string; views?: number } = {},
): Promise<Measurement[]> {
  const context = await browser.newContext();
  const config = `base ${setup.base ?? 'default'}, ${setup.views ?? 'default'} views`;
  const name = `head training, ${images} images, ${config} (Start → done, features included)`;
  let label = backend ?? 'auto';
  try {
    const page = await context.newPage();
    await page.goto(`${baseUrl}${backend ? `?backend=${backend}` : ''}#train`);
    const t0 = Date.now();
    await page.getByTestId('train-input').setInputFiles(folder);
    await page.waitForFunction(enabled, null, { timeout: timeoutMs, polling: 200 });
    const scanned = Date.now();
    const used = /Computing on: (\w+)/.exec(await pageText(page, '.training-page'))?.[1] ?? 'unknown';
    label = backend ? used : `${used} (page's choice)`;
    const base = { section: 'training' as const, backend: label };
    const scan: Measurement = { ...base, name: `dataset scan of ${images} images (pick folder → Start enabled)`, value: round((scanned - t0) / 1000), unit: 's', n: images };
    if (setup.base) await page.getByTestId('train-base').selectOption(setup.base);
    if (setup.views !== undefined) await page.getByTestId('train-views').selectOption(String(setup.views));
    await page.getByTestId('train-start').click({ timeout: timeoutMs });
    const clicked = Date.now();
    const status = page.getByTestId('train-status');
    const phases = new Map<string, number>();
    let phase = '', since = clicked;
    // Time per phase as the page shows it (reading, views, epochs, calibration), so a slow run says where it went.
    while (!(await page.evaluate(finished))) {
      if (Date.now() - clicked > timeoutMs)
        return [scan, { ...base, name, value: null, unit: 's', note: `not done after ${timeoutMs / 1000} s; last phase: ${phase || 'unknown'}` }];
      const text = await page.evaluate(() => document.querySelector('[data-testid="train-phase"]')?.textContent ?? '');
      const shown = (text.split(/[—(\d]/)[0] ?? '').trim();
      if (shown && shown !== phase) {
        if (phase) phases.set(phase, (phases.get(phase) ?? 0) + (Date.now() - since) / 1000);
        phase = shown;
        since = Date.now();
      }
      await page.waitForTimeout(200);
    }
    if (phase) phases.set(phase, (phases.get(phase) ?? 0) + (Date.now() - since) / 1000);
    const seconds = (Date.now() - clicked) / 1000;
    const split = [...phases].map(([p, t]) => `${p} ${t.toFixed(1)} s`).join(', ');
    if ((await status.getAttribute('data-state')) !== 'done')
      return [scan, { ...base, name, value: null, unit: 's', note: `failed: ${(await status.innerText()).slice(0, 200)}` }];
    const auc = Number(await status.getAttribute('data-val-auc'));
    return [
      scan,
      { ...base, name, value: round(seconds), unit: 's', n: images, note: `${seconds < 60 ? 'target < 60 s: met' : 'target < 60 s: MISSED'}; ${split}; ${(await pageText(page, '.training-page')).match(/(\d+) augmented views per training image/)?.[0] ?? ''}` },
      { ...base, name: `validation AUC of the trained head (${config})`, value: round(auc, 4), unit: 'auc' },
    ];
  } catch (e) {
    return [{ section: 'training', backend: label, name, value: null, unit: 's', note: `failed: ${(e as Error).message.replace(/\s+/g, ' ').slice(0, 300)}` }];
  } finally {
    await context.close();
  }
}
