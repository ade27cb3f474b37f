import { test, expect } from '@playwright/test';
import { sharedFile, XRAYS } from './data';
import { appReady, finalStatus, resultCard } from './helpers';

const XRAY = sharedFile(...XRAYS.normal, 'IM-0115-0001.jpeg');

test('works offline once the service worker has cached the app and model', async ({ page, context }) => {
  await page.goto('/');
  await appReady(page);
  // The service worker installs (precaching app, codecs and model), then controls the page after a reload.
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  for (let i = 0; i < 5 && !(await page.evaluate(() => !!navigator.serviceWorker.controller)); i++) {
    await page.reload();
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
  }
  expect(await page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);

  await context.setOffline(true);
  try {
    await page.reload();
    await appReady(page);
    await page.getByTestId('file-input').setInputFiles([XRAY]);
    const card = resultCard(page, XRAY.name);
    expect(await finalStatus(card)).toBe('done');
    await expect(card).toHaveAttribute('data-label', /^(NORMAL|PNEUMONIA)$/);
    await page.screenshot({ path: 'test-results/offline.png', fullPage: true });
  } finally {
    await context.setOffline(false);
  }
});
