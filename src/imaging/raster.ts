import { decode as decodePng } from 'fast-png';
import jpeg from 'jpeg-js';
import { ImagingError, type DecodedImage } from './types';

/**
 * PNG and JPEG decoding in pure JS, so the page (in its worker) and the CLI
 * produce bit-identical pixels; the browser's own decoders differ by a grey
 * level here and there, which would break CLI/page parity.
 */

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && PNG_MAGIC.every((b, i) => bytes[i] === b);
}

export function isJpeg(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

/** Largest side we decode; bigger rasters are refused before allocation. */
export const MAX_RASTER_PIXELS = 8192 * 8192;

export function decodeRaster(file: string, bytes: Uint8Array): DecodedImage {
  if (isPng(bytes)) return decodePngImage(file, bytes);
  if (isJpeg(bytes)) return decodeJpegImage(file, bytes);
  throw new ImagingError(`${file}: not a PNG or JPEG image`, 'unsupported-format');
}

function decodePngImage(file: string, bytes: Uint8Array): DecodedImage {
  let png;
  try {
    png = decodePng(bytes);
  } catch (e) {
    throw new ImagingError(`${file}: the PNG is damaged or truncated (${(e as Error).message})`, 'truncated');
  }
  const { width, height, channels } = png;
  checkSize(file, width, height);
  const data = png.data as ArrayLike<number>;
  const max = png.depth === 16 ? 65535 : (1 << png.depth) - 1;
  const palette = png.palette;
  const out = toFrame(width * height, channels, (i, c) => {
    if (palette) {
      const entry = palette[data[i]];
      return entry ? entry[Math.min(c, entry.length - 1)] : 0;
    }
    return data[i * channels + c];
  }, palette ? 3 : channels);
  return rasterImage(file, 'png', width, height, out.samplesPerPixel, out.pixels, palette ? 255 : max);
}

function decodeJpegImage(file: string, bytes: Uint8Array): DecodedImage {
  let img;
  try {
    img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, maxMemoryUsageInMB: 1024, maxResolutionInMP: 100 });
  } catch (e) {
    throw new ImagingError(`${file}: the JPEG is damaged or truncated (${(e as Error).message})`, 'truncated');
  }
  const { width, height, data } = img;
  checkSize(file, width, height);
  const channels = data.length / (width * height);
  const out = toFrame(width * height, channels, (i, c) => data[i * channels + c], channels);
  return rasterImage(file, 'jpeg', width, height, out.samplesPerPixel, out.pixels, 255);
}

function checkSize(file: string, width: number, height: number): void {
  if (!width || !height) throw new ImagingError(`${file}: the image has zero size (${width}×${height})`, 'empty-image');
  if (width * height > MAX_RASTER_PIXELS)
    throw new ImagingError(
      `${file}: ${width}×${height} is larger than the ${Math.sqrt(MAX_RASTER_PIXELS)}×${Math.sqrt(MAX_RASTER_PIXELS)} limit for PNG/JPEG`,
      'too-large',
    );
}

/** Grey stays one sample; anything with colour keeps RGB; alpha is dropped. */
function toFrame(
  count: number,
  channels: number,
  sample: (pixel: number, channel: number) => number,
  effectiveChannels: number,
): { samplesPerPixel: 1 | 3; pixels: Float32Array } {
  if (effectiveChannels <= 2) {
    const pixels = new Float32Array(count);
    for (let i = 0; i < count; i++) pixels[i] = sample(i, 0);
    return { samplesPerPixel: 1, pixels };
  }
  const pixels = new Float32Array(count * 3);
  let grey = true;
  for (let i = 0; i < count; i++) {
    const r = sample(i, 0), g = sample(i, 1), b = sample(i, 2);
    pixels[i * 3] = r;
    pixels[i * 3 + 1] = g;
    pixels[i * 3 + 2] = b;
    if (grey && (r !== g || g !== b)) grey = false;
  }
  if (!grey) return { samplesPerPixel: 3, pixels };
  const single = new Float32Array(count);
  for (let i = 0; i < count; i++) single[i] = pixels[i * 3];
  return { samplesPerPixel: 1, pixels: single };
}

function rasterImage(
  file: string,
  format: 'png' | 'jpeg',
  width: number,
  height: number,
  samplesPerPixel: 1 | 3,
  pixels: Float32Array,
  maxValue: number,
): DecodedImage {
  return {
    file,
    format,
    modality: null,
    photometric: samplesPerPixel === 3 ? 'RGB' : 'MONOCHROME2',
    transferSyntax: null,
    rows: height,
    columns: width,
    samplesPerPixel,
    frames: [pixels],
    units: 'intensity',
    // A photograph's full range is its natural display window.
    windows: [{ center: (maxValue + 1) / 2, width: maxValue + 1, source: 'file', name: 'full range' }],
    metadata: [],
  };
}
