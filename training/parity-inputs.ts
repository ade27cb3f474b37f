/**
 * The fixed parity images as model inputs through the serving pipeline
 * (decodeRaster → prepareModelInput with the card's InputSpec), each with the
 * sha256 of its float32 little-endian bytes. Node only.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeRaster } from '../src/imaging/raster';
import { prepareModelInput } from '../src/imaging/preprocess';
import type { InputSpec } from '../src/imaging/types';

export const PARITY_DIR = join(import.meta.dirname, 'parity');

export interface ParityImage {
  file: string;
  label: string;
}

export interface ParityInput extends ParityImage {
  tensor: Float32Array;
  sha256: string;
}

export function parityImages(): ParityImage[] {
  return (JSON.parse(readFileSync(join(PARITY_DIR, 'images.json'), 'utf8')) as { images: ParityImage[] }).images;
}

export function tensorSha256(tensor: Float32Array): string {
  const le = new Uint8Array(tensor.length * 4);
  const view = new DataView(le.buffer);
  tensor.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return createHash('sha256').update(le).digest('hex');
}

export function parityInputs(dataDir: string, spec: InputSpec): ParityInput[] {
  return parityImages().map((image) => {
    const bytes = new Uint8Array(readFileSync(join(dataDir, image.file)));
    const tensor = prepareModelInput(decodeRaster(image.file, bytes), 0, spec);
    return { ...image, tensor, sha256: tensorSha256(tensor) };
  });
}
