import { test, expect } from '@playwright/test';
import { sharedFile } from './data';
import { appReady, finalStatus, resultCard } from './helpers';

// A CT slice (JPEG 2000 lossless), a MONOCHROME1 CR film, a truncated DICOM and a text file named .dcm.
const CT = sharedFile('dicom', 'cornerstone', 'CTImage.dcm_JPEG2000LosslessOnlyTransferSyntax_1.2.840.10008.1.2.4.90.dcm');
const CR = sharedFile('dicom', 'pydicom_data', 'RG3_J2KR.dcm');
const TRUNCATED = { name: 'truncated.dcm', mimeType: 'application/dicom', buffer: CT.buffer.subarray(0, 2000) };
const FAKE = { name: 'fake.dcm', mimeType: 'application/dicom', buffer: Buffer.from('Ward round notes, not a DICOM file.\n') };

test('DICOM: CT refused as out of scope, damaged files get clear errors, the viewer windows and masks PHI', async ({ page }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto('/');
  await appReady(page);

  await page.getByTestId('file-input').setInputFiles([CT, CR, TRUNCATED, FAKE]);
  await expect(page.getByTestId('result')).toHaveCount(4);

  const ct = resultCard(page, CT.name);
  expect(await finalStatus(ct)).toBe('ood');
  await expect(ct).toContainText(/\bCT\b/);
  await expect(ct).toContainText(/X-ray|radiograph|CR|DX/i);

  // An extremity film: whatever the verdict, it is read (inverted MONOCHROME1) and not an error.
  const cr = resultCard(page, CR.name);
  expect(await finalStatus(cr)).toMatch(/^(done|ood)$/);

  const truncated = resultCard(page, TRUNCATED.name);
  expect(await finalStatus(truncated)).toBe('error');
  await expect(truncated).toContainText(/truncated|damaged|incomplete|end of (the )?(file|buffer|data)/i);

  const fake = resultCard(page, FAKE.name);
  expect(await finalStatus(fake)).toBe('error');
  await expect(fake).toContainText(/not a DICOM/i);

  // The viewer for the CT: lung preset in HU, metadata with identifying fields masked by default.
  await ct.getByRole('button', { name: /open viewer/i }).click();
  const viewer = page.getByRole('dialog');
  await expect(viewer).toBeVisible();
  const lung = viewer.getByRole('button', { name: /^Lung/ });
  await expect(lung).toBeEnabled({ timeout: 30_000 });
  await lung.click();
  await expect(lung).toHaveAttribute('aria-pressed', 'true');
  await expect(viewer.getByRole('spinbutton', { name: /centre/i })).toHaveValue('-600');
  await expect(viewer.getByRole('spinbutton', { name: /width/i })).toHaveValue('1500');

  const metadata = viewer.locator('details.metadata, [data-testid="metadata"]').first();
  await expect(metadata).toBeVisible();
  await expect(metadata).toContainText('CT');
  await expect(metadata).not.toContainText('MISTER');
  await expect(metadata).not.toContainText('2178309');
  await expect(metadata.getByLabel(/hidden identifying data/i).first()).toBeVisible();
  await page.screenshot({ path: 'test-results/dicom-viewer.png', fullPage: true });

  const showPhi = viewer.getByRole('checkbox', { name: /identifying/i });
  await showPhi.check();
  await expect(metadata).toContainText('MISTER');
  await showPhi.uncheck();
  await expect(metadata).not.toContainText('MISTER');

  await viewer.getByRole('button', { name: /^close$/i }).click();
  await expect(viewer).toBeHidden();
  await page.screenshot({ path: 'test-results/dicom-results.png', fullPage: true });
  expect(pageErrors).toEqual([]);
});
