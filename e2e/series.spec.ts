import { test, expect } from '@playwright/test';
import { appReady, finalStatus, resultCard } from './helpers';
import { crSeriesFilms } from './series-films';

// Three CR films sharing one SeriesInstanceUID (a PA film and its repeats) are three pictures, not a volume.
test('three CR films of one series come back as three results', async ({ page }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  const films = crSeriesFilms(3);
  await page.goto('/');
  await appReady(page);

  await page.getByTestId('file-input').setInputFiles(films);
  await expect(page.getByTestId('result')).toHaveCount(3);
  for (const film of films) {
    const card = resultCard(page, film.name);
    expect(await finalStatus(card), await card.innerText()).toBe('done');
    await expect(card).toHaveAttribute('data-label', /^(NORMAL|PNEUMONIA)$/);
    await expect(card).not.toContainText(/volume|slices/i);
  }
  await expect(page.getByTestId('result')).toHaveCount(3);
  await page.screenshot({ path: process.env.SERIES_SCREENSHOT || 'test-results/series-three-films.png', fullPage: true });
  expect(pageErrors).toEqual([]);
});
