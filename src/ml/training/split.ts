import type { DatasetItem } from './dataset';
import { seededRandom } from '../random';

/**
 * Patient-level split: images linked by a patient key or by identical bytes
 * form one group, and whole groups go to train/val/test, per class (by the
 * group's majority label), shuffled with a fixed seed. So no patient and no
 * duplicate can sit on two sides, and class proportions stay similar.
 */

export type SplitName = 'train' | 'val' | 'test';

export interface SplitRatios {
  train: number;
  val: number;
  test: number;
}

export const DEFAULT_SPLIT: SplitRatios = { train: 0.7, val: 0.15, test: 0.15 };


/** Indices grouped by shared patient key or shared content hash (union-find). */
export function linkedGroups(items: Pick<DatasetItem, 'patient' | 'sha256'>[]): number[][] {
  const parent = items.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]];
    return i;
  };
  const first = new Map<string, number>();
  items.forEach((item, i) => {
    for (const key of ['p:' + item.patient, 'h:' + item.sha256]) {
      const f = first.get(key);
      if (f === undefined) first.set(key, i);
      else parent[find(i)] = find(f);
    }
  });
  const groups = new Map<number, number[]>();
  items.forEach((_, i) => {
    const r = find(i);
    const g = groups.get(r);
    if (g) g.push(i);
    else groups.set(r, [i]);
  });
  return [...groups.values()];
}

/** The split of each item, in item order. Deterministic for a seed. */
export function splitByPatient(
  items: Pick<DatasetItem, 'file' | 'label' | 'patient' | 'sha256'>[],
  ratios: SplitRatios = DEFAULT_SPLIT,
  seed = 42,
): SplitName[] {
  const total = ratios.train + ratios.val + ratios.test;
  if (!(total > 0) || ratios.train <= 0) throw new Error('split ratios need a positive train share');
  const trainShare = ratios.train / total, valShare = ratios.val / total;
  const random = seededRandom(seed);
  const byLabel = new Map<string, number[][]>();
  for (const group of linkedGroups(items)) {
    const counts = new Map<string, number>();
    for (const i of group) counts.set(items[i].label, (counts.get(items[i].label) ?? 0) + 1);
    const label = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0];
    byLabel.set(label, [...(byLabel.get(label) ?? []), group]);
  }
  const out: SplitName[] = new Array(items.length);
  for (const label of [...byLabel.keys()].sort()) {
    const groups = byLabel.get(label)!;
    // Sort first so the shuffle does not depend on the order files were listed.
    const firstName = (g: number[]) => g.reduce((m, i) => (items[i].file < m ? items[i].file : m), items[g[0]].file);
    groups.sort((a, b) => (firstName(a) < firstName(b) ? -1 : 1));
    for (let i = groups.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [groups[i], groups[j]] = [groups[j], groups[i]];
    }
    const n = groups.reduce((s, g) => s + g.length, 0);
    let seen = 0;
    for (const group of groups) {
      const mid = (seen + group.length / 2) / n;
      const split: SplitName = mid < trainShare ? 'train' : mid < trainShare + valShare ? 'val' : 'test';
      for (const i of group) out[i] = split;
      seen += group.length;
    }
  }
  return out;
}

/** Image counts per split and class, for the card and the UI. */
export function splitCounts(items: Pick<DatasetItem, 'label'>[], splits: SplitName[]): Record<SplitName, Record<string, number>> {
  const out: Record<SplitName, Record<string, number>> = { train: {}, val: {}, test: {} };
  items.forEach((it, i) => {
    const s = out[splits[i]];
    s[it.label] = (s[it.label] ?? 0) + 1;
  });
  return out;
}
