import { mkdirSync } from 'node:fs';
import { test, expect } from '@playwright/test';
import { decodeRaster } from '../src/imaging/raster';
import { greyImage, makeDicom, uint16Pixels } from '../src/imaging/dicom/test-fixtures';
import { sharedFile, XRAYS } from './data';
import { appReady, finalStatus, resultCard } from './helpers';

/**
 * The bundled model as a clinic meets it: two held-out Kermany films are
 * answered (and say that age could not be checked), a CT slice is refused by
 * the refusal gate, and an adult's chest film in DICOM is refused by age.
 */
const NORMAL = sharedFile(...XRAYS.normal, 'IM-0117-0001.jpeg');
const PNEUMONIA = sharedFile(...XRAYS.pneumonia, 'person1011_bacteria_2942.jpeg');
const CT = sharedFile('ct', 'covid-ct', 'val', 'COVID', '2020.03.13.20035212-p23-155.png');
const SCREENSHOT = process.env.ISSUE11_SCREENSHOT ?? 'test-results/population-gate.png';

/** A real film's pixels in a DX CHEST DICOM that says the patient is 45. */
function adultDicom(): { name: string; mimeType: string; buffer: Buffer } {
  const source = sharedFile(...XRAYS.normal, 'IM-0115-0001.jpeg');
  const image = decodeRaster(source.name, new Uint8Array(source.buffer));
  const n = image.rows * image.columns;
  const px: number[] = [];
  for (let i = 0; i < n; i++) px.push(Math.round(image.samplesPerPixel === 3 ? image.frames[0][i * 3] : image.frames[0][i]) * 16);
  const bytes = makeDicom(greyImage(image.rows, image.columns, uint16Pixels(px), [
    [0x00080060, 'CS', 'DX'], [0x00180015, 'CS', 'CHEST'], [0x00185101, 'CS', 'PA'], [0x00101010, 'AS', '045Y'],
    [0x00280101, 'US', 12], [0x00280102, 'US', 11],
  ]));
  return { name: 'adult-chest-045Y.dcm', mimeType: 'application/dicom', buffer: Buffer.from(bytes) };
}

test('answers held-out films, refuses a CT slice by the gate and an adult by age', async ({ page }) => {
  const adult = adultDicom();
  await page.goto('/');
  await appReady(page);
  await page.getByTestId('file-input').setInputFiles([NORMAL, PNEUMONIA, CT, adult]);

  for (const [file, label] of [[NORMAL, 'NORMAL'], [PNEUMONIA, 'PNEUMONIA']] as const) {
    const card = resultCard(page, file.name);
    expect(await finalStatus(card)).toBe('done');
    await expect(card).toHaveAttribute('data-label', label);
    await expect(card.getByTestId('population-warning')).toContainText(/age could not be checked.*1–5/);
  }
  const ct = resultCard(page, CT.name);
  expect(await finalStatus(ct)).toBe('ood');
  await expect(ct).toContainText(/refusal gate distance|modality|colour/);
  const old = resultCard(page, adult.name);
  expect(await finalStatus(old)).toBe('ood');
  await expect(old).toContainText('patient age 45 years: this model was trained on children aged 1–5');

  mkdirSync('test-results', { recursive: true });
  await page.screenshot({ path: SCREENSHOT, fullPage: true });
});
