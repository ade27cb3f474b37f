import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireSharedData } from '../test-data';
import { decodeFile } from './decode';
import { groupSeries, isVolumeSlice, stackSeries } from './series';
import type { DecodedImage } from './types';

function slice(z: number, instance: number, extra: Partial<NonNullable<DecodedImage['series']>> = {}): DecodedImage {
  return {
    file: `s${instance}`, format: 'dicom', modality: 'CT', photometric: 'MONOCHROME2', transferSyntax: null,
    rows: 2, columns: 2, samplesPerPixel: 1, frames: [new Float32Array(4).fill(z)], units: 'HU', windows: [], metadata: [],
    series: { seriesInstanceUid: '1.2.3', instanceNumber: instance, imagePositionPatient: [0, 0, z], imageOrientationPatient: [1, 0, 0, 0, 1, 0], ...extra },
  };
}

describe('series grouping', () => {
  it('stacks the 20-slice TotalSegmentator series in position order', async () => {
    const dir = requireSharedData('dicom_series', 'totalsegmentator_ct_j2k');
    const files = readdirSync(dir).sort().reverse(); // input order must not matter
    const images: DecodedImage[] = [];
    for (const f of files) images.push(await decodeFile(f, new Uint8Array(readFileSync(join(dir, f)))));
    const groups = groupSeries(images);
    expect(groups.length).toBe(1);
    const vol = groups[0].image;
    expect(vol.frames.length).toBe(20);
    expect(vol.units).toBe('HU');
    expect(vol.geometry!.sliceGaps).toEqual(new Array(19).fill(2));
    const z = groups[0].files.map((f) => images.find((i) => i.file === f)!.series!.imagePositionPatient![2]);
    for (let i = 1; i < z.length; i++) expect(z[i]).toBeGreaterThan(z[i - 1]);
    // No Series Instance UID in these anonymised files: grouped by the fallback key, and said so.
    expect(vol.geometry!.warnings.join(' ')).toMatch(/no Series Instance UID/);
  });

  it('sorts by position on the slice normal, not by instance number', () => {
    const g = stackSeries('1.2.3', [slice(5, 1), slice(-5, 2), slice(0, 3)]);
    expect(g.image.frames.map((f) => f[0])).toEqual([-5, 0, 5]);
    expect(g.image.geometry!.sliceGaps).toEqual([5, 5]);
    expect(g.image.geometry!.warnings).toEqual([]);
  });

  it('warns about uneven spacing, missing positions, mixed sizes and tilt', () => {
    expect(stackSeries('1', [slice(0, 1), slice(1, 2), slice(3, 3)]).image.geometry!.warnings.join()).toMatch(/uneven slice spacing/);
    const noPos = stackSeries('1', [slice(0, 2), slice(1, 1, { imagePositionPatient: undefined })]);
    expect(noPos.image.geometry!.warnings.join()).toMatch(/no Image Position/);
    const big = { ...slice(2, 3), rows: 3, frames: [new Float32Array(6)] };
    const mixed = stackSeries('1', [slice(0, 1), slice(1, 2), big]);
    expect(mixed.image.frames.length).toBe(2);
    expect(mixed.image.geometry!.warnings.join()).toMatch(/differ in size/);
    const tilted = stackSeries('1', [slice(0, 1, { imagePositionPatient: [0, 0, 0] }), slice(1, 2, { imagePositionPatient: [0, 0.5, 1] })]);
    expect(tilted.image.geometry!.warnings.join()).toMatch(/gantry tilt/);
  });

  it('keeps different series and non-DICOM images apart', () => {
    const other = slice(0, 1, { seriesInstanceUid: '9.9' });
    const png = { ...slice(0, 1), format: 'png' as const, series: undefined };
    const groups = groupSeries([slice(0, 1), slice(1, 2), other, png]);
    expect(groups.map((g) => g.image.frames.length).sort()).toEqual([1, 1, 2]);
  });

  it('keeps projection films of one series as separate images (PA + lateral, repeats)', () => {
    for (const modality of ['CR', 'DX', 'MG', 'XA', 'RF', 'IO', 'PX', 'dx ']) {
      const films = [1, 2, 3].map((n) => ({ ...slice(0, n, { imagePositionPatient: undefined, imageOrientationPatient: undefined }), modality, file: `film${n}.dcm` }));
      const groups = groupSeries(films);
      expect(groups.map((g) => g.files)).toEqual([['film1.dcm'], ['film2.dcm'], ['film3.dcm']]);
      expect(groups.every((g) => g.image.frames.length === 1 && g.seriesInstanceUid === '1.2.3')).toBe(true);
      expect(films.some(isVolumeSlice)).toBe(false);
    }
  });

  it('stacks cross-sectional slices, and for an unknown modality lets the geometry decide', () => {
    for (const modality of ['CT', 'MR', 'PT', 'NM']) {
      expect(groupSeries([1, 2, 3].map((n) => ({ ...slice(n, n), modality }))).map((g) => g.image.frames.length)).toEqual([3]);
    }
    // OT / missing modality: slices that say where they lie in space stack; flat pictures do not.
    const placed = [slice(0, 1), slice(1, 2)].map((s) => ({ ...s, modality: 'OT' }));
    expect(groupSeries(placed).map((g) => g.image.frames.length)).toEqual([2]);
    const flat = [1, 2].map((n) => ({ ...slice(0, n, { imagePositionPatient: undefined }), modality: null }));
    expect(groupSeries(flat).map((g) => g.image.frames.length)).toEqual([1, 1]);
    // Multi-frame files and files without any series identity are never slices.
    expect(isVolumeSlice({ ...slice(0, 1), frames: [new Float32Array(4), new Float32Array(4)] })).toBe(false);
    expect(isVolumeSlice({ ...slice(0, 1), series: undefined })).toBe(false);
  });
});
