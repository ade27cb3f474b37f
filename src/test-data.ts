import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDataDir, DATA_ENV } from './config';

/**
 * Tests that need the shared real images call this. Missing data is a test
 * failure, never a skip: under CI a silent pass would hide a broken set-up.
 */
export function requireSharedData(...parts: string[]): string {
  const path = join(sharedDataDir(), ...parts);
  if (!existsSync(path)) {
    throw new Error(
      `Shared test data is missing: ${path}. Put the shared data beside the project (../shared/data) or set ${DATA_ENV}.`,
    );
  }
  return path;
}
