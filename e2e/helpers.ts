import { copyFileSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';
import { sharedDataDir, DATA_ENV } from '../src/config';
import { XRAYS } from './data';

/** Shared steps of the end-to-end specs. */

export function resultCard(page: Page, file: string): Locator {
  return page.locator(`[data-testid="result"][data-file="${file}"]`);
}

/** Waits for a card to leave `pending` and returns its final status. */
export async function finalStatus(card: Locator, timeout = 180_000): Promise<string> {
  await expect(card).toHaveAttribute('data-status', /^(done|error|ood)$/, { timeout });
  return (await card.getAttribute('data-status'))!;
}

/** The app is up: the ML worker picked a backend. */
export async function appReady(page: Page): Promise<void> {
  await expect(page.getByTestId('backend')).toHaveText(/^(webgpu|webgl|wasm|cpu)$/, { timeout: 120_000 });
}

export async function openPage(page: Page, id: 'classify' | 'train' | 'validate' | 'models' | 'settings'): Promise<void> {
  await page.locator(`nav button[data-page="${id}"]`).click();
  await expect(page.locator(`nav button[data-page="${id}"]`)).toHaveAttribute('aria-current', 'page');
}

/**
 * A labelled folder (one subfolder per class) of copies of shared X-rays in a
 * fresh temporary directory: never in the repository. Missing data fails.
 */
export function makeTrainFolder(perClass: number, skip = 0): string {
  const dir = mkdtempSync(join(tmpdir(), 'radlens-e2e-train-'));
  for (const [label, parts] of [['NORMAL', XRAYS.normal], ['PNEUMONIA', XRAYS.pneumonia]] as const) {
    const src = join(sharedDataDir(), ...parts);
    let names: string[];
    try {
      names = readdirSync(src).filter((n) => /\.jpe?g$/i.test(n)).sort();
    } catch {
      throw new Error(`Shared test data is missing: ${src} (set ${DATA_ENV})`);
    }
    if (names.length < skip + perClass) throw new Error(`${src} has too few images for the spec`);
    mkdirSync(join(dir, label));
    // Spread over the list: neighbours in name order are often the same patient, and the split is by patient.
    const stride = Math.floor((names.length - skip) / perClass);
    for (let i = 0; i < perClass; i++) {
      const n = names[skip + i * stride];
      copyFileSync(join(src, n), join(dir, label, n));
    }
  }
  return dir;
}

/** Picks a folder on the Training page and waits until Start can be pressed. */
export async function pickTrainFolder(page: Page, dir: string): Promise<void> {
  await page.getByTestId('train-input').setInputFiles(dir);
  await expect(page.getByTestId('train-start')).toBeEnabled({ timeout: 120_000 });
}

/** Starts head training and waits for the contract's done state. */
export async function trainHead(page: Page): Promise<Locator> {
  await page.getByTestId('train-mode').selectOption('head');
  await page.getByTestId('train-start').click();
  const status = page.getByTestId('train-status');
  await expect(status).toHaveAttribute('data-state', /^(done|error)$/, { timeout: 200_000 });
  await expect(status, await status.innerText()).toHaveAttribute('data-state', 'done');
  return status;
}
