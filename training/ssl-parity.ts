/** Which films the SSL trunk's parity check uses, and where the trunk lives. Node only. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TrunkCard } from '../src/ml/trunk/types';
import { parityImages, tensorSha256, type ParityInput } from './parity-inputs';
import { decodeRaster } from '../src/imaging/raster';
import { prepareModelInput } from '../src/imaging/preprocess';

export const SSL_TRUNK_ID = 'radiology-ssl-trunk';
export const SSL_TRUNK_DIR = join(import.meta.dirname, '../public/models', SSL_TRUNK_ID);

export function sslParityInputs(dataDir: string, trunkDir: string): ParityInput[] {
  const card = JSON.parse(readFileSync(join(trunkDir, 'card.json'), 'utf8')) as TrunkCard;
  const films = parityImages();
  const pick = [...films.filter((f) => f.label === 'NORMAL').slice(0, 6), ...films.filter((f) => f.label === 'PNEUMONIA').slice(0, 6)];
  return pick.map((image) => {
    const tensor = prepareModelInput(decodeRaster(image.file, new Uint8Array(readFileSync(join(dataDir, image.file)))), 0, card.input);
    return { ...image, tensor, sha256: tensorSha256(tensor) };
  });
}
