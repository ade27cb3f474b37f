import { ImagingError } from '../types';

/**
 * DICOM RLE Lossless (PS3.5 Annex G). A frame is a 64-byte header (segment
 * count, then 15 segment offsets) followed by PackBits segments, one per byte
 * plane: for each sample, most significant byte first. The result is laid out
 * as native little-endian, pixel-interleaved samples, so the same sample
 * reader as uncompressed data applies.
 */
export function decodeRleFrame(
  data: Uint8Array,
  rows: number,
  columns: number,
  samplesPerPixel: number,
  bitsAllocated: number,
): Uint8Array {
  const bytesPerSample = bitsAllocated >> 3;
  const pixels = rows * columns;
  if (data.length < 64) throw new ImagingError('RLE frame is shorter than its 64-byte header', 'truncated');
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const segments = view.getUint32(0, true);
  const expected = samplesPerPixel * bytesPerSample;
  if (segments !== expected) {
    throw new ImagingError(`RLE frame has ${segments} segments, expected ${expected} (${samplesPerPixel} samples × ${bytesPerSample} bytes)`, 'corrupt');
  }
  const out = new Uint8Array(pixels * expected);
  for (let s = 0; s < segments; s++) {
    const start = view.getUint32(4 + 4 * s, true);
    const end = s + 1 < segments ? view.getUint32(8 + 4 * s, true) : data.length;
    if (start < 64 || start > data.length || end < start) throw new ImagingError(`RLE segment ${s + 1} has a bad offset`, 'corrupt');
    const sample = Math.floor(s / bytesPerSample);
    // Segment order within a sample is most significant byte first; LE output puts it last.
    const byteInSample = bytesPerSample - 1 - (s % bytesPerSample);
    const stride = expected;
    let o = sample * bytesPerSample + byteInSample;
    const outEnd = out.length;
    let i = start;
    let written = 0;
    while (i < end && written < pixels) {
      const n = data[i++];
      if (n < 128) {
        const count = n + 1;
        for (let k = 0; k < count && written < pixels && i < end; k++, written++, o += stride) out[o] = data[i++];
      } else if (n > 128) {
        const count = 257 - n;
        const value = data[i++];
        for (let k = 0; k < count && written < pixels; k++, written++, o += stride) out[o] = value;
      }
      // n === 128 is a no-op by definition.
    }
    if (written < pixels || o > outEnd + stride) {
      throw new ImagingError(`RLE segment ${s + 1} ends early (${written} of ${pixels} pixels)`, 'truncated');
    }
  }
  return out;
}
