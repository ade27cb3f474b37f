import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { sharedDataDir, DATA_ENV } from '../src/config';

/** Real files from the shared data folder; a missing folder fails the spec. */
export function sharedFile(...parts: string[]): { name: string; mimeType: string; buffer: Buffer } {
  const path = join(sharedDataDir(), ...parts);
  if (!existsSync(path)) throw new Error(`Shared test data is missing: ${path} (set ${DATA_ENV})`);
  const name = basename(path);
  const mimeType = name.endsWith('.png') ? 'image/png' : /\.jpe?g$/.test(name) ? 'image/jpeg' : 'application/octet-stream';
  return { name, mimeType, buffer: readFileSync(path) };
}

export const XRAYS = {
  normal: ['xray', 'kermany224', 'train', 'NORMAL'],
  pneumonia: ['xray', 'kermany224', 'train', 'PNEUMONIA'],
};
