import { readFileSync } from 'node:fs';
import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { requireSharedData } from '../test-data';
import { decodeFile } from './decode';
import { volumeStats } from './inspect';
import { niftiUnits } from './nifti';

/** A NIfTI-1 single file (n+1) with the given datatype, voxels and scaling. */
function makeNifti(dims: [number, number, number], datatype: number, bitpix: number, voxels: ArrayBufferView, slope: number, inter: number): Uint8Array {
  const header = new DataView(new ArrayBuffer(352));
  header.setInt32(0, 348, true);
  header.setInt16(40, 3, true);
  dims.forEach((d, i) => header.setInt16(42 + i * 2, d, true));
  for (let i = 3; i < 7; i++) header.setInt16(42 + i * 2, 1, true);
  header.setInt16(70, datatype, true);
  header.setInt16(72, bitpix, true);
  for (let i = 0; i < 4; i++) header.setFloat32(76 + i * 4, 1, true);
  header.setFloat32(108, 352, true);
  header.setFloat32(112, slope, true);
  header.setFloat32(116, inter, true);
  [0x6e, 0x2b, 0x31, 0].forEach((c, i) => header.setUint8(344 + i, c));
  const out = new Uint8Array(352 + voxels.byteLength);
  out.set(new Uint8Array(header.buffer), 0);
  out.set(new Uint8Array(voxels.buffer, voxels.byteOffset, voxels.byteLength), 352);
  return out;
}

describe('NIfTI', () => {
  it('applies scl_slope/scl_inter, and slope 0 means none', async () => {
    const vox = new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7]);
    const scaled = await decodeFile('s.nii', makeNifti([2, 2, 2], 2, 8, vox, 2, -10));
    expect(Array.from(scaled.frames[0]).sort((a, b) => a - b)).toEqual([-10, -8, -6, -4]);
    const unscaled = await decodeFile('u.nii', makeNifti([2, 2, 2], 2, 8, vox, 0, 99));
    expect(volumeStats(unscaled).max).toBe(7);
    expect(unscaled.units).toBe('intensity');
  });

  it('orients slices consistently: frame k, row 0 is voxel row j = ny-1', async () => {
    const vox = new Int16Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]); // nx=2, ny=3, nz=2
    const img = await decodeFile('o.nii.gz', gzipSync(new Uint8Array(makeNifti([2, 3, 2], 4, 16, vox, 1, 0))));
    expect([img.columns, img.rows, img.frames.length]).toEqual([2, 3, 2]);
    expect(Array.from(img.frames[0])).toEqual([5, 6, 3, 4, 1, 2]);
    expect(Array.from(img.frames[1])).toEqual([11, 12, 9, 10, 7, 8]);
  });

  it('keeps NaN and Inf for preprocess.cleanNonFinite', async () => {
    const img = await decodeFile('f.nii', makeNifti([2, 1, 1], 16, 32, new Float32Array([NaN, Infinity]), 1, 0));
    expect(Number.isNaN(img.frames[0][0])).toBe(true);
    expect(img.frames[0][1]).toBe(Infinity);
  });

  it('says HU for the TotalSegmentator CT (int32), not for the scaled uint8 angiogram or a label map', async () => {
    const ct = await decodeFile('ct', new Uint8Array(readFileSync(requireSharedData('nifti', 'totalseg_example_ct_sm.nii.gz'))));
    expect(ct.units).toBe('HU');
    expect(volumeStats(ct).min).toBe(-1100);
    const avm = await decodeFile('avm', new Uint8Array(readFileSync(requireSharedData('nifti', 'niivue_CT_AVM.nii.gz'))));
    expect(avm.units).toBe('intensity');
    const seg = await decodeFile('seg', new Uint8Array(readFileSync(requireSharedData('nifti', 'totalseg_example_seg_for_ct_sm.nii.gz'))));
    expect(seg.units).toBe('intensity');
    expect(niftiUnits(4, 1, 0, -1024)).toBe('HU');
    expect(niftiUnits(2, 1, 0, 0)).toBe('intensity');
  });

  it('reports a truncated gzip volume', async () => {
    const bytes = new Uint8Array(readFileSync(requireSharedData('nifti', 'totalseg_example_ct_sm.nii.gz')));
    await expect(decodeFile('cut.nii.gz', bytes.subarray(0, 20000))).rejects.toThrow(/cut\.nii\.gz: .*truncated/);
  });
});
