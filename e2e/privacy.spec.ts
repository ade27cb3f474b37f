import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { test, expect, type Request } from '@playwright/test';
import { sharedFile, XRAYS } from './data';
import { appReady, finalStatus, makeTrainFolder, openPage, pickTrainFolder, resultCard, trainHead } from './helpers';

const XRAY = sharedFile(...XRAYS.pneumonia, 'person1000_virus_1681.jpeg');

interface Seen {
  url: string;
  method: string;
  resourceType: string;
  from: 'page' | 'context';
  serviceWorker: boolean;
}

test('nothing leaves the machine: every request during classify, heatmap, export and training is same-origin', async ({ page, context, baseURL }) => {
  const origin = new URL(baseURL!).origin;
  const seen: Seen[] = [];
  const record = (from: Seen['from']) => (r: Request) =>
    seen.push({ url: r.url(), method: r.method(), resourceType: r.resourceType(), from, serviceWorker: !!r.serviceWorker() });
  page.on('request', record('page'));
  context.on('request', record('context')); // also workers and the service worker
  const folder = makeTrainFolder(6);

  try {
    await page.goto('/');
    await appReady(page);

    await page.getByTestId('file-input').setInputFiles([XRAY]);
    const card = resultCard(page, XRAY.name);
    expect(await finalStatus(card)).toBe('done');

    await card.getByTestId('heatmap-toggle').click();
    await expect(card.getByTestId('heatmap')).toBeVisible({ timeout: 180_000 });

    for (const format of ['csv', 'json'] as const) {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(`export-${format}`).click()]);
      expect(download.suggestedFilename()).toMatch(new RegExp(`\\.${format}$`));
      expect(download.url()).toMatch(/^(blob|data):/);
      const path = await download.path();
      expect(path).toBeTruthy();
    }

    await openPage(page, 'train');
    await pickTrainFolder(page, folder);
    await trainHead(page);
  } finally {
    rmSync(folder, { recursive: true, force: true });
    mkdirSync('test-results', { recursive: true });
    writeFileSync('test-results/requests.json', JSON.stringify({ origin, requests: seen }, null, 2));
  }

  const allowed = (url: string) => url.startsWith(`${origin}/`) || url === origin || url.startsWith('blob:') || url.startsWith('data:');
  const foreign = [...new Set(seen.map((s) => s.url).filter((u) => !allowed(u)))];
  expect(foreign, `requests to other origins: ${foreign.join(', ')}`).toEqual([]);
  expect(seen.length).toBeGreaterThan(0);
});
