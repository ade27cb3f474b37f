/** One number the bench measured, with its unit; results.json holds a list of these. */
export interface Measurement {
  section: 'node' | 'chromium' | 'imaging' | 'training' | 'memory' | 'ct' | 'serve' | 'engines' | 'bundle' | 'reliability';
  /** What was measured, e.g. "cold start" or "steady per image p50". */
  name: string;
  /** tfjs backend, when it matters. */
  backend?: string;
  value: number | null;
  unit: 'ms' | 's' | 'tensors' | 'images' | 'auc' | 'bool' | 'ratio' | 'req/s' | 'count' | 'MB' | 'kB' | 'bytes';
  /** How many samples a percentile or mean is over. */
  n?: number;
  /** Why a value is missing, or what else a reader needs to know. */
  note?: string;
}

export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  // Nearest rank: p95 of 20 samples is the 19th, never an interpolated value nobody measured.
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

export function round(x: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** p50 and p95 of a list of latencies as two measurements. */
export function latencyPair(base: Omit<Measurement, 'value' | 'name' | 'n'>, name: string, ms: number[]): Measurement[] {
  return [
    { ...base, name: `${name} p50`, value: ms.length ? round(percentile(ms, 50)) : null, n: ms.length },
    { ...base, name: `${name} p95`, value: ms.length ? round(percentile(ms, 95)) : null, n: ms.length },
  ];
}
