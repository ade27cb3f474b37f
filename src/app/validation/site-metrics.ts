/**
 * Site validation numbers from scored rows: every scored image counts,
 * refused (out-of-distribution) ones included, so a refusal never hides an
 * error; the refusals are reported as a count beside the metrics.
 */
import { averagePrecision, bootstrapAucCI, expectedCalibrationError, metricsAt, prCurve, reliabilityBins, rocCurve, type OperatingMetrics, type PrPoint, type ReliabilityBins, type RocPoint } from '../../ml';
import type { EvaluateRow } from '../worker/protocol';

export interface ScoredImage {
  file: string;
  label: string;
  /** Calibrated probability of the positive label. */
  score: number;
  positive: 0 | 1;
  ood: boolean;
  oodReason?: string;
}

export interface SiteData {
  images: ScoredImage[];
  scores: Float64Array;
  labels: Uint8Array;
  oodRefused: number;
  errors: { file: string; message: string }[];
}

export function siteData(rows: EvaluateRow[], positiveLabel: string): SiteData {
  const images: ScoredImage[] = [];
  const errors: { file: string; message: string }[] = [];
  for (const r of rows) {
    const score = r.scores?.[positiveLabel];
    if (r.error || score == null || !Number.isFinite(score)) {
      errors.push({ file: r.file, message: r.error ?? 'no score' });
      continue;
    }
    images.push({ file: r.file, label: r.label, score, positive: r.label === positiveLabel ? 1 : 0, ood: !!r.ood, oodReason: r.oodReason });
  }
  return {
    images,
    scores: Float64Array.from(images, (i) => i.score),
    labels: Uint8Array.from(images, (i) => i.positive),
    oodRefused: images.filter((i) => i.ood).length,
    errors,
  };
}

export interface ThresholdFreeMetrics {
  roc: RocPoint[];
  auc: number;
  ci: [number, number];
  pr: PrPoint[];
  ap: number;
  prevalence: number;
  reliability: ReliabilityBins;
  ece: number;
}

export function thresholdFreeMetrics(d: SiteData, bins = 15): ThresholdFreeMetrics {
  const m = metricsAt(d.scores, d.labels, 0.5);
  const n = d.labels.length;
  const pos = d.labels.reduce((a, b) => a + b, 0);
  return {
    roc: rocCurve(d.scores, d.labels),
    auc: m.auc,
    ci: bootstrapAucCI(d.scores, d.labels, { resamples: 1000, seed: 1 }),
    pr: prCurve(d.scores, d.labels),
    ap: averagePrecision(d.scores, d.labels),
    prevalence: n ? pos / n : NaN,
    reliability: reliabilityBins(d.scores, d.labels, bins),
    ece: expectedCalibrationError(d.scores, d.labels, bins),
  };
}

export function operatingMetrics(d: SiteData, threshold: number): OperatingMetrics {
  return metricsAt(d.scores, d.labels, threshold);
}

export type Cell = 'tp' | 'fp' | 'tn' | 'fn';

export function cellOf(image: ScoredImage, threshold: number): Cell {
  const called = image.score >= threshold;
  if (image.positive) return called ? 'tp' : 'fn';
  return called ? 'fp' : 'tn';
}

/**
 * Folders matched to the card's labels: a folder counts when its name equals
 * a label ignoring case; the rest are reported, never guessed.
 */
export function matchFolders(paths: string[], labels: string[]): { matched: { index: number; label: string }[]; unknownFolders: string[]; ignored: string[] } {
  const byLower = new Map(labels.map((l) => [l.toLowerCase(), l]));
  const matched: { index: number; label: string }[] = [];
  const unknown = new Set<string>();
  const ignored: string[] = [];
  paths.forEach((p, index) => {
    const parts = p.split('/');
    if (parts.length < 2 || parts.some((s) => s.startsWith('.')) || /\.(csv|txt|json|md)$/i.test(p)) {
      ignored.push(p);
      return;
    }
    const label = byLower.get(parts[0].toLowerCase());
    if (label) matched.push({ index, label });
    else unknown.add(parts[0]);
  });
  return { matched, unknownFolders: [...unknown].sort(), ignored };
}
