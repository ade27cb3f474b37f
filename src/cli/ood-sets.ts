import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encode as encodePng } from 'fast-png';
import { decodeFile } from '../imaging/decode';
import { toDisplayGrey } from '../imaging/preprocess';
import { groupSeries } from '../imaging/series';
import type { DecodedImage } from '../imaging/types';
import { kermanyFilms, KERMANY_DIR, type KermanyFilm, type Split } from '../../training/dataset-split';
import { listInputFiles, readFileBytes } from './io';
import { syntheticSets } from './ood-synthetic';

/**
 * The check sets of `npm run ood-check`, built from the shared data folder:
 * in-distribution chest films (the reference model's held-out Kermany
 * patients) and everything a film model must refuse.
 */

export interface CheckItem {
  file: string;
  /** Decoded lazily so a set of thousands of images never sits in memory at once. */
  load: () => Promise<DecodedImage>;
}

export interface CheckSet {
  name: string;
  inDistribution: boolean;
  items: CheckItem[];
}

/** As training/dump_dataset.ts, which produced the reference model's split. */

/** Folders the check needs; a missing one ends the command (never a silent partial check). */
export const REQUIRED_DIRS = [KERMANY_DIR, 'ct/covid-ct', 'dicom', 'dicom_series', 'nifti'];

const decodePath = (path: string) => async () => decodeFile(path, await readFileBytes(path));

export interface KermanySplit {
  val: string[];
  test: string[];
  /** Whether training/work/manifest.json (when present) gives the same split; null when absent. */
  matchesManifest: boolean | null;
}

/** Reproduces the reference model's patient-level split with the training code itself. */
export async function kermanySplit(dataDir: string): Promise<KermanySplit> {
  const films = kermanyFilms(dataDir);
  const pick = (s: Split) => films.filter((f) => f.split === s).map((f) => f.path);
  return { val: pick('val'), test: pick('test'), matchesManifest: compareManifest(films) };
}

function compareManifest(items: KermanyFilm[]): boolean | null {
  const path = join(import.meta.dirname, '../../training/work/manifest.json');
  if (!existsSync(path)) return null;
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as { items: { file: string; split: Split }[] };
  const bySplit = new Map(manifest.items.map((it) => [it.file, it.split]));
  return bySplit.size === items.length && items.every((it) => bySplit.get(it.file) === it.split);
}

/** What a viewer's "export slice as PNG" gives: the displayed frame as 8-bit grey, no header. */
export function frameAsPng(image: DecodedImage, frame: number): Uint8Array {
  const display = toDisplayGrey(image, frame);
  const data = new Uint8ClampedArray(display.length);
  for (let i = 0; i < display.length; i++) data[i] = Math.round(display[i] * 255);
  return encodePng({ width: image.columns, height: image.rows, data, channels: 1, depth: 8 });
}

function frameItems(file: string, image: DecodedImage, frames: number[]): CheckItem[] {
  return frames.map((k) => {
    const name = `${file}#${k}.png`;
    return { file: name, load: () => decodeFile(name, frameAsPng(image, k)) };
  });
}

const isChestFilm = (image: DecodedImage) =>
  ['CR', 'DX'].includes((image.modality ?? '').toUpperCase()) && /^(CHEST|THORAX|LUNGS?)$/i.test(image.bodyPart?.trim() ?? '');

const loaded = (image: DecodedImage): CheckItem => ({ file: image.file, load: async () => image });

/** Every check set, in report order. */
export async function buildCheckSets(dataDir: string, split: KermanySplit): Promise<CheckSet[]> {
  const sets: CheckSet[] = [
    { name: 'kermany-val', inDistribution: true, items: split.val.map((f) => ({ file: f, load: decodePath(f) })) },
    { name: 'kermany-test', inDistribution: true, items: split.test.map((f) => ({ file: f, load: decodePath(f) })) },
  ];
  const out = (name: string, items: CheckItem[]) => sets.push({ name, inDistribution: false, items });

  const dicomFiles = await listInputFiles([join(dataDir, 'dicom')]);
  const seriesFiles = await listInputFiles([join(dataDir, 'dicom_series')]);
  const dicomImages: DecodedImage[] = [];
  for (const f of dicomFiles) {
    const image = await decodeFile(f, await readFileBytes(f));
    if (!isChestFilm(image)) dicomImages.push(image);
  }
  const seriesImages: DecodedImage[] = [];
  for (const f of seriesFiles) seriesImages.push(await decodeFile(f, await readFileBytes(f)));
  out('dicom-file', dicomImages.map(loaded));
  out('dicom-series-volume', groupSeries(seriesImages).map((g) => ({ file: g.files.length > 1 ? join(dataDir, 'dicom_series') : g.files[0], load: async () => g.image })));
  out('dicom-frame-as-png', [...dicomImages, ...seriesImages].flatMap((im) => frameItems(im.file, im, [0])));

  const niftiFiles = (await listInputFiles([join(dataDir, 'nifti')])).filter((f) => /\.nii(\.gz)?$/i.test(f));
  out('nifti-volume', niftiFiles.map((f) => ({ file: f, load: decodePath(f) })));
  const sliceItems: CheckItem[] = [];
  for (const f of niftiFiles) {
    const volume = await decodeFile(f, await readFileBytes(f));
    sliceItems.push(...frameItems(f, volume, volume.frames.map((_, k) => k)));
  }
  out('nifti-slice-as-png', sliceItems);

  for (const part of ['train', 'val']) {
    const files = (await listInputFiles([join(dataDir, 'ct/covid-ct', part)])).filter((f) => /\.(png|jpe?g)$/i.test(f));
    out(`covid-ct-${part}`, files.map((f) => ({ file: f, load: decodePath(f) })));
  }
  for (const [name, files] of Object.entries(syntheticSets())) out(name, files.map(({ file, bytes }) => ({ file, load: () => decodeFile(file, bytes) })));
  return sets;
}
