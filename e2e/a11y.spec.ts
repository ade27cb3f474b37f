import { mkdirSync, writeFileSync } from 'node:fs';
import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { sharedFile, XRAYS } from './data';
import { appReady, finalStatus, openPage, resultCard } from './helpers';

const XRAY = sharedFile(...XRAYS.normal, 'IM-0115-0001.jpeg');
const PAGES = ['train', 'validate', 'models', 'settings'] as const;

interface PageReport {
  page: string;
  violations: { id: string; impact: string | null | undefined; help: string; nodes: string[] }[];
  passes: number;
}

test('no serious or critical accessibility violations on the main pages', async ({ page }) => {
  const reports: PageReport[] = [];
  const audit = async (name: string) => {
    const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
    reports.push({
      page: name,
      violations: result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) })),
      passes: result.passes.length,
    });
  };

  await page.goto('/');
  await appReady(page);
  await page.getByTestId('file-input').setInputFiles([XRAY]);
  // This spec checks accessibility, not the model: a refusal (ood) is a result too.
  const card = resultCard(page, XRAY.name);
  const status = await finalStatus(card);
  expect(status).toMatch(/^(done|ood)$/);
  if (status === 'done') {
    await card.getByTestId('heatmap-toggle').click();
    await expect(card.getByTestId('heatmap')).toBeVisible({ timeout: 180_000 });
  }
  await audit(`classify (with a result: ${status}${status === 'done' ? ', heatmap shown' : ''})`);

  await card.getByRole('button', { name: /open viewer/i }).click();
  const viewer = page.getByRole('dialog');
  await expect(viewer.locator('details.metadata')).toBeVisible({ timeout: 30_000 });
  await audit('viewer (dialog)');
  await page.keyboard.press('Escape');
  await expect(viewer).toBeHidden();

  for (const id of PAGES) {
    await openPage(page, id);
    await expect(page.locator('main :is(h1, h2):visible').first()).toBeVisible();
    await audit(id);
  }

  mkdirSync('test-results', { recursive: true });
  writeFileSync('test-results/axe.json', JSON.stringify(reports, null, 2));
  const blocking = reports.flatMap((r) =>
    r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${r.page}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.slice(0, 3).join(', ')}`),
  );
  expect(blocking, blocking.join('\n')).toEqual([]);
});
