import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDataDir } from '../src/config';
import { decodeFile } from '../src/imaging/decode';
import { prepareModelInput, toDisplayGrey } from '../src/imaging/preprocess';
import { groupSeries } from '../src/imaging/series';
import type { InputSpec } from '../src/imaging/types';

/**
 * Decode + normalize timings in Node for three typical inputs. `imagingBench()`
 * returns the numbers (for bench/run.ts); running this file prints them as JSON.
 * Each case: one warm-up run (codec loading, JIT) and the median of `repeats`.
 */

/** Normalize exactly as the bundled model's card asks, so the timing is the real pipeline's. */
const SPEC: InputSpec = (JSON.parse(readFileSync(new URL('../public/models/cxr-pneumonia/card.json', import.meta.url), 'utf8')) as { input: InputSpec }).input;

export interface ImagingBenchCase {
  name: string;
  ms: { decode: number; normalize: number; total: number };
  detail: string;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function timeCase(name: string, files: string[], repeats: number): Promise<ImagingBenchCase> {
  const bytes = files.map((f) => new Uint8Array(readFileSync(f)));
  const decodeTimes: number[] = [];
  const normTimes: number[] = [];
  let detail = '';
  for (let r = 0; r <= repeats; r++) {
    const t0 = performance.now();
    const images = [];
    for (let i = 0; i < files.length; i++) images.push(await decodeFile(files[i], bytes[i]));
    const volume = images.length > 1 ? groupSeries(images)[0].image : images[0];
    const t1 = performance.now();
    for (let f = 0; f < volume.frames.length; f++) {
      toDisplayGrey(volume, f);
      prepareModelInput(volume, f, SPEC);
    }
    const t2 = performance.now();
    detail = `${volume.columns}×${volume.rows}×${volume.frames.length} ${volume.transferSyntax ?? volume.format}`;
    if (r === 0) continue; // warm-up
    decodeTimes.push(t1 - t0);
    normTimes.push(t2 - t1);
  }
  const decode = median(decodeTimes), normalize = median(normTimes);
  const round = (x: number) => Math.round(x * 10) / 10;
  return { name, ms: { decode: round(decode), normalize: round(normalize), total: round(decode + normalize) }, detail };
}

export async function imagingBench(repeats = 3): Promise<ImagingBenchCase[]> {
  const data = sharedDataDir();
  const seriesDir = join(data, 'dicom_series', 'totalsegmentator_ct_j2k');
  return [
    await timeCase('ct-slice-512-uncompressed', [join(data, 'dicom', 'cornerstone', 'CTImage.dcm')], repeats),
    await timeCase('ct-slice-512-j2k-lossless', [join(data, 'dicom', 'cornerstone', 'CTImage.dcm_JPEG2000LosslessOnlyTransferSyntax_1.2.840.10008.1.2.4.90.dcm')], repeats),
    await timeCase('cr-1760-j2k-lossless', [join(data, 'dicom', 'pydicom_data', 'RG3_J2KR.dcm')], repeats),
    await timeCase('ct-series-20-slices-j2k', readdirSync(seriesDir).sort().map((f) => join(seriesDir, f)), repeats),
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const results = await imagingBench(Number(process.argv[2] ?? 3));
  process.stdout.write(JSON.stringify({ imaging: results }, null, 2) + '\n');
}
