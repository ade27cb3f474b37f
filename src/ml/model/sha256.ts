import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

/**
 * Pure-JS SHA-256: crypto.subtle exists only in secure contexts, and hospital
 * intranets often serve plain http, where the page must still verify weights.
 */
export function sha256Hex(bytes: Uint8Array): string {
  return bytesToHex(sha256(bytes));
}
