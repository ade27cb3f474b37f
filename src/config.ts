import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

/**
 * The one place that says where the shared real-image data lives (Node only:
 * tests, CLI examples, training, bench). Never copied into the repository.
 */
export const DATA_ENV = 'RADLENS_DATA';

export const PROJECT_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');

export function sharedDataDir(): string {
  return process.env[DATA_ENV] || resolve(PROJECT_ROOT, '../shared/data');
}
