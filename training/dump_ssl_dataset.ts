/**
 * Unlabelled images for the self-supervised trunk (train_ssl_trunk.py), as
 * 224×224 display images (uint8, before the per-image z-score) made by the
 * serving pipeline. Only sources whose licence allows shipping weights:
 * - Kermany chest films (CC BY 4.0), the carved TRAIN split only, so the
 *   Kermany head check in training/README.md tests on films the trunk never saw;
 * - TotalSegmentator example CT volumes (Apache-2.0), axial slices in the lung
 *   and mediastinum windows, cropped to the body outline like the clinic CT sets;
 * - the TotalSegmentator DICOM series (Apache-2.0) and CT DICOM samples (MIT).
 * Never the COVID-CT set: it has no licence. Run: npx tsx training/dump_ssl_dataset.ts
 */
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDataDir } from '../src/config';
import { decodeFile } from '../src/imaging/decode';
import { decodeRaster } from '../src/imaging/raster';
import { applyWindow, resizeForModel, toDisplayGrey } from '../src/imaging/preprocess';
import { CT_WINDOW_PRESETS } from '../src/imaging/voi-presets';
import type { DecodedImage, InputSpec } from '../src/imaging/types';
import { kermanyFilms } from './dataset-split';

const WORK = join(import.meta.dirname, 'work');
const SIZE = 224;
const SPEC: InputSpec = {
  size: [SIZE, SIZE], channels: 1, fit: 'stretch', interpolation: 'area',
  window: { kind: 'display' }, normalization: { kind: 'zscore-image' },
};

interface Entry { file: string; source: string; licence: string; image: Uint8Array }

const toBytes = (display: Float32Array): Uint8Array => Uint8Array.from(display, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255));

/** Paths of the Kermany carved-train films. */
function kermanyTrain(dataDir: string): { path: string; file: string }[] {
  return kermanyFilms(dataDir).filter((f) => f.split === 'train').map(({ path, file }) => ({ path, file }));
}

/** The body's bounding box (pixels above −500 HU), so a slice is framed like a cropped clinic figure. */
function bodyBox(hu: Float32Array, w: number, h: number): [number, number, number, number] | null {
  let x0 = w, y0 = h, x1 = -1, y1 = -1;
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    if (hu[y * w + x] > -500) { if (x < x0) x0 = x; if (x > x1) x1 = x; if (y < y0) y0 = y; if (y > y1) y1 = y; }
  }
  if (x1 - x0 < 32 || y1 - y0 < 32) return null;
  return [x0, y0, x1 - x0 + 1, y1 - y0 + 1];
}

function crop(values: Float32Array, w: number, [x0, y0, cw, ch]: [number, number, number, number]): Float32Array {
  const out = new Float32Array(cw * ch);
  for (let y = 0; y < ch; y++) out.set(values.subarray((y0 + y) * w + x0, (y0 + y) * w + x0 + cw), y * cw);
  return out;
}

/** Lung- and mediastinum-window crops of every slice with enough body in it. */
function ctSlices(image: DecodedImage, file: string, source: string, licence: string): Entry[] {
  const out: Entry[] = [];
  const { columns: w, rows: h } = image;
  image.frames.forEach((frame, k) => {
    const box = image.units === 'HU' ? bodyBox(frame, w, h) : [0, 0, w, h] as [number, number, number, number];
    if (!box) return;
    const cropped = crop(frame, w, box);
    const windows = image.units === 'HU' ? [{ ...CT_WINDOW_PRESETS.lung }, { ...CT_WINDOW_PRESETS.mediastinum }] : [null];
    for (const win of windows) {
      const display = win ? applyWindow(cropped, win) : crop(toDisplayGrey(image, k), w, box);
      out.push({ file: `${file}#${k}${win ? `@${win.name}` : ''}`, source, licence, image: toBytes(resizeForModel(display, box[2], box[3], SPEC)) });
    }
  });
  return out;
}

async function main(): Promise<void> {
  const dataDir = sharedDataDir();
  mkdirSync(WORK, { recursive: true });
  const t0 = Date.now();
  const entries: Entry[] = [];
  for (const { path, file } of kermanyTrain(dataDir)) {
    const img = decodeRaster(path, new Uint8Array(readFileSync(path)));
    entries.push({ file, source: 'kermany', licence: 'CC BY 4.0', image: toBytes(resizeForModel(toDisplayGrey(img, 0), img.columns, img.rows, SPEC)) });
  }
  const ctFiles: [string, string, string][] = [
    ['nifti/totalseg_example_ct.nii.gz', 'totalsegmentator', 'Apache-2.0'],
    ['nifti/totalseg_example_ct_sm.nii.gz', 'totalsegmentator', 'Apache-2.0'],
    ...readdirSync(join(dataDir, 'dicom_series/totalsegmentator_ct_j2k')).sort().map((n) => [`dicom_series/totalsegmentator_ct_j2k/${n}`, 'totalsegmentator', 'Apache-2.0'] as [string, string, string]),
    // One copy of the cornerstone CT slice (the other files are the same slice in other transfer syntaxes) and pydicom's CT.
    ['dicom/cornerstone/CTImage.dcm', 'dicom-samples', 'MIT'],
    ['dicom/cornerstone/CT1_J2KR', 'dicom-samples', 'MIT'],
    ['dicom/cornerstone/CT2_J2KR', 'dicom-samples', 'MIT'],
    ['dicom/pydicom/CT_small.dcm', 'dicom-samples', 'MIT'],
  ];
  for (const [file, source, licence] of ctFiles) {
    try {
      const image = await decodeFile(file, new Uint8Array(readFileSync(join(dataDir, file))));
      entries.push(...ctSlices(image, file, source, licence));
    } catch (e) {
      console.error('skip', file, (e as Error).message);
    }
  }
  const fd = openSync(join(WORK, 'ssl-images.u8'), 'w');
  for (const e of entries) writeSync(fd, e.image);
  closeSync(fd);
  const counts: Record<string, number> = {};
  for (const e of entries) counts[e.source] = (counts[e.source] ?? 0) + 1;
  writeFileSync(join(WORK, 'ssl-manifest.json'), JSON.stringify({ size: SIZE, counts, items: entries.map(({ file, source, licence }) => ({ file, source, licence })) }));
  console.error('ssl images', entries.length, JSON.stringify(counts), `${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

await main();
