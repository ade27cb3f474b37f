/**
 * The bundled reference model against its PyTorch source: identical input
 * tensors (hash), logits within 1e-4 on 24 real films, weight files matching
 * the card, and a card with every field the app relies on (refusal gate and
 * population included).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../src/ml/runtime';
import { TEST_BACKENDS, useBackend } from '../src/ml/testing/backends';
import type { ModelCard } from '../src/ml/card-types';
import { validateCard } from '../src/ml/card';
import { requireSharedData } from '../src/test-data';
import { sharedDataDir } from '../src/config';
import { CXR_INPUT_SPEC } from './input-spec';
import { parityInputs, PARITY_DIR, type ParityInput } from './parity-inputs';
import { loadLayersModelFromDir, logitsOf } from './tfjs-files';

const MODEL_DIR = join(import.meta.dirname, '../public/models/cxr-pneumonia');
const card = JSON.parse(readFileSync(join(MODEL_DIR, 'card.json'), 'utf8')) as ModelCard;
const reference = JSON.parse(readFileSync(join(PARITY_DIR, 'reference-outputs.json'), 'utf8')) as {
  images: { file: string; label: string; inputSha256: string; logits: number[] }[];
};

describe('cxr-pneumonia reference model', () => {
  let inputs: ParityInput[];

  beforeAll(async () => {
    requireSharedData('xray/kermany224/train');
    await initBackend(['cpu']);
    inputs = parityInputs(sharedDataDir(), card.input);
  });

  it('uses the input spec the training data was dumped with', () => {
    expect(card.input).toEqual(CXR_INPUT_SPEC);
  });

  it('has at least 24 parity images, half per class', () => {
    expect(reference.images.length).toBeGreaterThanOrEqual(24);
    const normal = reference.images.filter((i) => i.label === 'NORMAL').length;
    expect(normal * 2).toBe(reference.images.length);
  });

  it('preprocesses exactly as the training dump did (input tensor hashes)', () => {
    expect(inputs.map((i) => i.file)).toEqual(reference.images.map((i) => i.file));
    expect(inputs.map((i) => i.sha256)).toEqual(reference.images.map((i) => i.inputSha256));
  });

  // On each Node backend: wasm is what the CLI and the page's training use.
  it.each(TEST_BACKENDS)('gives the PyTorch logits within 1e-4 with tfjs on %s', { timeout: 300_000 }, async (backend) => {
    await useBackend(backend);
    const model = await loadLayersModelFromDir(MODEL_DIR);
    const logits = await logitsOf(model, inputs.map((i) => i.tensor), card.input.size);
    let maxDiff = 0;
    logits.forEach((row, i) => row.forEach((v, k) => (maxDiff = Math.max(maxDiff, Math.abs(v - reference.images[i].logits[k])))));
    expect(maxDiff).toBeLessThanOrEqual(1e-4);
    const names = model.layers.map((l) => l.name);
    expect(names.indexOf(card.layers.gradcam)).toBeGreaterThanOrEqual(0);
    expect(names.indexOf(card.layers.features)).toBe(card.layers.headStart - 1);
    expect(names[card.layers.headStart]).toBe('dropout');
    model.dispose();
  });

  it('matches every weight file to its sha256 and size in the card', () => {
    expect(card.weights.length).toBeGreaterThan(0);
    for (const w of card.weights) {
      const bytes = readFileSync(join(MODEL_DIR, w.path));
      expect(bytes.length).toBe(w.bytes);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(w.sha256);
    }
    expect(card.weights.reduce((n, w) => n + w.bytes, 0)).toBeLessThan(10 * 1024 * 1024);
  });

  it('stores its weights in the precision the card records, chosen by the validation-AUC rule', () => {
    const chosen = card.training.weightPrecision!;
    expect(chosen.rule).toMatch(/validation AUC/);
    const unchanged = Math.abs(chosen.validationAuc.float16 - chosen.validationAuc.float32) < 5e-4;
    expect(chosen.precision).toBe(unchanged ? 'float16' : 'float32');
    const json = JSON.parse(readFileSync(join(MODEL_DIR, 'model.json'), 'utf8')) as { weightsManifest: { weights: { shape: number[]; dtype: string; quantization?: { dtype: string } }[] }[] };
    const specs = json.weightsManifest.flatMap((g) => g.weights);
    const values = specs.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);
    for (const w of specs) expect(w.quantization?.dtype ?? 'float32').toBe(chosen.precision);
    expect(card.weights.reduce((n, w) => n + w.bytes, 0)).toBe(values * (chosen.precision === 'float16' ? 2 : 4));
  });

  it('has every required card field', () => {
    expect(() => validateCard(card)).not.toThrow();
    expect(card.schema).toBe('radlens-model-card/1');
    expect(card.id).toBe('cxr-pneumonia');
    expect(card.version).toMatch(/^\d+\.\d+\.\d+$/);
    for (const key of ['name', 'task', 'intendedUse', 'bodyPart'] as const) expect(typeof card[key]).toBe('string');
    expect(card.modalities).toEqual(['CR', 'DX']);
    expect(card.bodyPart).toBe('CHEST');
    expect(card.labels).toEqual(['NORMAL', 'PNEUMONIA']);
    expect(card.positiveLabel).toBe('PNEUMONIA');
    expect(card.output).toBe('logits');
    expect(card.threshold).toBeGreaterThan(0);
    expect(card.threshold).toBeLessThan(1);
    expect(card.unsureBand.low).toBeLessThanOrEqual(card.threshold);
    expect(card.unsureBand.high).toBeGreaterThanOrEqual(card.threshold);
    expect(card.unsureBand.rule.length).toBeGreaterThan(10);
    expect(card.temperature).toBeGreaterThan(0);
    expect(card.layers).toMatchObject({ gradcam: 'conv7', features: 'gap' });
    for (const m of [card.metrics.validation, card.metrics.test!]) {
      for (const key of ['n', 'auc', 'accuracy', 'sensitivity', 'specificity', 'threshold'] as const) expect(Number.isFinite(m[key])).toBe(true);
      expect(m.aucCI95).toHaveLength(2);
      expect(m.confusion!.tp + m.confusion!.fp + m.confusion!.tn + m.confusion!.fn).toBe(m.n);
    }
    expect(card.metrics.ece).toMatchObject({ bins: 15 });
    expect(card.metrics.reliability!.binCenters.length).toBe(card.metrics.reliability!.counts.length);
    // Refusal is the gate's job (its own section, fit_gate.py); the classifier's features decide nothing.
    expect(card.ood).toBeUndefined();
    const gate = card.gate!;
    expect(gate.method).toBe('pca-mahalanobis');
    expect(gate.axes).toHaveLength(gate.variances.length * gate.center.length);
    expect(gate.threshold).toBeGreaterThan(0);
    expect(gate.thresholdRule.length).toBeGreaterThan(10);
    expect(gate.refusal['kermany-val'].rate).toBeLessThanOrEqual(0.02);
    expect(card.population).toMatchObject({ ageYears: { min: 1, max: 5 } });
    expect(card.thresholdStability).toBeDefined();
    expect(card.limitations.length).toBeGreaterThanOrEqual(4);
    expect(card.trainingData).toMatchObject({ licence: 'CC BY 4.0' });
    expect(Object.keys(card.trainingData.counts).length).toBeGreaterThan(0);
    expect(card.training).toMatchObject({ mode: 'reference' });
    expect(card.training.tool).toContain('PyTorch');
  });
});
