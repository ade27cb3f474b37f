/**
 * Progress of the running batches: done / total, the rate over the last
 * results (a sliding window, so a slow start or a paused tab does not skew
 * it for long) and the time left at that rate.
 */
export interface ProgressSample {
  t: number;
  done: number;
}

export interface ProgressFigures {
  done: number;
  total: number;
  /** Results per second; null until two samples a second apart exist. */
  rate: number | null;
  /** Seconds left at `rate`; null when unknown. */
  etaSeconds: number | null;
}

const WINDOW_MS = 15_000;

/** Appends a sample and forgets those older than the window (keeping one just outside it as the anchor). */
export function addSample(samples: ProgressSample[], sample: ProgressSample): ProgressSample[] {
  const last = samples[samples.length - 1];
  if (last && last.done === sample.done) return samples;
  const next = [...samples, sample];
  while (next.length > 2 && sample.t - next[1].t > WINDOW_MS) next.shift();
  return next;
}

export function progressFigures(samples: ProgressSample[], done: number, total: number): ProgressFigures {
  const first = samples[0];
  const last = samples[samples.length - 1];
  let rate: number | null = null;
  if (first && last && last.t - first.t >= 1000 && last.done > first.done) rate = ((last.done - first.done) * 1000) / (last.t - first.t);
  const etaSeconds = rate ? Math.max(0, Math.round((total - done) / rate)) : null;
  return { done, total, rate, etaSeconds };
}
