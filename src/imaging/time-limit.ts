import { decodeFile } from './decode';
import { ImagingError, type DecodedImage } from './types';

/**
 * Per-file time limit on decoding. A codec that waits forever on a broken
 * stream (a promise that never settles) fails its own file with a clear
 * message and the batch goes on. It cannot pre-empt a decoder stuck in a
 * synchronous loop; the fuzz test (src/fuzz) checks none does.
 */
export const DECODE_LIMIT_MS = 30_000;

export function decodeWithTimeLimit(name: string, bytes: Uint8Array, ms = DECODE_LIMIT_MS): Promise<DecodedImage> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ImagingError(`${name}: decoding took longer than ${ms / 1000} s and was stopped; the file is probably damaged`, 'corrupt')), ms);
  });
  return Promise.race([decodeFile(name, bytes), limit]).finally(() => clearTimeout(timer));
}
