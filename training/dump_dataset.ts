/**
 * Writes the Kermany training folder as model-resolution display images
 * (float32 in [0, 1], before normalization) through the serving pipeline,
 * plus out-of-distribution negatives, so Python trains on exactly what the
 * page computes. Run: npx tsx training/dump_dataset.ts
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync, openSync, writeSync, closeSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { sharedDataDir } from '../src/config';
import { decodeRaster } from '../src/imaging/raster';
import { resizeForModel, toDisplayGrey } from '../src/imaging/preprocess';
import type { DecodedImage } from '../src/imaging/types';
import { CXR_INPUT_SPEC } from './input-spec';
import { kermanyFilms, KERMANY_SPLIT } from './dataset-split';
import { seededRandom } from '../src/ml/random';

const WORK = join(import.meta.dirname, 'work');

function displayAtModelSize(image: DecodedImage): Float32Array {
  return resizeForModel(toDisplayGrey(image, 0), image.columns, image.rows, CXR_INPUT_SPEC);
}

function writeImages(path: string, images: Float32Array[]): void {
  const fd = openSync(path, 'w');
  for (const img of images) writeSync(fd, new Uint8Array(img.buffer, img.byteOffset, img.byteLength));
  closeSync(fd);
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)],
  );
}

function dumpKermany(dataDir: string): void {
  const items = kermanyFilms(dataDir);
  const images = items.map((i) => displayAtModelSize(decodeRaster(i.name, i.bytes)));
  writeImages(join(WORK, 'images.f32'), images);
  const manifest = {
    size: CXR_INPUT_SPEC.size,
    seed: KERMANY_SPLIT.seed,
    rule: 'union-find over patient and sha256; groups shuffled per class (seeded mulberry32) and cut 70/15/15 by image count',
    items: items.map(({ file, label, patient, sha256, split }) => ({ file, label, patient, sha256, split })),
  };
  writeFileSync(join(WORK, 'manifest.json'), JSON.stringify(manifest));
  const counts: Record<string, number> = {};
  for (const { split, label } of items) counts[`${split}/${label}`] = (counts[`${split}/${label}`] ?? 0) + 1;
  console.error('kermany', items.length, JSON.stringify(counts));
}

/** Grey noise and a colour "photo" (smooth RGB gradients with blobs): things a user might drop by mistake. */
function syntheticNegatives(): { file: string; image: DecodedImage }[] {
  const random = seededRandom(7);
  const out: { file: string; image: DecodedImage }[] = [];
  const base = (file: string, w: number, h: number, spp: 1 | 3, px: Float32Array): DecodedImage => ({
    file, format: 'png', modality: null, photometric: spp === 3 ? 'RGB' : 'MONOCHROME2', transferSyntax: null,
    rows: h, columns: w, samplesPerPixel: spp, frames: [px], units: 'intensity',
    windows: [{ center: 128, width: 256, source: 'file' }], metadata: [],
  });
  for (let k = 0; k < 10; k++) {
    const w = 256, h = 256;
    const noise = new Float32Array(w * h).map(() => Math.floor(random() * 256));
    out.push({ file: `synthetic/noise-${k}.png`, image: base(`noise-${k}`, w, h, 1, noise) });
    const photo = new Float32Array(w * h * 3);
    const cx = random() * w, cy = random() * h, r = 30 + random() * 60, hue = random();
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
      const inBlob = (x - cx) ** 2 + (y - cy) ** 2 < r * r;
      const i = (y * w + x) * 3;
      photo[i] = inBlob ? 230 : 255 * (x / w) * hue;
      photo[i + 1] = inBlob ? 40 : 255 * (y / h);
      photo[i + 2] = inBlob ? 60 : 255 * (1 - x / w) * (1 - hue) + 20 * random();
    }
    out.push({ file: `synthetic/photo-${k}.png`, image: base(`photo-${k}`, w, h, 3, photo) });
    const flat = new Float32Array(w * h).fill(Math.floor(random() * 256));
    out.push({ file: `synthetic/constant-${k}.png`, image: base(`constant-${k}`, w, h, 1, flat) });
  }
  return out;
}

function dumpNegatives(dataDir: string): void {
  const ctDir = join(dataDir, 'ct/covid-ct');
  const entries: { file: string; kind: string; image: Float32Array }[] = [];
  for (const path of listFiles(ctDir).filter((p) => /\.(png|jpe?g)$/i.test(p)).sort()) {
    try {
      entries.push({ file: relative(dataDir, path), kind: 'ct-slice', image: displayAtModelSize(decodeRaster(path, new Uint8Array(readFileSync(path)))) });
    } catch (e) {
      console.error('skip', path, (e as Error).message);
    }
  }
  for (const { file, image } of syntheticNegatives()) {
    entries.push({ file, kind: file.split('/')[1].split('-')[0], image: displayAtModelSize(image) });
  }
  writeImages(join(WORK, 'ood.f32'), entries.map((e) => e.image));
  writeFileSync(join(WORK, 'ood.json'), JSON.stringify({ items: entries.map(({ file, kind }) => ({ file, kind })) }));
  console.error('negatives', entries.length);
}

mkdirSync(WORK, { recursive: true });
const dataDir = sharedDataDir();
statSync(join(dataDir, 'xray/kermany224/train'));
const t0 = Date.now();
dumpKermany(dataDir);
dumpNegatives(dataDir);
console.error(`dump took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
