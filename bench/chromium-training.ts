import type { Browser } from '@playwright/test';
import { round, type Measurement } from './measurement';

/**
 * Head training on the Training page, as a user would run it: pick the
 * folder, wait for the dataset review, start, wait for the contract's
 * train-status to be done. Time from Start to done covers reading the images,
 * frozen-trunk feature extraction, the head's epochs, calibration and the
 * bundle.
 */
export async function chromiumTrainingBench(
  browser: Browser,
  baseUrl: string,
  folder: string,
  images: number,
  /** Forces the training worker's backend (?backend=…); without it the page picks, as for a user. */
  backend?: string,
  timeoutMs = 240_000,
): Promise<Measurement[]> {
  const base = { section: 'training' as const, backend: backend ?? 'auto' };
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${baseUrl}${backend ? `?backend=${backend}` : ''}#train`);
    const t0 = Date.now();
    await page.getByTestId('train-input').setInputFiles(folder);
    const start = page.getByTestId('train-start');
    await start.waitFor({ state: 'visible' });
    await page.waitForFunction(() => !(document.querySelector('[data-testid="train-start"]') as HTMLButtonElement | null)?.disabled, null, { timeout: timeoutMs, polling: 200 });
    const scanned = Date.now();
    await start.click();
    const clicked = Date.now();
    const status = page.getByTestId('train-status');
    await page.waitForFunction(
      () => ['done', 'error'].includes(document.querySelector('[data-testid="train-status"]')?.getAttribute('data-state') ?? ''),
      null,
      { timeout: timeoutMs, polling: 200 },
    );
    const finished = Date.now();
    const state = await status.getAttribute('data-state');
    const text = (await page.locator('.training-page').innerText()).replace(/\s+/g, ' ');
    const used = /Computing on: (\w+)/.exec(text)?.[1] ?? 'unknown';
    const b = { ...base, backend: backend ? used : `${used} (auto)` };
    if (state !== 'done')
      return [{ ...b, name: `head training, ${images} images (Start → done)`, value: null, unit: 's', note: `ended ${state}: ${(await status.innerText()).slice(0, 200)}` }];
    const auc = Number(await status.getAttribute('data-val-auc'));
    return [
      { ...b, name: `dataset scan of ${images} images (pick folder → Start enabled)`, value: round((scanned - t0) / 1000), unit: 's', n: images },
      { ...b, name: `head training, ${images} images (Start → done, features included)`, value: round((finished - clicked) / 1000), unit: 's', n: images, note: 'target < 60 s' },
      { ...b, name: 'validation AUC of the trained head', value: round(auc, 4), unit: 'auc' },
    ];
  } catch (e) {
    return [{ ...base, name: `head training, ${images} images (Start → done)`, value: null, unit: 's', note: `failed: ${(e as Error).message.split('\n')[0]}` }];
  } finally {
    await context.close();
  }
}
