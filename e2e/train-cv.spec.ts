import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { sharedDataDir, DATA_ENV } from '../src/config';
import { appReady, pickTrainFolder } from './helpers';

/**
 * Head training on a real CT folder with the default base: the result shows
 * the patient-fold spread with its CI, and the "too small to trust" notice
 * exactly when that CI is wider than the stated limit. 30 slices per class of
 * COVID-CT's official val folder (copied to a temporary folder, never into the
 * repository) keep the spec short on a shared 2-core machine.
 */
function ctFolder(perClass: number): string {
  const src = join(sharedDataDir(), 'ct', 'covid-ct', 'val');
  if (!existsSync(src)) throw new Error(`Shared test data is missing: ${src} (set ${DATA_ENV})`);
  const dir = mkdtempSync(join(tmpdir(), 'radlens-e2e-ct-'));
  for (const label of ['COVID', 'NonCOVID']) {
    mkdirSync(join(dir, label));
    for (const name of readdirSync(join(src, label)).sort().slice(0, perClass)) copyFileSync(join(src, label, name), join(dir, label, name));
  }
  return dir;
}

test('CT head training shows the cross-validation spread and its CI', async ({ page }) => {
  const folder = ctFolder(30);
  test.setTimeout(660_000);
  try {
    await page.goto('/#train');
    await appReady(page);
    await pickTrainFolder(page, folder);
    await page.getByTestId('train-mode').selectOption('head');
    await page.getByTestId('train-start').click();
    const status = page.getByTestId('train-status');
    // 60 slices with features and views: well under a minute alone, minutes on a shared, busy 2-core machine.
    await expect(status).toHaveAttribute('data-state', /^(done|error)$/, { timeout: 540_000 });
    await expect(status, await status.innerText()).toHaveAttribute('data-state', 'done');
    // The shipped head is refitted on all 60 slices; the numbers shown are the measured head's.
    await expect(page.getByTestId('train-final-fit')).toContainText('refitted on all 60 labelled images');
    const cv = page.getByTestId('train-cv');
    await expect(cv).toBeVisible();
    // 5 folds, or fewer when a class of this small folder has fewer than 5 patients in the training split.
    const k = Number((await cv.locator('h2').innerText()).match(/(\d+) patient-disjoint folds/)![1]);
    expect(k).toBeGreaterThanOrEqual(2);
    expect(k).toBeLessThanOrEqual(5);
    const folds = (await page.getByTestId('train-cv-folds').innerText()).split('·');
    expect(folds).toHaveLength(k);
    const [lo, hi] = (await page.getByTestId('train-cv-mean').innerText()).match(/CI ([\d.]+)–([\d.]+)/)!.slice(1).map(Number);
    expect(lo).toBeLessThanOrEqual(hi);
    const notice = page.getByTestId('train-cv-too-small');
    if (hi - lo > 0.1) await expect(notice).toContainText('The validation set is too small to trust');
    else await expect(notice).toHaveCount(0);
    await cv.scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'test-results/train-cv.png', fullPage: true });
    await cv.screenshot({ path: 'test-results/train-cv-panel.png' });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
