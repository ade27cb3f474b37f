/**
 * Temperature scaling (Guo et al. 2017): one scalar T fitted on validation
 * logits by minimising the negative log-likelihood of softmax(logits / T).
 * It changes confidence, never the ranking, so AUC is unaffected.
 */

export function softmaxRow(logits: ArrayLike<number>, offset: number, k: number, temperature: number, out = new Float64Array(k)): Float64Array {
  let max = -Infinity;
  for (let j = 0; j < k; j++) max = Math.max(max, logits[offset + j] / temperature);
  let sum = 0;
  for (let j = 0; j < k; j++) sum += out[j] = Math.exp(logits[offset + j] / temperature - max);
  for (let j = 0; j < k; j++) out[j] /= sum;
  return out;
}

/** Mean NLL of labels under softmax(logits / T); logits row-major n × k. */
export function temperatureNll(logits: ArrayLike<number>, labels: ArrayLike<number>, k: number, temperature: number): number {
  const n = labels.length;
  const row = new Float64Array(k);
  let nll = 0;
  for (let i = 0; i < n; i++) nll -= Math.log(Math.max(softmaxRow(logits, i * k, k, temperature, row)[labels[i]], 1e-15));
  return nll / n;
}

/** Golden-section search on log T in [1/20, 20]; T = 1 when there is nothing to fit. */
export function fitTemperature(logits: ArrayLike<number>, labels: ArrayLike<number>, k: number): number {
  if (labels.length < 2) return 1;
  const f = (logT: number) => temperatureNll(logits, labels, k, Math.exp(logT));
  let a = Math.log(0.05), b = Math.log(20);
  const g = (Math.sqrt(5) - 1) / 2;
  let c = b - g * (b - a), d = a + g * (b - a);
  let fc = f(c), fd = f(d);
  for (let it = 0; it < 60; it++) {
    if (fc < fd) { b = d; d = c; fd = fc; c = b - g * (b - a); fc = f(c); }
    else { a = c; c = d; fc = fd; d = a + g * (b - a); fd = f(d); }
  }
  const t = Math.exp((a + b) / 2);
  return Number.isFinite(t) ? t : 1;
}

/** Calibrated probability of class `index` for every row. */
export function probabilitiesOf(logits: ArrayLike<number>, n: number, k: number, index: number, temperature: number): Float64Array {
  const out = new Float64Array(n);
  const row = new Float64Array(k);
  for (let i = 0; i < n; i++) out[i] = softmaxRow(logits, i * k, k, temperature, row)[index];
  return out;
}
