import { ImagingError } from './types';

/**
 * The large-image rule, checked from header numbers before any pixel buffer
 * is allocated:
 * 1. A single frame over MAX_FRAME_SAMPLES samples (64 Mi, e.g. 8192×8192
 *    grey; a 16384×16384 image is 256 Mi) is refused: decoding it would need
 *    gigabytes in the codec and as Float32.
 * 2. A frame with a side over MAX_SIDE (4096 px) is block-averaged by the
 *    smallest integer factor that brings both sides to at most 4096, and
 *    `downsampled` says so.
 * 3. The decoded result (all frames, after rule 2, Float32) may not exceed
 *    MAX_OUTPUT_BYTES (1 GiB); a bigger volume is refused.
 */
export const MAX_SIDE = 4096;
export const MAX_FRAME_SAMPLES = 64 * 1024 * 1024;
export const MAX_OUTPUT_BYTES = 1024 * 1024 * 1024;

export interface SizePlan {
  factor: number;
  outRows: number;
  outColumns: number;
  note?: string;
}

export function planSize(file: string, rows: number, columns: number, frames: number, samplesPerPixel: number): SizePlan {
  if (!(rows > 0) || !(columns > 0) || !(frames > 0)) {
    throw new ImagingError(`${file}: the image has zero size (${rows} rows × ${columns} columns × ${frames} frames)`, 'empty-image');
  }
  if (rows * columns * samplesPerPixel > MAX_FRAME_SAMPLES) {
    throw new ImagingError(
      `${file}: ${columns}×${rows} pixels per frame is too large to decode here (limit ${MAX_FRAME_SAMPLES / 1024 / 1024} megasamples per frame)`,
      'too-large',
    );
  }
  const factor = Math.max(1, Math.ceil(Math.max(rows, columns) / MAX_SIDE));
  const outRows = Math.ceil(rows / factor);
  const outColumns = Math.ceil(columns / factor);
  const bytes = outRows * outColumns * samplesPerPixel * frames * 4;
  if (bytes > MAX_OUTPUT_BYTES) {
    throw new ImagingError(
      `${file}: ${frames} frames of ${outColumns}×${outRows} would need ${(bytes / 2 ** 30).toFixed(1)} GiB decoded (limit ${MAX_OUTPUT_BYTES / 2 ** 30} GiB)`,
      'too-large',
    );
  }
  const note =
    factor > 1
      ? `block-averaged ${factor}×${factor}: ${columns}×${rows} → ${outColumns}×${outRows} (frames over ${MAX_SIDE} px per side are reduced)`
      : undefined;
  return { factor, outRows, outColumns, note };
}

/** Box average by an integer factor; edge blocks average the pixels they have. */
export function blockAverage(values: Float32Array, rows: number, columns: number, samples: number, plan: SizePlan): Float32Array {
  if (plan.factor === 1) return values;
  const f = plan.factor;
  const out = new Float32Array(plan.outRows * plan.outColumns * samples);
  for (let oy = 0; oy < plan.outRows; oy++) {
    const y0 = oy * f, y1 = Math.min(rows, y0 + f);
    for (let ox = 0; ox < plan.outColumns; ox++) {
      const x0 = ox * f, x1 = Math.min(columns, x0 + f);
      const n = (y1 - y0) * (x1 - x0);
      for (let s = 0; s < samples; s++) {
        let sum = 0;
        for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) sum += values[(y * columns + x) * samples + s];
        out[(oy * plan.outColumns + ox) * samples + s] = sum / n;
      }
    }
  }
  return out;
}
