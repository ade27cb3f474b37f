import { sha256Hex } from '../model/sha256';

export { sha256Hex };

/** Hex sha256 of a UTF-8 string (cache keys, preprocessing fingerprints). */
export function sha256OfText(text: string): string {
  return sha256Hex(new TextEncoder().encode(text));
}
