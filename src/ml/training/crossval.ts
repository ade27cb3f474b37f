import { auc } from '../metrics';
import { seededRandom } from '../random';
import { linkedGroups } from './split';
import type { DatasetItem } from './dataset';
import type { DatasetWarning } from './warnings';

/**
 * Cross-validation by patient inside the training split, so a training result
 * shows how much the AUC moves from one set of new patients to the next, not
 * one lucky or unlucky carve-out. On COVID-CT the official val AUC of one
 * recipe ranged 0.815–0.882 over three split seeds: a single split's number
 * said little.
 *
 * The folds are made from the training split only; the validation split is
 * never used to choose anything (penalties are chosen on these folds), so it
 * stays an honest check of the final model, and the test split stays untouched.
 */

export const CV_FOLDS = 5;
/**
 * Wider than this (95 % CI of the mean fold AUC), and the result cannot tell a
 * useful model from a mediocre one (0.80 from 0.90): the page and CLI then say
 * the validation set is too small to trust.
 */
export const CV_CI_WIDTH_LIMIT = 0.1;

/** Training rows (plain features first, then every view block in the same item order) and their fold. */
export interface RowFolds {
  k: number;
  /** Fold of each training row: rows of one patient share it, views included. */
  fold: Int32Array;
  /** 1 for a row that is scored when its fold is held out (the plain features, not the augmented views). */
  scored: Uint8Array;
}

export interface CrossValidation {
  folds: number;
  /** Images scored in each held-out fold. */
  foldSizes: number[];
  aucs: number[];
  mean: number;
  sd: number;
  /** 95 % t-interval of the mean fold AUC. */
  ci95: [number, number];
  /** AUC of all out-of-fold scores pooled. */
  pooledAuc: number;
  ciWidthLimit: number;
  tooSmall: boolean;
  /** What the folds were made of, for the card and the report. */
  scope: string;
}

/**
 * Stratified group k-fold: linked groups (patient or identical bytes) are dealt
 * per majority class, largest first, to the fold with fewest images of that
 * class so far (ties by a seeded shuffle). Every fold gets both classes when
 * each class has at least k groups. Returns the fold of each item, or null
 * when some class has fewer than two groups (no fold could hold it out).
 */
export function patientFolds(items: Pick<DatasetItem, 'file' | 'label' | 'patient' | 'sha256'>[], k = CV_FOLDS, seed = 7): { fold: Int32Array; k: number } | null {
  const groups = linkedGroups(items);
  const byLabel = new Map<string, number[][]>();
  for (const g of groups) {
    const counts = new Map<string, number>();
    for (const i of g) counts.set(items[i].label, (counts.get(items[i].label) ?? 0) + 1);
    const label = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0];
    byLabel.set(label, [...(byLabel.get(label) ?? []), g]);
  }
  const fewest = Math.min(...[...byLabel.values()].map((g) => g.length));
  if (byLabel.size < 2 || fewest < 2) return null;
  const folds = Math.min(k, fewest);
  const random = seededRandom(seed);
  const fold = new Int32Array(items.length);
  const firstName = (g: number[]) => g.reduce((m, i) => (items[i].file < m ? items[i].file : m), items[g[0]].file);
  for (const label of [...byLabel.keys()].sort()) {
    const list = byLabel.get(label)!.sort((a, b) => (firstName(a) < firstName(b) ? -1 : 1));
    for (let i = list.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [list[i], list[j]] = [list[j], list[i]];
    }
    list.sort((a, b) => b.length - a.length); // stable: equal sizes keep the shuffled order
    const filled = new Array(folds).fill(0);
    for (const g of list) {
      let f = 0;
      for (let q = 1; q < folds; q++) if (filled[q] < filled[f]) f = q;
      for (const i of g) fold[i] = f;
      filled[f] += g.length;
    }
  }
  return { fold, k: folds };
}

/** Row folds for training rows laid out as `blocks` copies (plain + views) of the same items. */
export function rowFolds(itemFold: Int32Array, k: number, blocks: number): RowFolds {
  const n = itemFold.length;
  const fold = new Int32Array(n * blocks), scored = new Uint8Array(n * blocks);
  for (let b = 0; b < blocks; b++) fold.set(itemFold, b * n);
  scored.fill(1, 0, n);
  return { k, fold, scored };
}

/** Two-sided 95 % Student t quantiles by degrees of freedom (1…10; the normal beyond). */
const T975 = [NaN, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228];

/** Fold AUCs and the pooled out-of-fold AUC from held-out scores (score[i] for scored row i, by fold). */
export function summarizeFolds(scores: Float32Array, labels: ArrayLike<number>, folds: RowFolds, scope: string, limit = CV_CI_WIDTH_LIMIT): CrossValidation {
  const aucs: number[] = [], foldSizes: number[] = [];
  const pooledS: number[] = [], pooledY: number[] = [];
  for (let f = 0; f < folds.k; f++) {
    const s: number[] = [], y: number[] = [];
    for (let i = 0; i < folds.fold.length; i++)
      if (folds.scored[i] && folds.fold[i] === f) { s.push(scores[i]); y.push(labels[i]); }
    foldSizes.push(s.length);
    pooledS.push(...s);
    pooledY.push(...y);
    const a = auc(s, y);
    if (Number.isFinite(a)) aucs.push(a);
  }
  const m = aucs.length;
  const mean = m ? aucs.reduce((a, b) => a + b, 0) / m : NaN;
  const sd = m > 1 ? Math.sqrt(aucs.reduce((a, b) => a + (b - mean) ** 2, 0) / (m - 1)) : NaN;
  const t = T975[m - 1] ?? 1.96;
  const half = m > 1 ? (t * sd) / Math.sqrt(m) : NaN;
  const ci95: [number, number] = [Math.max(0, mean - half), Math.min(1, mean + half)];
  const width = ci95[1] - ci95[0];
  return {
    folds: folds.k, foldSizes, aucs, mean, sd, ci95, pooledAuc: auc(pooledS, pooledY), ciWidthLimit: limit,
    tooSmall: !(width <= limit), scope,
  };
}

/** The "too small to trust" warning, or none when the folds agree well enough. */
export function crossValidationWarning(cv: CrossValidation): DatasetWarning | undefined {
  if (!cv.tooSmall) return undefined;
  const f = (v: number) => v.toFixed(3);
  const spread = cv.aucs.length ? `folds ${f(Math.min(...cv.aucs))}–${f(Math.max(...cv.aucs))}` : 'no fold had both classes';
  return {
    code: 'validation-too-small',
    message: `The validation set is too small to trust: over ${cv.folds} patient-disjoint folds of the training split the AUC is ${f(cv.mean)} (95% CI ${f(cv.ci95[0])}–${f(cv.ci95[1])}, ${spread}), a CI wider than ${cv.ciWidthLimit}. Add images from more patients before relying on these numbers.`,
  };
}

/** Row folds for the head's training rows (the training items, then each view block), or undefined when no fold can be made. */
export function trainingRowFolds(trainItems: Pick<DatasetItem, 'file' | 'label' | 'patient' | 'sha256'>[], rows: number, seed?: number): RowFolds | undefined {
  const made = patientFolds(trainItems, CV_FOLDS, seed);
  if (!made || !trainItems.length || rows % trainItems.length) return undefined;
  return rowFolds(made.fold, made.k, rows / trainItems.length);
}
