import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { sharedDataDir, DATA_ENV } from '../src/config';
import { appReady, pickTrainFolder, trainHead } from './helpers';

/**
 * Head training on a real CT folder with the default base: the result shows
 * the patient-fold spread with its CI, and the "too small to trust" notice
 * exactly when that CI is wider than the stated limit. COVID-CT's official val
 * folder (118 slices) keeps the spec short.
 */
test('CT head training shows the cross-validation spread and its CI', async ({ page }) => {
  const folder = join(sharedDataDir(), 'ct', 'covid-ct', 'val');
  if (!existsSync(folder)) throw new Error(`Shared test data is missing: ${folder} (set ${DATA_ENV})`);
  test.setTimeout(600_000);
  await page.goto('/#train');
  await appReady(page);
  await pickTrainFolder(page, folder);
  await trainHead(page);
  const cv = page.getByTestId('train-cv');
  await expect(cv).toBeVisible();
  await expect(cv).toContainText('5 patient-disjoint folds');
  const folds = (await page.getByTestId('train-cv-folds').innerText()).split('·');
  expect(folds).toHaveLength(5);
  const [lo, hi] = (await page.getByTestId('train-cv-mean').innerText()).match(/CI ([\d.]+)–([\d.]+)/)!.slice(1).map(Number);
  expect(lo).toBeLessThanOrEqual(hi);
  const notice = page.getByTestId('train-cv-too-small');
  if (hi - lo > 0.1) await expect(notice).toContainText('The validation set is too small to trust');
  else await expect(notice).toHaveCount(0);
  await cv.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/train-cv.png', fullPage: true });
});
