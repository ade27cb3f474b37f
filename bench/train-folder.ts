import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { kermanyFiles } from './inputs';

/**
 * A labelled training folder (NORMAL/ and PNEUMONIA/) built outside the
 * repository from copies of shared images: the shared data is read-only and
 * must never land in the project tree.
 */
export function makeTrainFolder(dir: string, perClass: number): string {
  rmSync(dir, { recursive: true, force: true });
  for (const label of ['NORMAL', 'PNEUMONIA'] as const) {
    mkdirSync(join(dir, label), { recursive: true });
    for (const f of kermanyFiles(label, perClass, 100)) copyFileSync(f, join(dir, label, basename(f)));
  }
  return dir;
}
