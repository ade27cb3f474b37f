import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../runtime';
import { decodeRaster } from '../../imaging/raster';
import { memoryReader } from '../model/reader';
import { loadModel, type LoadedModel } from '../model/load';
import { validateCard } from '../card';
import { modelToFiles } from '../bundle/files';
import { trainModel } from './pipeline';
import { MemoryFeatureCache } from './feature-cache';
import { tinyBaseModel, tinyBaseCard } from '../testing/tiny-model';
import { syntheticDataset, asTrainingFiles } from './synthetic-data.fixture';
import { describeWithBackends } from '../testing/backends';

let base: LoadedModel;

/** The tiny base, built on the backend in use. */
async function loadBase(): Promise<void> {
  const model = tinyBaseModel();
  const files = await modelToFiles(model, tinyBaseCard(model));
  model.dispose();
  base = await loadModel(memoryReader(files, 'tiny base'));
}

const decode = (file: string, bytes: Uint8Array) => decodeRaster(file, bytes);

describeWithBackends('trainModel', (backend) => {
  beforeAll(async () => {
    base?.dispose();
    await loadBase();
  });

  it('head mode: trains, calibrates and writes a loadable bundle with a valid card', async () => {
    const cache = new MemoryFeatureCache();
    const epochs: number[] = [];
    const result = await trainModel({
      files: asTrainingFiles(syntheticDataset()), decode, mode: 'head', base, cache, epochs: 40, learningRate: 1e-2,
      onEpoch: (s) => epochs.push(s.epoch),
    });
    const card = validateCard(result.card);
    expect(card.labels).toEqual(['NEGATIVE', 'POSITIVE']);
    expect(card.positiveLabel).toBe('POSITIVE');
    expect(card.training.mode).toBe('head');
    expect(card.training.baseModel).toBe('tiny-cxr@0.0.1');
    expect(card.input).toEqual(base.card.input);
    expect(card.ood?.mean.length).toBe(8);
    expect(card.metrics.validation.n).toBeGreaterThan(0);
    expect(card.metrics.test?.n).toBeGreaterThan(0);
    expect(card.unsureBand.low).toBeLessThanOrEqual(card.unsureBand.high);
    expect(epochs.length).toBe(result.history.length);
    expect(result.model.layers.map((l) => l.name)).toEqual(expect.arrayContaining(['conv7', 'gap', 'dropout', 'logits']));
    // No patient in two splits.
    const splitOf = new Map<string, Set<string>>();
    result.items.forEach((it, i) => splitOf.set(it.patient, (splitOf.get(it.patient) ?? new Set()).add(result.splits[i])));
    expect([...splitOf.values()].every((s) => s.size === 1)).toBe(true);
    const reloaded = await loadModel(memoryReader(result.files, 'trained'));
    expect(reloaded.card.id).toBe(card.id);
    reloaded.dispose();
    // A second run on the same images reuses every cached feature.
    const again = await trainModel({ files: asTrainingFiles(syntheticDataset()), decode, mode: 'head', base, cache, epochs: 2 });
    expect(again.cacheHits).toBe(again.items.length);
    result.model.dispose();
    again.model.dispose();
  });

  it('head mode ships a head refitted on every labelled image, measured and calibrated before the refit', async () => {
    const files = asTrainingFiles(syntheticDataset());
    const cache = new MemoryFeatureCache();
    const shipped = await trainModel({ files, decode, mode: 'head', base, cache, epochs: 4 });
    const measured = await trainModel({ files, decode, mode: 'head', base, cache, epochs: 4, refit: false });
    const n = shipped.items.length;
    expect(shipped.card.training.finalFit).toEqual({ scope: 'all-labelled', images: n, rows: n * (1 + (shipped.card.training.augmentViews ?? 0)) });
    expect(measured.card.training.finalFit).toBeUndefined();
    expect(shipped.card.limitations.some((l) => l.includes(`refitted on all ${n} labelled images`))).toBe(true);
    // The numbers on the card are the measured head's, whichever head ships.
    expect(shipped.card.metrics.validation).toEqual(measured.card.metrics.validation);
    expect(shipped.card.threshold).toBe(measured.card.threshold);
    const kernel = (r: typeof shipped) => r.model.getLayer('logits').getWeights()[0].dataSync();
    expect(Array.from(kernel(shipped))).not.toEqual(Array.from(kernel(measured)));
    shipped.model.dispose();
    measured.model.dispose();
  });

  it('leaks no tensors across 5 head trainings in a row', async () => {
    const files = asTrainingFiles(syntheticDataset(6, 2, 16));
    const run = async () => (await trainModel({ files, decode, mode: 'head', base, epochs: 3 })).model.dispose();
    await run();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) await run();
    expect(tf.memory().numTensors).toBe(before);
  });

  it.runIf(backend === 'wasm')('refuses finetune and scratch on wasm with the reason (no convolution gradients there)', async () => {
    const files = asTrainingFiles(syntheticDataset(6, 2, 16));
    for (const mode of ['finetune', 'scratch'] as const)
      await expect(trainModel({ files, decode, mode, base, epochs: 2 })).rejects.toThrow(/wasm backend cannot train convolutions/);
  });

  it.runIf(backend === 'cpu')('finetune and scratch modes train through the same loop (tiny model, cpu)', async () => {
    const files = asTrainingFiles(syntheticDataset(6, 2, 16));
    const ft = await trainModel({ files, decode, mode: 'finetune', base, epochs: 2 });
    expect(ft.card.training.mode).toBe('finetune');
    expect(ft.history.length).toBeGreaterThan(2);
    ft.model.dispose();
    const before = tf.memory().numTensors;
    const scratch = await trainModel({ files, decode, mode: 'scratch', base, epochs: 2 });
    expect(scratch.card.layers.features).toBe('features');
    expect(scratch.history.length).toBe(2);
    const reloaded = await loadModel(memoryReader(scratch.files, 'scratch'));
    reloaded.dispose();
    scratch.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('cancels with an AbortError', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(trainModel({ files: asTrainingFiles(syntheticDataset(4, 1, 16)), decode, mode: 'head', base, signal: controller.signal })).rejects.toThrow(/cancel/);
  });
});
