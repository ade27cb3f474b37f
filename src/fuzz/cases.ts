import { readFileSync, readdirSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { gunzipSync, gzipSync } from 'fflate';
import { seededRandom } from '../ml/random';
import { requireSharedData } from '../test-data';

/**
 * Damaged files for the fuzz test, made with a fixed seed from real shared
 * images (never stored: the same seed makes the same files on any machine).
 * Kinds: truncated, bit-flipped, spliced (head of one file, tail of another),
 * wrong extension, zero bytes, a huge declared size (rows/columns, PNG IHDR,
 * JPEG SOF, NIfTI dim), and a DICOM element whose length runs past the end.
 */

export type FuzzKind = 'truncated' | 'bit-flipped' | 'spliced' | 'wrong-extension' | 'zero-bytes' | 'huge-size' | 'length-lie';
export const FUZZ_KINDS: FuzzKind[] = ['truncated', 'bit-flipped', 'spliced', 'wrong-extension', 'zero-bytes', 'huge-size', 'length-lie'];

export interface FuzzCase {
  name: string;
  kind: FuzzKind;
  source: string;
  bytes: Uint8Array;
}

interface Seed {
  path: string;
  bytes: Uint8Array;
}

function listFiles(dir: string, take: number, filter: (n: string) => boolean = () => true): string[] {
  return readdirSync(dir).filter(filter).sort().slice(0, take).map((n) => join(dir, n));
}

/** A spread of every format the decoders take: JPEG and PNG films, DICOM in 16+ transfer syntaxes, a series, NIfTI. */
export function seedFiles(): Seed[] {
  const xray = (label: string) => listFiles(requireSharedData('xray', 'kermany224', 'train', label), 6, (n) => /\.jpe?g$/i.test(n));
  const paths = [
    ...xray('NORMAL'),
    ...xray('PNEUMONIA'),
    ...listFiles(requireSharedData('ct', 'covid-ct', 'train', 'COVID'), 3, (n) => /\.(png|jpe?g)$/i.test(n)),
    ...listFiles(requireSharedData('ct', 'covid-ct', 'train', 'NonCOVID'), 3, (n) => /\.(png|jpe?g)$/i.test(n)),
    ...listFiles(requireSharedData('dicom', 'cornerstone'), 40),
    ...listFiles(requireSharedData('dicom', 'pydicom'), 40),
    ...listFiles(requireSharedData('dicom', 'pydicom_data'), 2),
    ...listFiles(requireSharedData('dicom_series', 'totalsegmentator_ct_j2k'), 3),
    requireSharedData('nifti', 'totalseg_example_ct_sm.nii.gz'),
    requireSharedData('nifti', 'totalseg_example_seg_for_ct_sm.nii.gz'),
    requireSharedData('nifti', 'niivue_CT_AVM.nii.gz'),
  ];
  return paths.map((path) => ({ path, bytes: new Uint8Array(readFileSync(path)) }));
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function indexOf(bytes: Uint8Array, pattern: number[], from = 0): number {
  outer: for (let i = from; i <= bytes.length - pattern.length; i++) {
    for (let j = 0; j < pattern.length; j++) if (bytes[i + j] !== pattern[j]) continue outer;
    return i;
  }
  return -1;
}

const isPng = (b: Uint8Array) => b[0] === 0x89 && b[1] === 0x50;
const isJpeg = (b: Uint8Array) => b[0] === 0xff && b[1] === 0xd8;
const isGzip = (b: Uint8Array) => b[0] === 0x1f && b[1] === 0x8b;

/** Claims a size far beyond any real image, with the header otherwise valid (checksums fixed). */
function hugeSize(bytes: Uint8Array, rand: () => number): Uint8Array | null {
  const out = bytes.slice();
  const view = new DataView(out.buffer);
  if (isPng(out)) {
    view.setUint32(16, 0x7fffffff);
    view.setUint32(20, rand() < 0.5 ? 0x7fffffff : 65535);
    view.setUint32(29, crc32(out.subarray(12, 29)));
    return out;
  }
  if (isJpeg(out)) {
    for (const sof of [0xc0, 0xc1, 0xc2]) {
      const i = indexOf(out, [0xff, sof]);
      if (i > 0) {
        view.setUint16(i + 5, 65535);
        view.setUint16(i + 7, 65535);
        return out;
      }
    }
    return null;
  }
  if (isGzip(out)) {
    const raw = gunzipSync(out).slice();
    const v = new DataView(raw.buffer);
    for (let d = 1; d <= 3; d++) v.setInt16(40 + 2 * d, 32767, true);
    return gzipSync(raw);
  }
  // DICOM Rows (0028,0010) and Columns (0028,0011), little endian explicit ('US') or implicit.
  let hits = 0;
  for (const el of [0x10, 0x11]) {
    const explicit = indexOf(out, [0x28, 0x00, el, 0x00, 0x55, 0x53, 0x02, 0x00]);
    const implicit = indexOf(out, [0x28, 0x00, el, 0x00, 0x02, 0x00, 0x00, 0x00]);
    const big = indexOf(out, [0x00, 0x28, 0x00, el, 0x55, 0x53, 0x00, 0x02]);
    const at = explicit >= 0 ? explicit : implicit >= 0 ? implicit : big;
    if (at >= 0) {
      out[at + 8] = 0xff;
      out[at + 9] = 0xff;
      hits++;
    }
  }
  return hits ? out : null;
}

/** Sets the 32-bit length of a DICOM element in the data set to nearly 4 GiB. */
function lengthLie(bytes: Uint8Array, rand: () => number): Uint8Array | null {
  const out = bytes.slice();
  const view = new DataView(out.buffer);
  // Pixel Data (7FE0,0010) with OB/OW: explicit VR has 2 reserved bytes then a 4-byte length.
  const pixel = indexOf(out, [0xe0, 0x7f, 0x10, 0x00]);
  if (pixel >= 0 && pixel + 12 <= out.length) {
    const explicit = out[pixel + 4] === 0x4f; // 'O'
    view.setUint32(pixel + (explicit ? 8 : 4), 0xfffffff0 - Math.floor(rand() * 1000) * 2, true);
    return out;
  }
  return null;
}

const OTHER_EXT = ['.png', '.jpg', '.dcm', '.nii', '.nii.gz', '.txt', ''];

function mutate(kind: FuzzKind, seed: Seed, other: Seed, rand: () => number): { bytes: Uint8Array; ext: string } | null {
  const { bytes } = seed;
  const ext = seed.path.endsWith('.nii.gz') ? '.nii.gz' : extname(seed.path);
  const cut = (b: Uint8Array, min = 0) => Math.min(b.length - 1, Math.max(min, Math.floor(rand() * b.length)));
  switch (kind) {
    case 'truncated':
      // Mostly inside the header or the first part of the pixels, where parsers are most fragile.
      return { bytes: bytes.slice(0, rand() < 0.5 ? Math.floor(rand() * Math.min(bytes.length, 2048)) : cut(bytes)), ext };
    case 'bit-flipped': {
      const out = bytes.slice();
      const flips = 1 + Math.floor(rand() * 64);
      // Half the flips land in the first 4 kB (headers), half anywhere.
      for (let i = 0; i < flips; i++) {
        const at = rand() < 0.5 ? Math.floor(rand() * Math.min(out.length, 4096)) : Math.floor(rand() * out.length);
        out[at] ^= 1 << Math.floor(rand() * 8);
      }
      return { bytes: out, ext };
    }
    case 'spliced': {
      const head = bytes.subarray(0, cut(bytes, 1));
      const tail = other.bytes.subarray(cut(other.bytes));
      const out = new Uint8Array(head.length + tail.length);
      out.set(head);
      out.set(tail, head.length);
      return { bytes: out, ext };
    }
    case 'wrong-extension': {
      const choices = OTHER_EXT.filter((e) => e !== ext);
      // Sometimes the content is damaged too: a wrong name must not hide a broken file.
      const body = rand() < 0.5 ? bytes : bytes.slice(0, cut(bytes, 1));
      return { bytes: body, ext: choices[Math.floor(rand() * choices.length)] };
    }
    case 'zero-bytes':
      return { bytes: new Uint8Array(0), ext };
    case 'huge-size': {
      const out = hugeSize(bytes, rand);
      return out ? { bytes: out, ext } : null;
    }
    case 'length-lie': {
      const out = lengthLie(bytes, rand);
      return out ? { bytes: out, ext } : null;
    }
  }
}

/** `count` damaged files from the seeds, the same for the same `seed`. */
export function makeFuzzCases(count: number, seed = 20261201, seeds: Seed[] = seedFiles()): FuzzCase[] {
  const rand = seededRandom(seed);
  const out: FuzzCase[] = [];
  for (let i = 0; out.length < count && i < count * 20; i++) {
    const kind = FUZZ_KINDS[Math.floor(rand() * FUZZ_KINDS.length)];
    const s = seeds[Math.floor(rand() * seeds.length)];
    const other = seeds[Math.floor(rand() * seeds.length)];
    const made = mutate(kind, s, other, rand);
    if (!made) continue; // e.g. no Pixel Data tag in a JPEG: draw again
    const stem = basename(s.path).replace(/\.nii\.gz$/, '').replace(/\.[^.]+$/, '').replace(/[^\w.-]+/g, '_').slice(0, 60);
    out.push({ name: `${String(out.length).padStart(4, '0')}-${kind}-${stem}${made.ext}`, kind, source: s.path, bytes: made.bytes });
  }
  return out;
}
