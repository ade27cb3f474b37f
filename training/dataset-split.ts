import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { seededRandom } from '../src/ml/random';
/**
 * Patient-level split of the Kermany training folder. Duplicated bytes are
 * joined with their patient(s) so a copy can never sit on both sides.
 */

export type Split = 'train' | 'val' | 'test';

export interface SplitItem {
  file: string;
  label: string;
  patient: string;
  sha256: string;
}

/** Patient id from a Kermany file name (see shared/README.md). */
export function patientOf(name: string): string {
  const pneumonia = /^(person\d+)_(?:bacteria|virus)_[\d_]+\.jpe?g$/i.exec(name);
  if (pneumonia) return pneumonia[1];
  const normal = /^((?:NORMAL2-)?IM-\d+)(?:-\d+)+\.jpe?g$/i.exec(name);
  if (normal) return normal[1];
  throw new Error(`cannot read a patient from ${name}`);
}


/** Groups of item indices linked by a shared patient or identical content. */
export function linkedGroups(items: SplitItem[]): number[][] {
  const parent = items.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]];
    return i;
  };
  const firstByKey = new Map<string, number>();
  items.forEach((item, i) => {
    for (const key of [`p:${item.patient}`, `h:${item.sha256}`]) {
      const first = firstByKey.get(key);
      if (first === undefined) firstByKey.set(key, i);
      else parent[find(i)] = find(first);
    }
  });
  const groups = new Map<number, number[]>();
  items.forEach((_, i) => {
    const root = find(i);
    groups.set(root, [...(groups.get(root) ?? []), i]);
  });
  return [...groups.values()];
}

/**
 * Whole groups go to train/val/test by image count (fractions of each class),
 * groups shuffled per class with a fixed seed; a mixed-label group counts
 * under its majority label.
 */
export function splitByGroup(items: SplitItem[], fractions: Record<Split, number>, seed: number): Split[] {
  const groups = linkedGroups(items);
  const random = seededRandom(seed);
  const byLabel = new Map<string, number[][]>();
  for (const group of groups) {
    const counts = new Map<string, number>();
    for (const i of group) counts.set(items[i].label, (counts.get(items[i].label) ?? 0) + 1);
    const label = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0];
    byLabel.set(label, [...(byLabel.get(label) ?? []), group]);
  }
  const result: Split[] = new Array(items.length);
  for (const label of [...byLabel.keys()].sort()) {
    const list = byLabel.get(label)!;
    list.sort((a, b) => items[a[0]].file.localeCompare(items[b[0]].file));
    for (let i = list.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [list[i], list[j]] = [list[j], list[i]];
    }
    const total = list.reduce((s, g) => s + g.length, 0);
    const valEnd = total * (fractions.train + fractions.val);
    const trainEnd = total * fractions.train;
    let seen = 0;
    for (const group of list) {
      const mid = seen + group.length / 2;
      const split: Split = mid < trainEnd ? 'train' : mid < valEnd ? 'val' : 'test';
      for (const i of group) result[i] = split;
      seen += group.length;
    }
  }
  return result;
}

/** Where the Kermany films sit under the data folder, their classes, and the carved split's seed and fractions (training/README.md). */
export const KERMANY_DIR = 'xray/kermany224/train';
export const KERMANY_LABELS = ['NORMAL', 'PNEUMONIA'] as const;
export const KERMANY_SPLIT = { seed: 20180222, fractions: { train: 0.7, val: 0.15, test: 0.15 } as Record<Split, number> };

export interface KermanyFilm extends SplitItem {
  path: string;
  name: string;
  bytes: Uint8Array;
  split: Split;
}

/**
 * Every film of the Kermany train folder (per class, in name order) with its
 * carved split: the one split the reference model, the SSL trunk's data, the
 * transfer check and ood-check all use, so "never saw a test film" holds by
 * construction.
 */
export function kermanyFilms(dataDir: string): KermanyFilm[] {
  const root = join(dataDir, KERMANY_DIR);
  const items: Omit<KermanyFilm, 'split'>[] = [];
  for (const label of KERMANY_LABELS)
    for (const name of readdirSync(join(root, label)).sort()) {
      const path = join(root, label, name);
      const bytes = new Uint8Array(readFileSync(path));
      items.push({ path, name, bytes, file: relative(dataDir, path), label, patient: patientOf(name), sha256: createHash('sha256').update(bytes).digest('hex') });
    }
  const splits = splitByGroup(items, KERMANY_SPLIT.fractions, KERMANY_SPLIT.seed);
  return items.map((item, i) => ({ ...item, split: splits[i] }));
}
