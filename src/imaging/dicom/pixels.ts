import { ImagingError } from '../types';
import type { DecodedFrame } from './codecs';

/**
 * Stored sample values from raw bytes or a codec's output: BitsStored/HighBit
 * masking and sign extension (PixelRepresentation) happen here, once, for
 * every transfer syntax.
 */

export interface PixelModule {
  rows: number;
  columns: number;
  samplesPerPixel: number;
  bitsAllocated: number;
  bitsStored: number;
  highBit: number;
  signed: boolean;
  planarConfiguration: number;
  photometric: string;
}

/** Mask to BitsStored at HighBit, then sign-extend when signed. */
function makeStoredValue(pm: PixelModule): (raw: number) => number {
  const bits = Math.min(pm.bitsStored, pm.bitsAllocated);
  const shift = Math.max(0, pm.highBit + 1 - bits);
  const range = 2 ** bits;
  const half = range / 2;
  if (bits >= 32) return pm.signed ? (raw) => raw | 0 : (raw) => raw >>> 0;
  return (raw) => {
    let v = Math.floor((raw >>> 0) / 2 ** shift) % range;
    if (pm.signed && v >= half) v -= range;
    return v;
  };
}

/** Interleaved stored values of one uncompressed frame (or RLE output, always LE). */
export function nativeFrameValues(bytes: Uint8Array, pm: PixelModule, littleEndian: boolean, bitOffset = 0): Float32Array {
  const count = pm.rows * pm.columns * pm.samplesPerPixel;
  const out = new Float32Array(count);
  const stored = makeStoredValue(pm);
  const ba = pm.bitsAllocated;
  if (ba === 1) {
    for (let i = 0; i < count; i++) {
      const bit = bitOffset + i;
      out[i] = (bytes[bit >> 3] >> (bit & 7)) & 1;
    }
  } else if (ba === 8) {
    for (let i = 0; i < count; i++) out[i] = stored(bytes[i]);
  } else if (ba === 16) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (pm.bitsStored === 16 && pm.highBit === 15) {
      if (pm.signed) for (let i = 0; i < count; i++) out[i] = view.getInt16(i * 2, littleEndian);
      else for (let i = 0; i < count; i++) out[i] = view.getUint16(i * 2, littleEndian);
    } else for (let i = 0; i < count; i++) out[i] = stored(view.getUint16(i * 2, littleEndian));
  } else if (ba === 32) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < count; i++) out[i] = stored(view.getUint32(i * 4, littleEndian));
  } else {
    throw new ImagingError(`Bits Allocated ${ba} is not supported (1, 8, 16 or 32)`, 'corrupt');
  }
  return pm.samplesPerPixel > 1 && pm.planarConfiguration === 1 ? interleave(out, pm.rows * pm.columns, pm.samplesPerPixel) : out;
}

/**
 * Stored values from a codec. A codec that reports signed output (OpenJPEG for
 * a signed codestream) gives true values. Unsigned output is a bit pattern:
 * masked and sign-extended per the DICOM header, which also repairs J2K
 * streams whose sign flag disagrees with PixelRepresentation.
 */
export function codecFrameValues(frame: DecodedFrame, pm: PixelModule, file: string): Float32Array {
  if (frame.width !== pm.columns || frame.height !== pm.rows) {
    throw new ImagingError(
      `${file}: the compressed frame is ${frame.width}×${frame.height} but the header says ${pm.columns}×${pm.rows}`,
      'corrupt',
    );
  }
  const count = pm.rows * pm.columns * pm.samplesPerPixel;
  if (frame.pixels.length < count) {
    throw new ImagingError(`${file}: the codec returned ${frame.pixels.length} samples, expected ${count}`, 'corrupt');
  }
  const out = new Float32Array(count);
  const src = frame.pixels;
  if (frame.signed || (!pm.signed && frame.bitsPerSample <= pm.bitsStored)) {
    for (let i = 0; i < count; i++) out[i] = src[i];
  } else {
    const stored = makeStoredValue({ ...pm, highBit: pm.bitsStored - 1 });
    for (let i = 0; i < count; i++) out[i] = stored(src[i]);
  }
  return out;
}

function interleave(planar: Float32Array, pixels: number, samples: number): Float32Array {
  const out = new Float32Array(planar.length);
  for (let s = 0; s < samples; s++) for (let i = 0; i < pixels; i++) out[i * samples + s] = planar[s * pixels + i];
  return out;
}

/** YCbCr full range (PS3.3 C.7.6.3.1.2) to RGB, in place. */
export function ybrFullToRgb(values: Float32Array, maxValue = 255): Float32Array {
  const mid = (maxValue + 1) / 2;
  for (let i = 0; i + 2 < values.length; i += 3) {
    const y = values[i], cb = values[i + 1] - mid, cr = values[i + 2] - mid;
    values[i] = clamp(y + 1.402 * cr, maxValue);
    values[i + 1] = clamp(y - 0.344136 * cb - 0.714136 * cr, maxValue);
    values[i + 2] = clamp(y + 1.772 * cb, maxValue);
  }
  return values;
}

/**
 * Native YBR_FULL_422: each pair of pixels is stored Y1 Y2 Cb Cr. Expanded
 * to one YCbCr triple per pixel, then converted to RGB.
 */
export function ybr422NativeToRgb(bytes: Uint8Array, rows: number, columns: number): Float32Array {
  const out = new Float32Array(rows * columns * 3);
  let src = 0;
  for (let p = 0; p < rows * columns; p += 2) {
    const y1 = bytes[src], y2 = bytes[src + 1], cb = bytes[src + 2], cr = bytes[src + 3];
    src += 4;
    out.set([y1, cb, cr], p * 3);
    if (p + 1 < rows * columns) out.set([y2, cb, cr], (p + 1) * 3);
  }
  return ybrFullToRgb(out);
}

function clamp(v: number, max: number): number {
  return v < 0 ? 0 : v > max ? max : Math.round(v);
}
