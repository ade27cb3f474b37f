import { ImagingError } from '../types';

/**
 * The one place that loads compressed-pixel codecs. Each is imported lazily,
 * the first time a file needs it, so a plain PNG never pays for OpenJPEG.
 * Node: the emscripten factory finds its .wasm beside its .js. Browser/worker:
 * Vite-provided asset URLs are passed through locateFile.
 * Emscripten's stdout printing is routed to stderr so CLI stdout stays JSON.
 */

export interface DecodedFrame {
  /** Samples as decoded, pixel-interleaved; 16-bit data as Uint16/Int16. */
  pixels: Uint8Array | Uint16Array | Int16Array;
  width: number;
  height: number;
  components: number;
  bitsPerSample: number;
  signed: boolean;
}

type CodecName = 'openjpeg' | 'openjph' | 'charls' | 'libjpegTurbo';

const IS_NODE = typeof process === 'object' && typeof process.versions?.node === 'string' && typeof window === 'undefined';

const loaded = new Map<CodecName, Promise<EmscriptenCodecModule>>();

async function importFactory(name: CodecName): Promise<EmscriptenCodecFactory> {
  const mod =
    name === 'openjpeg'
      ? await import('@cornerstonejs/codec-openjpeg/decodewasmjs')
      : name === 'openjph'
        ? await import('@cornerstonejs/codec-openjph/wasmjs')
        : name === 'charls'
        ? await import('@cornerstonejs/codec-charls/decodewasmjs')
        : await import('@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs');
  const factory = (mod as { default?: unknown }).default ?? mod;
  return ((factory as { default?: unknown }).default ?? factory) as EmscriptenCodecFactory;
}

function toStderr(text: string): void {
  // OpenJPEG narrates every header it reads; keep only warnings and errors.
  if (text.startsWith('[INFO]')) return;
  if (IS_NODE) process.stderr.write(text + '\n');
  else console.warn(text);
}

async function loadCodec(name: CodecName): Promise<EmscriptenCodecModule> {
  const factory = await importFactory(name);
  const options: Parameters<EmscriptenCodecFactory>[0] = { print: toStderr, printErr: toStderr };
  if (!IS_NODE) {
    const { codecWasmUrls } = await import('./codec-wasm-urls');
    const url = codecWasmUrls[name];
    options.locateFile = (path: string) => (path.endsWith('.wasm') ? url : path);
  }
  return factory(options);
}

function codec(name: CodecName): Promise<EmscriptenCodecModule> {
  let p = loaded.get(name);
  if (!p) {
    p = loadCodec(name);
    // A failed load (e.g. a missing asset) may be retried later.
    p.catch(() => loaded.delete(name));
    loaded.set(name, p);
  }
  return p;
}

function runEmscriptenDecoder(decoder: EmscriptenCodecDecoder, data: Uint8Array): DecodedFrame {
  try {
    decoder.getEncodedBuffer(data.length).set(data);
    decoder.decode();
    const info = decoder.getFrameInfo();
    const heap = decoder.getDecodedBuffer();
    const bytes = heap.slice(); // copy off the wasm heap before delete()
    const signed = !!info.isSigned;
    const pixels =
      info.bitsPerSample > 8
        ? signed
          ? new Int16Array(bytes.buffer, 0, bytes.length >> 1)
          : new Uint16Array(bytes.buffer, 0, bytes.length >> 1)
        : bytes;
    return { pixels, width: info.width, height: info.height, components: info.componentCount, bitsPerSample: info.bitsPerSample, signed };
  } finally {
    decoder.delete();
  }
}

export async function decodeJpeg2000(data: Uint8Array): Promise<DecodedFrame> {
  const m = await codec('openjpeg');
  return runEmscriptenDecoder(new m.J2KDecoder!(), data);
}

/** High-Throughput JPEG 2000 (Part 15) with OpenJPH; like OpenJPEG it undoes the component transform. */
export async function decodeHtj2k(data: Uint8Array): Promise<DecodedFrame> {
  const m = await codec('openjph');
  return runEmscriptenDecoder(new m.HTJ2KDecoder!(), data);
}

export async function decodeJpegLs(data: Uint8Array): Promise<DecodedFrame> {
  const m = await codec('charls');
  return runEmscriptenDecoder(new m.JpegLSDecoder!(), data);
}

/** 8-bit baseline/extended JPEG; libjpeg-turbo's 8-bit build refuses 12-bit data. */
export async function decodeJpeg8(data: Uint8Array): Promise<DecodedFrame> {
  const m = await codec('libjpegTurbo');
  return runEmscriptenDecoder(new m.JPEGDecoder!(), data);
}

/** JPEG lossless (process 14, SV1), pure JS. */
export async function decodeJpegLossless(data: Uint8Array, bytesPerSample: 1 | 2): Promise<DecodedFrame> {
  const { Decoder } = await import('jpeg-lossless-decoder-js');
  const copy = zeroFillBeforeEoi(data);
  const out = new Decoder().decode(copy.buffer, 0, copy.length, bytesPerSample);
  const sof = readSof(data);
  const pixels = bytesPerSample === 2 ? new Uint16Array(out.buffer, out.byteOffset, out.byteLength >> 1) : new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  return { pixels, width: sof.width, height: sof.height, components: sof.components, bitsPerSample: sof.precision, signed: false };
}

/**
 * libjpeg feeds zero bits when entropy-coded data meets a marker early; the JS
 * lossless decoder instead drops the last sample (seen on an SV1 CT slice whose
 * final Huffman code ends exactly at EOI). A few zero bytes before EOI give the
 * libjpeg behaviour.
 */
function zeroFillBeforeEoi(data: Uint8Array): Uint8Array {
  let end = data.length;
  while (end > 2 && data[end - 1] === 0x00) end--;
  if (end < 2 || data[end - 2] !== 0xff || data[end - 1] !== 0xd9) return data.slice();
  const out = new Uint8Array(end + 4);
  out.set(data.subarray(0, end - 2), 0);
  out[end + 2] = 0xff;
  out[end + 3] = 0xd9;
  return out;
}

/** The first start-of-frame header of a JPEG stream: precision, size, components, SOF type. */
export function readSof(data: Uint8Array): { sof: number; precision: number; width: number; height: number; components: number } {
  let i = 2;
  while (i + 9 < data.length) {
    if (data[i] !== 0xff) { i++; continue; }
    const marker = data[i + 1];
    if (marker === 0xff || marker === 0x00 || (marker >= 0xd0 && marker <= 0xd8)) { i += marker === 0xff ? 1 : 2; continue; }
    const len = (data[i + 2] << 8) | data[i + 3];
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return {
        sof: marker,
        precision: data[i + 4],
        height: (data[i + 5] << 8) | data[i + 6],
        width: (data[i + 7] << 8) | data[i + 8],
        components: data[i + 9],
      };
    }
    i += 2 + len;
  }
  throw new ImagingError('JPEG stream has no start-of-frame header', 'corrupt');
}
