import type { DatasetItem } from './dataset';
import { duplicateGroups, classNames } from './dataset';
import type { SplitName } from './split';

/**
 * Checks a dataset for problems that make a trained model look better than it
 * is, or learn the wrong thing. Each warning has a stable code (for the UI and
 * tests) and a sentence a clinician can act on.
 */

export type DatasetWarningCode =
  | 'single-class'
  | 'too-few'
  | 'class-imbalance'
  | 'duplicates'
  | 'duplicates-across-classes'
  | 'format-differs'
  | 'size-differs'
  | 'colour-differs'
  | 'no-patient-id'
  | 'split-missing-class'
  | 'unreadable'
  | 'negative-not-normal'
  | 'volume-slices'
  | 'validation-too-small';

export interface DatasetWarning {
  code: DatasetWarningCode;
  message: string;
}

export interface WarningLimits {
  /** Fewer images than this in a class is "too few". */
  minPerClass: number;
  /** Largest/smallest class count above this is imbalance. */
  maxImbalance: number;
  /** Total-variation distance between classes' format (or colour) mix above this is suspicious. */
  maxMixDifference: number;
  /** Ratio of classes' median image side above this is suspicious. */
  maxSizeRatio: number;
}

export const DEFAULT_WARNING_LIMITS: WarningLimits = { minPerClass: 30, maxImbalance: 3, maxMixDifference: 0.3, maxSizeRatio: 1.5 };

const SOURCE_HINT = 'the model may learn the source of the images instead of the anatomy';

export function datasetWarnings(
  items: DatasetItem[],
  splits?: SplitName[],
  limits: WarningLimits = DEFAULT_WARNING_LIMITS,
): DatasetWarning[] {
  const warnings: DatasetWarning[] = [];
  const labels = classNames(items);
  const byClass = new Map(labels.map((l) => [l, items.filter((i) => i.label === l)]));
  if (labels.length < 2) warnings.push({ code: 'single-class', message: `Only one class (${labels[0] ?? 'none'}) was found; training needs at least two class folders.` });

  for (const [label, list] of byClass)
    if (list.length < limits.minPerClass)
      warnings.push({ code: 'too-few', message: `Class ${label} has only ${list.length} images (fewer than ${limits.minPerClass}); its metrics will be very uncertain.` });

  const counts = [...byClass.values()].map((l) => l.length);
  if (counts.length > 1) {
    const ratio = Math.max(...counts) / Math.max(1, Math.min(...counts));
    if (ratio > limits.maxImbalance)
      warnings.push({ code: 'class-imbalance', message: `Classes are imbalanced (${labels.map((l) => `${l} ${byClass.get(l)!.length}`).join(', ')}; ratio ${ratio.toFixed(1)}); training weights classes to compensate, but check sensitivity and specificity, not only accuracy.` });
  }

  const dups = duplicateGroups(items);
  if (dups.length) {
    const extra = dups.reduce((s, g) => s + g.length - 1, 0);
    warnings.push({ code: 'duplicates', message: `${dups.length} groups of byte-identical images (${extra} extra copies) were found, e.g. ${dups[0].slice(0, 2).join(' = ')}; copies are kept in the same split.` });
    const labelOf = new Map(items.map((i) => [i.file, i.label]));
    const mixed = dups.filter((g) => new Set(g.map((f) => labelOf.get(f))).size > 1);
    if (mixed.length)
      warnings.push({ code: 'duplicates-across-classes', message: `${mixed.length} identical images carry different labels, e.g. ${mixed[0].slice(0, 2).join(' and ')}; one of the labels is wrong.` });
  }

  if (labels.length > 1) {
    const mix = (list: DatasetItem[], key: (i: DatasetItem) => string) => {
      const m = new Map<string, number>();
      for (const i of list) m.set(key(i), (m.get(key(i)) ?? 0) + 1 / list.length);
      return m;
    };
    const worst = (key: (i: DatasetItem) => string) => {
      let best = { d: 0, a: '', b: '' };
      const mixes = labels.map((l) => mix(byClass.get(l)!, key));
      for (let a = 0; a < labels.length; a++)
        for (let b = a + 1; b < labels.length; b++) {
          const keys = new Set([...mixes[a].keys(), ...mixes[b].keys()]);
          let d = 0;
          for (const k of keys) d += Math.abs((mixes[a].get(k) ?? 0) - (mixes[b].get(k) ?? 0)) / 2;
          if (d > best.d) best = { d, a: labels[a], b: labels[b] };
        }
      return { ...best, describe: (l: string) => [...mix(byClass.get(l)!, key)].map(([k, v]) => `${Math.round(v * 100)}% ${k}`).join(', ') };
    };
    const fmt = worst((i) => i.format);
    if (fmt.d > limits.maxMixDifference)
      warnings.push({ code: 'format-differs', message: `File formats differ between classes (${fmt.a}: ${fmt.describe(fmt.a)}; ${fmt.b}: ${fmt.describe(fmt.b)}): ${SOURCE_HINT}.` });
    const colour = worst((i) => (i.samplesPerPixel === 3 ? 'colour' : 'grey'));
    if (colour.d > limits.maxMixDifference)
      warnings.push({ code: 'colour-differs', message: `Colour vs greyscale differs between classes (${colour.a}: ${colour.describe(colour.a)}; ${colour.b}: ${colour.describe(colour.b)}): ${SOURCE_HINT}.` });
    const medianSide = (l: string) => median(byClass.get(l)!.map((i) => Math.sqrt(i.width * i.height)));
    const sides = labels.map((l) => ({ l, s: medianSide(l) }));
    const big = sides.reduce((a, b) => (b.s > a.s ? b : a)), small = sides.reduce((a, b) => (b.s < a.s ? b : a));
    if (small.s > 0 && big.s / small.s > limits.maxSizeRatio)
      warnings.push({ code: 'size-differs', message: `Image sizes differ between classes (median side ${big.l} ${Math.round(big.s)} px vs ${small.l} ${Math.round(small.s)} px): ${SOURCE_HINT}.` });
  }

  for (const l of labels.filter((l) => /^non[-_ ]?./i.test(l)))
    warnings.push({ code: 'negative-not-normal', message: `Class ${l} means "not ${l.replace(/^non[-_ ]?/i, '')}", not "normal": it can hold other diseases, so a ${l} result is no all-clear.` });

  const slices = items.filter((i) => i.volumeSlice);
  if (slices.length)
    warnings.push({ code: 'volume-slices', message: `${slices.length} of ${items.length} files are single slices of a cross-sectional series (${[...new Set(slices.map((i) => i.modality))].join(', ')}); each slice trains as an image of its own, while the page and the CLI classify such a series as one volume.` });

  const nameOnly = items.filter((i) => i.patientSource === 'file').length;
  if (nameOnly > 0)
    warnings.push({ code: 'no-patient-id', message: `${nameOnly} of ${items.length} images have no patient id (no DICOM PatientID, CSV column or recognised file name); each counts as its own patient, so neighbouring slices of one patient may land in different splits and inflate the metrics. Give a CSV with a patient column to fix this.` });

  if (splits) for (const s of ['val', 'test'] as SplitName[]) {
    const present = new Set(items.filter((_, i) => splits[i] === s).map((i) => i.label));
    const missing = labels.filter((l) => !present.has(l));
    if (missing.length && splits.includes(s))
      warnings.push({ code: 'split-missing-class', message: `The ${s} split has no images of ${missing.join(', ')}; its metrics are undefined. Add more patients.` });
  }
  return warnings;
}

function median(values: number[]): number {
  if (!values.length) return 0;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
