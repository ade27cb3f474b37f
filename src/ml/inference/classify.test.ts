import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../runtime';
import { loadModel, type LoadedModel } from '../model/load';
import { buildTinyModel, syntheticXray, tinyBundle } from '../testing/tiny-model';
import { describeWithBackends } from '../testing/backends';
import { prepareModelInput } from '../../imaging/preprocess';
import { classifyBatch, classifyImage } from './classify';
import { calibratedProbabilities, decide } from './decision';

let loaded: LoadedModel;

beforeAll(async () => {
  await initBackend(['cpu']);
  loaded = await loadModel((await tinyBundle(buildTinyModel(2))).reader);
});
afterAll(() => loaded.dispose());

describe('decision', () => {
  it('applies temperature before softmax', () => {
    const [a, b] = calibratedProbabilities([0, 2], 2);
    expect(b).toBeCloseTo(1 / (1 + Math.exp(-1)), 12);
    expect(a + b).toBeCloseTo(1, 12);
  });
  it('uses the card threshold on the positive label and reports the probability of the label given', () => {
    const card = { ...loaded.card, threshold: 0.3, unsureBand: { low: 0.25, high: 0.35, rule: '' } };
    const d = decide(card, [0.68, 0.32]);
    expect(d).toMatchObject({ label: 'PNEUMONIA', probability: 0.32, unsure: true, positiveProbability: 0.32 });
    expect(decide(card, [0.9, 0.1])).toMatchObject({ label: 'NORMAL', probability: 0.9, unsure: false });
  });
});

describeWithBackends('classifyImage', () => {
  // The model is loaded again on each backend, so its weights live there.
  beforeAll(async () => {
    loaded.dispose();
    loaded = await loadModel((await tinyBundle(buildTinyModel(2))).reader);
  });

  it('matches a direct forward pass with temperature scaling', async () => {
    const image = syntheticXray(80, { seed: 4 });
    const result = await classifyImage(loaded, image);
    const x = tf.tensor4d(prepareModelInput(image, 0, loaded.card.input), [1, 32, 32, 1]);
    const logits = loaded.model.predict(x) as tf.Tensor;
    const expected = calibratedProbabilities(await logits.data(), loaded.card.temperature);
    tf.dispose([x, logits]);
    expect(result.scores.NORMAL).toBeCloseTo(expected[0], 6);
    expect(result.scores.PNEUMONIA).toBeCloseTo(expected[1], 6);
    expect(result.model).toBe('tiny-test@0.0.1');
    expect(result.threshold).toBe(0.5);
    expect(result.ood).toBe(false);
    expect(result.probability).toBe(result.scores[result.label!]);
  });

  it('gives the same answers one by one and in batches, and leaks no tensors', async () => {
    const images = Array.from({ length: 7 }, (_, i) => syntheticXray(70 + i, { seed: i + 1 }));
    await classifyImage(loaded, images[0]); // warm-up builds the cached two-output view
    const before = tf.memory().numTensors;
    const batched = await classifyBatch(loaded, images.map((image) => ({ image })), 3);
    expect(tf.memory().numTensors).toBe(before);
    for (let i = 0; i < images.length; i++) {
      const single = await classifyImage(loaded, images[i]);
      expect(single.scores.PNEUMONIA).toBeCloseTo(batched[i].scores.PNEUMONIA, 5);
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
