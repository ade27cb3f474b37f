import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDataDir } from '../src/config';

/**
 * Which real images the bench uses: the first files of each Kermany class in
 * name order, so every run (and every machine) times the same inputs.
 */
export function kermanyDir(label: 'NORMAL' | 'PNEUMONIA'): string {
  return join(sharedDataDir(), 'xray', 'kermany224', 'train', label);
}

export function kermanyFiles(label: 'NORMAL' | 'PNEUMONIA', count: number, skip = 0): string[] {
  const dir = kermanyDir(label);
  const names = readdirSync(dir).filter((n) => /\.(jpe?g|png)$/i.test(n)).sort();
  if (names.length < skip + count) throw new Error(`${dir} holds ${names.length} images; the bench needs ${skip + count}`);
  return names.slice(skip, skip + count).map((n) => join(dir, n));
}

/** `count` images, half NORMAL and half PNEUMONIA, interleaved. */
export function mixedKermany(count: number, skip = 0): string[] {
  const half = Math.ceil(count / 2);
  const normal = kermanyFiles('NORMAL', half, skip);
  const pneumonia = kermanyFiles('PNEUMONIA', count - half, skip);
  return normal.flatMap((f, i) => (i < pneumonia.length ? [f, pneumonia[i]] : [f]));
}
