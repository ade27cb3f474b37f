import { test, expect } from '@playwright/test';
import { sharedFile, XRAYS } from './data';

// Three real X-rays of patients in the reference model's held-out test split, and one file that is no image.
const XRAY_CASES = [
  { file: sharedFile(...XRAYS.normal, 'IM-0117-0001.jpeg'), expected: 'NORMAL' },
  { file: sharedFile(...XRAYS.pneumonia, 'person1011_bacteria_2942.jpeg'), expected: 'PNEUMONIA' },
  { file: sharedFile(...XRAYS.pneumonia, 'person1015_virus_1701.jpeg'), expected: 'PNEUMONIA' },
];
const XRAY_FILES = XRAY_CASES.map((c) => c.file);
const NOT_AN_IMAGE = { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('Patient list, not an image\n') };

test('drops three chest X-rays and a text file: three results on WebGPU, one clear error', async ({ page }) => {
  // WebGPU here is SwiftShader, which the measured default never picks: ask for it.
  await page.goto('/?backend=webgpu');
  await expect(page.getByTestId('backend')).toHaveText('webgpu', { timeout: 120_000 });

  await page.getByTestId('file-input').setInputFiles([...XRAY_FILES, NOT_AN_IMAGE]);

  const results = page.getByTestId('result');
  await expect(results).toHaveCount(4);
  for (const { file, expected } of XRAY_CASES) {
    const card = page.locator(`[data-testid="result"][data-file="${file.name}"]`);
    await expect(card).toHaveAttribute('data-status', 'done', { timeout: 180_000 });
    await expect(card).toHaveAttribute('data-label', expected);
    const probability = Number(await card.getAttribute('data-probability'));
    expect(probability).toBeGreaterThanOrEqual(0);
    expect(probability).toBeLessThanOrEqual(1);
    await expect(card).toHaveAttribute('data-unsure', /^(true|false)$/);
  }

  const bad = page.locator('[data-testid="result"][data-file="notes.txt"]');
  await expect(bad).toHaveAttribute('data-status', 'error');
  await expect(bad).toContainText(/not a (supported|recogni[sz]ed)|unsupported|not an image|PNG|DICOM/i);

  await page.screenshot({ path: 'test-results/classify-webgpu.png', fullPage: true });
});
