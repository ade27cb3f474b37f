import type { ModelCard } from './card-types';
import { validateGateAndPopulation } from './gate/validate';

/**
 * Checks a parsed card.json and returns it typed. Every failure names the
 * field and what was wrong, because the person who sees it is usually the one
 * who hand-edited a card or picked the wrong folder.
 */
export class CardError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CardError';
  }
}

export type Json = Record<string, unknown>;

export function fail(field: string, problem: string): never {
  throw new CardError(`model card: ${field} ${problem}`);
}

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function obj(parent: Json, key: string, path: string): Json {
  const v = parent[key];
  if (v === undefined) fail(path, 'is missing');
  if (!isObject(v)) fail(path, 'must be an object');
  return v;
}

export function str(parent: Json, key: string, path: string, optional = false): string {
  const v = parent[key];
  if (v === undefined && optional) return undefined as unknown as string;
  if (v === undefined) fail(path, 'is missing');
  if (typeof v !== 'string' || !v.trim()) fail(path, 'must be a non-empty string');
  return v;
}

export function num(parent: Json, key: string, path: string, range?: [number, number], optional = false): number {
  const v = parent[key];
  if (v === undefined && optional) return undefined as unknown as number;
  if (v === undefined) fail(path, 'is missing');
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(path, `must be a finite number (got ${JSON.stringify(v)})`);
  if (range && (v < range[0] || v > range[1])) fail(path, `must be between ${range[0]} and ${range[1]} (got ${v})`);
  return v;
}

function strArray(parent: Json, key: string, path: string, minLength = 1): string[] {
  const v = parent[key];
  if (v === undefined) fail(path, 'is missing');
  if (!Array.isArray(v) || v.length < minLength || !v.every((x) => typeof x === 'string' && x))
    fail(path, `must be a list of at least ${minLength} non-empty strings`);
  return v as string[];
}

export function numArray(parent: Json, key: string, path: string, length?: number): number[] {
  const v = parent[key];
  if (v === undefined) fail(path, 'is missing');
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'number' && Number.isFinite(x)))
    fail(path, 'must be a list of finite numbers');
  if (length !== undefined && v.length !== length) fail(path, `must have ${length} entries (has ${v.length})`);
  return v as number[];
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], path: string): T {
  if (value === undefined) fail(path, 'is missing');
  if (!allowed.includes(value as T)) fail(path, `must be one of ${allowed.join(', ')} (got ${JSON.stringify(value)})`);
  return value as T;
}

/** Also used for trunk cards, which share the input spec and weight list. */
export function validateInput(card: Json, path = 'input'): void {
  const input = obj(card, 'input', path);
  const size = numArray(input, 'size', `${path}.size`, 2);
  if (!size.every((s) => Number.isInteger(s) && s > 0)) fail(`${path}.size`, 'must be two positive integers [height, width]');
  if (input.channels !== 1 && input.channels !== 3) fail(`${path}.channels`, `must be 1 or 3 (got ${JSON.stringify(input.channels)})`);
  oneOf(input.fit, ['stretch', 'center-crop'] as const, `${path}.fit`);
  oneOf(input.interpolation, ['area', 'bilinear'] as const, `${path}.interpolation`);
  const window = obj(input, 'window', `${path}.window`);
  const wk = oneOf(window.kind, ['display', 'window', 'minmax'] as const, `${path}.window.kind`);
  if (wk === 'window') {
    num(window, 'center', `${path}.window.center`);
    if (num(window, 'width', `${path}.window.width`) <= 0) fail(`${path}.window.width`, 'must be positive');
  }
  const norm = obj(input, 'normalization', `${path}.normalization`);
  const nk = oneOf(norm.kind, ['zscore-image', 'fixed', 'unit'] as const, `${path}.normalization.kind`);
  if (nk === 'fixed') {
    const channels = input.channels as number;
    numArray(norm, 'mean', `${path}.normalization.mean`, channels);
    const std = numArray(norm, 'std', `${path}.normalization.std`, channels);
    if (std.some((s) => s <= 0)) fail(`${path}.normalization.std`, 'must be positive');
  }
}

function validateOod(card: Json): void {
  if (card.ood === undefined) return;
  const ood = obj(card, 'ood', 'ood');
  oneOf(ood.method, ['mahalanobis'] as const, 'ood.method');
  const mean = numArray(ood, 'mean', 'ood.mean');
  if (ood.projection !== undefined) {
    const projection = obj(ood, 'projection', 'ood.projection');
    const dim = num(projection, 'dim', 'ood.projection.dim');
    if (dim !== mean.length) fail('ood.projection.dim', `must equal the length of ood.mean (${mean.length})`);
    const center = numArray(projection, 'center', 'ood.projection.center');
    numArray(projection, 'axes', 'ood.projection.axes', dim * center.length);
  }
  if (!mean.length) fail('ood.mean', 'must not be empty');
  numArray(ood, 'precision', 'ood.precision', mean.length * mean.length);
  if (num(ood, 'threshold', 'ood.threshold') <= 0) fail('ood.threshold', 'must be positive');
}

export function validateWeights(card: Json): void {
  const weights = card.weights;
  if (weights === undefined) fail('weights', 'is missing');
  if (!Array.isArray(weights) || !weights.length) fail('weights', 'must list every weight file with its sha256');
  weights.forEach((w, i) => {
    const path = `weights[${i}]`;
    if (!isObject(w)) fail(path, 'must be an object');
    str(w, 'path', `${path}.path`);
    const sha = str(w, 'sha256', `${path}.sha256`);
    if (!/^[0-9a-f]{64}$/i.test(sha)) fail(`${path}.sha256`, 'must be 64 hexadecimal digits');
    num(w, 'bytes', `${path}.bytes`, [0, Number.MAX_SAFE_INTEGER]);
  });
}

function validateMetrics(card: Json): void {
  const metrics = obj(card, 'metrics', 'metrics');
  const validation = obj(metrics, 'validation', 'metrics.validation');
  for (const key of ['auc', 'accuracy', 'sensitivity', 'specificity', 'threshold'])
    if (validation[key] !== null) num(validation, key, `metrics.validation.${key}`, [0, 1]);
  num(validation, 'n', 'metrics.validation.n', [0, Number.MAX_SAFE_INTEGER]);
}

export function validateCard(json: unknown): ModelCard {
  if (!isObject(json)) throw new CardError('model card: card.json must hold a JSON object');
  const card = json;
  if (card.schema !== 'radlens-model-card/1')
    fail('schema', `must be "radlens-model-card/1" (got ${JSON.stringify(card.schema)})`);
  for (const key of ['id', 'version', 'name', 'task', 'bodyPart', 'positiveLabel', 'intendedUse']) str(card, key, key);
  strArray(card, 'modalities', 'modalities');
  const labels = strArray(card, 'labels', 'labels', 2);
  if (new Set(labels).size !== labels.length) fail('labels', 'must not repeat a name');
  if (!labels.includes(card.positiveLabel as string))
    fail('positiveLabel', `"${card.positiveLabel}" is not one of the labels (${labels.join(', ')})`);
  const threshold = num(card, 'threshold', 'threshold');
  if (!(threshold > 0 && threshold < 1)) fail('threshold', `must be strictly between 0 and 1 (got ${threshold})`);
  const band = obj(card, 'unsureBand', 'unsureBand');
  const low = num(band, 'low', 'unsureBand.low', [0, 1]);
  const high = num(band, 'high', 'unsureBand.high', [0, 1]);
  if (low > high) fail('unsureBand', `low (${low}) must not exceed high (${high})`);
  str(band, 'rule', 'unsureBand.rule');
  if (num(card, 'temperature', 'temperature') <= 0) fail('temperature', 'must be positive');
  validateInput(card);
  if (card.output !== 'logits') fail('output', `must be "logits" (got ${JSON.stringify(card.output)})`);
  const layers = obj(card, 'layers', 'layers');
  str(layers, 'gradcam', 'layers.gradcam');
  str(layers, 'features', 'layers.features');
  const headStart = num(layers, 'headStart', 'layers.headStart');
  if (!Number.isInteger(headStart) || headStart < 0) fail('layers.headStart', 'must be a non-negative integer');
  validateMetrics(card);
  validateOod(card);
  validateGateAndPopulation(card);
  if (!Array.isArray(card.limitations)) fail('limitations', 'must be a list');
  const data = obj(card, 'trainingData', 'trainingData');
  str(data, 'description', 'trainingData.description');
  const training = obj(card, 'training', 'training');
  oneOf(training.mode, ['reference', 'head', 'finetune', 'scratch'] as const, 'training.mode');
  validateWeights(card);
  return card as unknown as ModelCard;
}

/** "id@version", the name results, logs, file names and the library's keys use for a model. */
export function modelTag(card: Pick<ModelCard, 'id' | 'version'>): string {
  return `${card.id}@${card.version}`;
}

/*
 * card.json as bytes: the one reader and writer of the file, for bundles on
 * disk, in zips, in the library and from intranet servers.
 */

/** Pretty JSON with a final newline, as the bundles on disk are written (non-finite numbers become null). */
export function encodeCard(card: ModelCard): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(card, null, 2) + '\n');
}

/** Parsed, not validated (validateCard does that where a card comes from outside). */
export function decodeCard(bytes: Uint8Array): ModelCard {
  return JSON.parse(new TextDecoder().decode(bytes)) as ModelCard;
}

/** The card of a bundle's files. */
export function cardOf(files: Map<string, Uint8Array>): ModelCard {
  const bytes = files.get('card.json');
  if (!bytes) throw new Error('model files have no card.json');
  return decodeCard(bytes);
}

/** Bundle files with card.json replaced (weights untouched, so their checksums still hold). */
export function withCard(files: Map<string, Uint8Array>, card: ModelCard): Map<string, Uint8Array> {
  const copy = new Map(files);
  copy.set('card.json', encodeCard(card));
  return copy;
}
