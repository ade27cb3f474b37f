import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

/** Hex sha256 of raw bytes: the identity of an image file or a weight file. */
export function sha256Hex(bytes: Uint8Array): string {
  return bytesToHex(sha256(bytes));
}

/** Hex sha256 of a UTF-8 string (cache keys, preprocessing fingerprints). */
export function sha256OfText(text: string): string {
  return sha256Hex(new TextEncoder().encode(text));
}
