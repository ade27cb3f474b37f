import { test, expect } from '@playwright/test';
import { sharedFile, XRAYS } from './data';
import { appReady, finalStatus, resultCard } from './helpers';

const XRAY = sharedFile(...XRAYS.pneumonia, 'person1000_bacteria_2931.jpeg');

test('Grad-CAM heatmap: shown inside the result, with a sentence naming the region', async ({ page }) => {
  await page.goto('/');
  await appReady(page);
  await page.getByTestId('file-input').setInputFiles([XRAY]);
  const card = resultCard(page, XRAY.name);
  expect(await finalStatus(card)).toBe('done');

  const toggle = card.getByTestId('heatmap-toggle');
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await toggle.click();
  const heatmap = card.getByTestId('heatmap');
  await expect(heatmap).toBeVisible({ timeout: 180_000 });
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  // The canvas has a drawn size, and a text alternative names where the model looked.
  const box = await heatmap.boundingBox();
  expect(box!.width).toBeGreaterThan(50);
  await expect(card).toContainText(/(right|left|both) (upper|middle|lower) zones?|no focal region/i);
  await expect(heatmap).toHaveAttribute('aria-label', /PNEUMONIA|NORMAL/);
  // Not blank: the heatmap canvas holds more than one colour.
  const colours = await heatmap.evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    const seen = new Set<number>();
    for (let i = 0; i < d.length && seen.size < 50; i += 4 * 97) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
    return seen.size;
  });
  expect(colours).toBeGreaterThan(10);
  await page.screenshot({ path: 'test-results/explain-heatmap.png', fullPage: true });

  await toggle.click();
  await expect(heatmap).toHaveCount(0);
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
});
