import type { Card } from './cards';

/** One row per card for the CSV and JSON exports (a series is one row with its slice summary). */
export interface ReportRow {
  file: string;
  files: string[];
  status: Card['status'];
  label: string | null;
  probability: number | null;
  scores: Record<string, number> | null;
  threshold: number | null;
  unsure: boolean | null;
  ood: boolean;
  oodReason: string | null;
  error: string | null;
  model: string | null;
  backend: string | null;
  slices: number;
  maxSlice: number | null;
  meanPositiveProbability: number | null;
  sliceScores: number[] | null;
}

export function reportRow(card: Card): ReportRow {
  const r = card.result;
  const positive = r?.aggregate?.positiveLabel;
  return {
    file: card.file,
    files: card.files,
    status: card.status,
    label: r && !r.result.ood ? r.result.label : null,
    probability: r && !r.result.ood ? r.result.probability : null,
    scores: r ? r.result.scores : null,
    threshold: r ? r.result.threshold : null,
    unsure: r ? r.result.unsure : null,
    ood: r?.result.ood ?? false,
    oodReason: r?.result.oodReason ?? null,
    error: card.error ?? null,
    model: r?.result.model ?? null,
    backend: r?.backend ?? null,
    slices: card.item?.frames ?? card.files.length,
    maxSlice: r?.aggregate ? r.aggregate.maxFrame + 1 : null,
    meanPositiveProbability: r?.aggregate?.meanProbability ?? null,
    sliceScores: r?.slices && positive ? r.slices.map((s) => s.scores[positive] ?? 0) : null,
  };
}

export interface ReportMeta {
  generatedAt: string;
  model: string | null;
  weightsSha256: string[];
  backend: string | null;
  notice: string;
}

export function toJson(cards: Card[], meta: ReportMeta): string {
  return JSON.stringify({ ...meta, results: cards.map(reportRow) }, null, 2);
}

const CSV_COLUMNS = [
  'file', 'status', 'label', 'probability', 'threshold', 'unsure', 'ood', 'oodReason', 'error', 'model', 'backend', 'slices', 'maxSlice', 'meanPositiveProbability', 'scores',
] as const;

/** RFC 4180 quoting; a leading =,+,-,@ is prefixed so a spreadsheet never runs a file name as a formula. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(text) && typeof value === 'string') text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(cards: Card[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const card of cards) {
    const row = reportRow(card);
    lines.push(CSV_COLUMNS.map((c) => csvCell(row[c])).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

export function safeFileStem(name: string): string {
  return (name.split('/').pop() ?? name).replace(/[^\w.-]+/g, '_').slice(0, 80) || 'result';
}
