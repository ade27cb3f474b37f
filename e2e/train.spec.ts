import { rmSync } from 'node:fs';
import { test, expect } from '@playwright/test';
import { sharedFile, XRAYS } from './data';
import { appReady, finalStatus, makeTrainFolder, openPage, pickTrainFolder, resultCard, trainHead } from './helpers';

const XRAY = sharedFile(...XRAYS.pneumonia, 'person1000_bacteria_2931.jpeg');

test('trains a head on a small labelled folder, saves it and classifies with it', async ({ page }) => {
  const folder = makeTrainFolder(10);
  try {
    await page.goto('/#train');
    await appReady(page);
    await pickTrainFolder(page, folder);
    await expect(page.getByTestId('class-counts')).toContainText('NORMAL');
    await expect(page.getByTestId('class-counts')).toContainText('PNEUMONIA');

    const status = await trainHead(page);
    const auc = Number(await status.getAttribute('data-val-auc'));
    expect(auc).toBeGreaterThanOrEqual(0);
    expect(auc).toBeLessThanOrEqual(1);
    const accuracy = Number(await status.getAttribute('data-val-accuracy'));
    expect(accuracy).toBeGreaterThanOrEqual(0);
    expect(accuracy).toBeLessThanOrEqual(1);

    await page.getByTestId('train-name').fill('E2E clinic head');
    await page.getByTestId('train-save').click();
    await expect(page.getByTestId('train-saved')).toBeVisible({ timeout: 60_000 });
    await page.getByTestId('train-use').click();
    await expect(page.getByTestId('train-use')).toBeDisabled();
    await page.screenshot({ path: 'test-results/train-done.png', fullPage: true });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }

  await openPage(page, 'classify');
  await page.getByTestId('file-input').setInputFiles([XRAY]);
  const card = resultCard(page, XRAY.name);
  expect(await finalStatus(card)).toMatch(/^(done|ood)$/);
  const model = await card.getAttribute('data-model');
  expect(model).toBeTruthy();
  expect(model).not.toMatch(/^cxr-pneumonia@/);
  await page.screenshot({ path: 'test-results/train-classified.png', fullPage: true });
});
