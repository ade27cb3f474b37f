import { test, expect } from '@playwright/test';
import { sharedFile, XRAYS } from './data';

// Headless Chromium's WebGPU and WebGL run on SwiftShader: the measured default must pass them over.
test('without flags the page measures its backends, keeps WASM over the software GPU, says why, and remembers it', async ({ page }) => {
  await page.goto('/');
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true); // COOP/COEP from vite preview
  await page.getByTestId('file-input').setInputFiles([sharedFile(...XRAYS.normal, 'IM-0117-0001.jpeg')]);
  await expect(page.locator('[data-testid="result"]').first()).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
  await expect(page.getByTestId('backend')).toHaveText('wasm');
  const reason = page.getByTestId('backend-reason');
  await expect(reason).toHaveAttribute('data-how', 'measured');
  await expect(reason).toHaveText(/^measured; wasm: [\d.]+ m?s per image, webgpu: software adapter, not measured/);

  await page.reload();
  await expect(page.getByTestId('backend-reason')).toHaveAttribute('data-how', 'cached', { timeout: 120_000 });
  await expect(page.getByTestId('backend')).toHaveText('wasm');

  // Settings can override it (applied on reload).
  await page.locator('button[data-page="settings"]').click();
  await page.getByTestId('backend-override').selectOption('cpu');
  await page.reload();
  await expect(page.getByTestId('backend')).toHaveText('cpu', { timeout: 120_000 });
  await expect(page.getByTestId('backend-reason')).toHaveText('chosen in Settings');
});
