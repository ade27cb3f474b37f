import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../src/config';
import { test, expect } from '@playwright/test';
import JSZip from 'jszip';
import { dciodvfy } from '../src/report/testing/validate';
import { chestFilmDicom } from '../src/report/testing/film-dicom';
import { sharedFile } from './data';
import { appReady, finalStatus, resultCard } from './helpers';

// Real films wrapped as CR DICOM at test time (the shared JPEGs never enter the repository).
const film = (dir: string, name: string, who: string) => {
  const f = chestFilmDicom(new Uint8Array(sharedFile('xray', 'kermany224', 'train', dir, name).buffer), { patientName: `${who}^Film`, patientId: who });
  return { ...f, upload: { name: `${who.toLowerCase()}.dcm`, mimeType: 'application/dicom', buffer: Buffer.from(f.bytes) } };
};

test('DICOM SR: export on a DICOM result and for the batch; none for a JPEG', async ({ page }, info) => {
  await page.goto('/');
  await appReady(page);
  const a = film('PNEUMONIA', 'person1000_bacteria_2931.jpeg', 'Alpha');
  const b = film('NORMAL', 'IM-0115-0001.jpeg', 'Bravo');
  const jpeg = sharedFile('xray', 'kermany224', 'train', 'NORMAL', 'IM-0117-0001.jpeg');
  await page.getByTestId('file-input').setInputFiles([a.upload, b.upload, jpeg]);
  const cardA = resultCard(page, a.upload.name);
  expect(await finalStatus(cardA)).toBe('done');
  expect(await finalStatus(resultCard(page, b.upload.name))).toBe('done');
  expect(await finalStatus(resultCard(page, jpeg.name))).toBe('done');
  await expect(resultCard(page, jpeg.name).getByTestId('export-sr')).toHaveCount(0);

  const [single] = await Promise.all([page.waitForEvent('download'), cardA.getByTestId('export-sr').click()]);
  expect(single.suggestedFilename()).toBe('alpha.sr.dcm');
  const bytes = readFileSync((await single.path())!);
  expect(bytes.subarray(128, 132).toString('latin1')).toBe('DICM');
  expect(bytes.includes(Buffer.from('Alpha^Film'))).toBe(true);
  expect(bytes.includes(Buffer.from(a.studyInstanceUid))).toBe(true);
  expect(bytes.includes(Buffer.from('Not a diagnosis: for review by a qualified clinician'))).toBe(true);

  const [zip] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-sr-batch').click()]);
  expect(zip.suggestedFilename()).toBe('radlens-sr.zip');
  await expect(page.getByTestId('sr-batch-status')).toHaveText(/2 DICOM SRs saved/);
  const entries = Object.keys((await JSZip.loadAsync(readFileSync((await zip.path())!))).files).sort();
  expect(entries).toEqual(['alpha.sr.dcm', 'bravo.sr.dcm']);
  const iod = dciodvfy((await single.path())!);
  expect(iod.errors, iod.output).toEqual([]);
  await page.screenshot({ path: process.env.RADLENS_SCREENSHOT || info.outputPath('dicom-sr.png'), fullPage: true });
});

test('HTJ2K: a High-Throughput JPEG 2000 CT slice is decoded in the page (the codec loads on demand)', async ({ page }) => {
  await page.goto('/');
  await appReady(page);
  const file = (name: string) => ({ name, mimeType: 'application/dicom', buffer: readFileSync(join(PROJECT_ROOT, 'src', 'imaging', 'dicom', 'fixtures', 'htj2k', name)) });
  await page.getByTestId('file-input').setInputFiles([file('ct-htj2k-lossless.dcm')]);
  const card = resultCard(page, 'ct-htj2k-lossless.dcm');
  // A CT slice is outside the chest-film model's scope: refused, but decoded (an unreadable file would be "error").
  expect(await finalStatus(card)).toBe('ood');
  await card.getByRole('button', { name: /open viewer/i }).click();
  await expect(page.getByRole('dialog')).toContainText(/High-Throughput JPEG 2000/);
  await page.screenshot({ path: process.env.RADLENS_SCREENSHOT_HTJ2K || test.info().outputPath('htj2k.png') });
});
