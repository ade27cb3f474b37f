import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT, sharedDataDir } from '../config';
import { requireSharedData } from '../test-data';
import { decodeFile } from './decode';
import { volumeStats } from './inspect';
import reference from './reference-table.json';

/**
 * Our decoder against an independent one: reference-table.json is written by
 * scripts/make_reference_table.py (pydicom + GDCM; DCMTK dcmdjpeg for the
 * retired progressive JPEG processes GDCM's pydicom handler refuses; a numpy
 * reader for NIfTI). Lossless: identical min/max (to Float32 rounding) and mean
 * within 1e-6 relative. Lossy: within 1% of the value range.
 */

interface Entry {
  format: 'dicom' | 'nifti';
  rows?: number;
  columns?: number;
  frames?: number;
  min?: number;
  max?: number;
  mean?: number;
  lossless?: boolean;
  error?: string;
}

const FIXTURE_PREFIX = 'radlens-fixtures/';
const FIXTURE_DIR = join(PROJECT_ROOT, 'src', 'imaging', 'dicom', 'fixtures');

const files = (reference as { files: Record<string, Entry> }).files;

const f32 = (x: number) => Math.fround(x);
const close = (a: number, b: number, tol: number) => Math.abs(a - b) <= tol;

describe('reference table (independent decoder)', () => {
  it('covers every DICOM and NIfTI test file and the reference decoded them all', () => {
    requireSharedData('dicom');
    expect(Object.keys(files).length).toBeGreaterThanOrEqual(58);
    expect(Object.entries(files).filter(([, e]) => e.error).map(([k]) => k)).toEqual([]);
  });

  for (const [rel, ref] of Object.entries(files)) {
    it(`${rel} matches (${ref.lossless ? 'lossless: exact' : 'lossy: 1% of range'})`, async () => {
      // The project's own generated fixtures (HTJ2K) live in the repository; everything else is shared data.
      const fixture = rel.startsWith(FIXTURE_PREFIX);
      const path = fixture ? join(FIXTURE_DIR, rel.slice(FIXTURE_PREFIX.length)) : join(sharedDataDir(), rel);
      if (!fixture) requireSharedData(rel);
      const image = await decodeFile(rel, new Uint8Array(readFileSync(path)));
      expect([image.rows, image.columns, image.frames.length]).toEqual([ref.rows, ref.columns, ref.frames]);
      const s = volumeStats(image);
      const range = ref.max! - ref.min!;
      if (ref.lossless) {
        expect(s.min).toBe(f32(ref.min!));
        expect(s.max).toBe(f32(ref.max!));
        expect(close(s.mean, ref.mean!, 1e-6 * Math.max(1, Math.abs(ref.mean!)))).toBe(true);
      } else {
        const tol = 0.01 * range;
        expect(close(s.min, ref.min!, tol), `min ${s.min} vs ${ref.min}`).toBe(true);
        expect(close(s.max, ref.max!, tol), `max ${s.max} vs ${ref.max}`).toBe(true);
        expect(close(s.mean, ref.mean!, tol), `mean ${s.mean} vs ${ref.mean}`).toBe(true);
      }
    });
  }
});
