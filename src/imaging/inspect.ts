import { frameStats } from './preprocess';
import type { DecodedImage } from './types';

/** The `inspect` command's object (see shared CONTRACT.md), from a decoded image. */
export interface InspectResult {
  file: string;
  format: DecodedImage['format'];
  modality: string | null;
  photometric: string;
  transferSyntax: string | null;
  rows: number;
  columns: number;
  frames: number;
  units: DecodedImage['units'];
  min: number;
  max: number;
  mean: number;
  samplesPerPixel: number;
  downsampled?: string;
  warnings?: string[];
}

/** Min, max and mean over every finite value of every frame (after the modality LUT). */
export function volumeStats(image: DecodedImage): { min: number; max: number; mean: number } {
  let min = Infinity, max = -Infinity, sum = 0, n = 0;
  for (const f of image.frames) {
    const s = frameStats(f);
    if (!s.finite) continue;
    if (s.min < min) min = s.min;
    if (s.max > max) max = s.max;
    sum += s.mean * s.finite;
    n += s.finite;
  }
  return n ? { min, max, mean: sum / n } : { min: 0, max: 0, mean: 0 };
}

export function inspectImage(image: DecodedImage): InspectResult {
  const { min, max, mean } = volumeStats(image);
  return {
    file: image.file,
    format: image.format,
    modality: image.modality,
    photometric: image.photometric,
    transferSyntax: image.transferSyntax,
    rows: image.rows,
    columns: image.columns,
    frames: image.frames.length,
    units: image.units,
    min,
    max,
    mean,
    samplesPerPixel: image.samplesPerPixel,
    ...(image.downsampled ? { downsampled: image.downsampled } : {}),
    ...(image.geometry?.warnings.length ? { warnings: image.geometry.warnings } : {}),
  };
}
