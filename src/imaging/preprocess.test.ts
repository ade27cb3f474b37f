import { describe, expect, it } from 'vitest';
import {
  applyVoiLut,
  applyWindow,
  cleanNonFinite,
  fitRect,
  frameStats,
  normalize,
  prepareModelInput,
  resizeArea,
  resizeBilinear,
  rgbToGrey,
  toDisplayGrey,
} from './preprocess';
import type { DecodedImage, InputSpec } from './types';

function image(values: number[], rows: number, columns: number, extra: Partial<DecodedImage> = {}): DecodedImage {
  return {
    file: 'test',
    format: 'dicom',
    modality: 'CR',
    photometric: 'MONOCHROME2',
    transferSyntax: null,
    rows,
    columns,
    samplesPerPixel: 1,
    frames: [Float32Array.from(values)],
    units: 'stored',
    windows: [],
    metadata: [],
    ...extra,
  };
}

const SPEC: InputSpec = {
  size: [2, 2],
  channels: 1,
  fit: 'stretch',
  interpolation: 'area',
  window: { kind: 'display' },
  normalization: { kind: 'zscore-image' },
};

describe('VOI window (PS3.3 C.11.2.1.2.1)', () => {
  it('maps an 8-bit full-range window to value/255 exactly', () => {
    const out = applyWindow([0, 1, 128, 255], { center: 128, width: 256 });
    expect(Array.from(out)).toEqual([0, 1 / 255, 128 / 255, 1].map((v) => Math.fround(v)));
  });

  it('clamps below and above the window and is linear inside', () => {
    // Lung window -600/1500: -1350.5 .. 149.5 HU
    const out = applyWindow([-2000, -1351, -600, 149.5, 3000], { center: -600, width: 1500 });
    expect(out[0]).toBe(0);
    expect(out[1]).toBe(0);
    expect(out[2]).toBeCloseTo(0.5 + 0.5 / 1499, 6);
    expect(out[3]).toBeCloseTo(1, 6);
    expect(out[4]).toBe(1);
  });

  it('keeps a sub-unit width for float data instead of dividing by zero', () => {
    const out = applyWindow([0, 0.25, 0.5], { center: 0.25, width: 0.5 });
    expect(Array.from(out)).toEqual([0, 0.5, 1]);
  });
});

describe('VOI LUT', () => {
  it('looks values up and clamps outside the table', () => {
    const lut = { firstMapped: 10, bitsPerEntry: 8, data: Uint16Array.from([0, 51, 255]) };
    expect(Array.from(applyVoiLut([5, 10, 11, 12, 99], lut))).toEqual([0, 0, 0.2, 1, 1].map((v) => Math.fround(v)));
  });
});

describe('non-finite values and constant images', () => {
  it('replaces NaN and -Inf with the finite minimum and +Inf with the maximum', () => {
    const out = cleanNonFinite(Float32Array.from([NaN, 3, -Infinity, 7, Infinity]));
    expect(Array.from(out)).toEqual([3, 3, 3, 7, 7]);
  });

  it('returns the same array when nothing needs cleaning, and zeros when nothing is finite', () => {
    const clean = Float32Array.from([1, 2]);
    expect(cleanNonFinite(clean)).toBe(clean);
    expect(Array.from(cleanNonFinite(Float32Array.from([NaN, Infinity])))).toEqual([0, 0]);
  });

  it('computes stats over finite values only', () => {
    expect(frameStats([1, NaN, 3])).toEqual({ min: 1, max: 3, mean: 2, finite: 2 });
  });

  it('gives zeros, not NaN, for a constant image under z-score', () => {
    const input = prepareModelInput(image([5, 5, 5, 5], 2, 2), 0, SPEC);
    expect(Array.from(input)).toEqual([0, 0, 0, 0]);
  });

  it('survives an all-NaN frame', () => {
    const input = prepareModelInput(image([NaN, NaN, NaN, NaN], 2, 2), 0, SPEC);
    expect(Array.from(input).every((v) => v === 0)).toBe(true);
  });
});

describe('display grey', () => {
  it('inverts MONOCHROME1 so bright always means dense', () => {
    const mono2 = toDisplayGrey(image([0, 100], 1, 2, { windows: [{ center: 50, width: 100 }] }));
    const mono1 = toDisplayGrey(image([0, 100], 1, 2, { windows: [{ center: 50, width: 100 }], photometric: 'MONOCHROME1' }));
    expect(mono1[0]).toBeCloseTo(1 - mono2[0], 6);
    expect(mono1[1]).toBeCloseTo(1 - mono2[1], 6);
    expect(mono1[0]).toBeGreaterThan(mono1[1]);
  });

  it('falls back to the min-max window when the file has none', () => {
    expect(Array.from(toDisplayGrey(image([-1000, 0, 1000], 1, 3)))).toEqual([0, 0.5, 1]);
  });

  it('uses BT.601 luma for colour', () => {
    expect(Array.from(rgbToGrey([255, 0, 0, 0, 255, 0, 0, 0, 255], 3))).toEqual(
      [0.299 * 255, 0.587 * 255, 0.114 * 255].map((v) => Math.fround(v)),
    );
  });
});

describe('resizing', () => {
  it('area-averages 2×2 blocks exactly when halving', () => {
    // prettier-ignore
    const src = [
      1, 3, 5, 7,
      1, 3, 5, 7,
      2, 2, 8, 8,
      4, 4, 8, 8,
    ];
    expect(Array.from(resizeArea(src, 4, 4, 2, 2))).toEqual([2, 6, 3, 8]);
  });

  it('weights fractional source pixels by the area they cover', () => {
    // 3 → 2: the output pixels cover [0,1.5) and [1.5,3).
    const out = resizeArea([0, 3, 6], 3, 1, 2, 1);
    expect(out[0]).toBeCloseTo((0 * 1 + 3 * 0.5) / 1.5, 6);
    expect(out[1]).toBeCloseTo((3 * 0.5 + 6 * 1) / 1.5, 6);
  });

  it('replicates pixels when upsampling by a whole factor', () => {
    expect(Array.from(resizeArea([1, 2], 2, 1, 4, 1))).toEqual([1, 1, 2, 2]);
  });

  it('keeps the centre for center-crop and the whole image for stretch', () => {
    expect(fitRect(200, 100, 64, 64, 'stretch')).toEqual([0, 0, 200, 100]);
    expect(fitRect(200, 100, 64, 64, 'center-crop')).toEqual([50, 0, 100, 100]);
  });

  it('bilinear with half-pixel centres interpolates midway', () => {
    expect(Array.from(resizeBilinear([0, 4], 2, 1, 4, 1))).toEqual([0, 1, 3, 4]);
  });
});

describe('normalization and layout', () => {
  it('z-scores with the population standard deviation', () => {
    const out = normalize(Float32Array.from([1, 3]), { kind: 'zscore-image' });
    expect(Array.from(out)).toEqual([-1, 1]);
  });

  it('applies a fixed mean/std per channel', () => {
    const out = normalize(Float32Array.from([0.5, 1]), { kind: 'fixed', mean: [0.5], std: [0.25] });
    expect(Array.from(out)).toEqual([0, 2]);
  });

  it('repeats the grey channel when the card wants three channels (HWC)', () => {
    const spec: InputSpec = { ...SPEC, size: [1, 2], channels: 3, normalization: { kind: 'unit' } };
    const input = prepareModelInput(image([0, 10], 1, 2), 0, spec);
    expect(Array.from(input)).toEqual([0, 0, 0, 1, 1, 1]);
  });

  it('applies a card window in the image units before resizing', () => {
    const spec: InputSpec = { ...SPEC, size: [1, 2], window: { kind: 'window', center: 40, width: 400 }, normalization: { kind: 'unit' } };
    const input = prepareModelInput(image([-1000, 1000], 1, 2, { units: 'HU' }), 0, spec);
    expect(Array.from(input)).toEqual([0, 1]);
  });
});
