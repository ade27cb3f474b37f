import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../runtime';
import { loadModel, type LoadedModel } from '../model/load';
import { buildTinyModel, greyImage, syntheticXray, tinyBundle, tinyCard } from '../testing/tiny-model';
import type { DecodedImage } from '../../imaging/types';
import { classifyImage } from './classify';
import { forwardPrepared, modelInput } from './forward';
import { checkImage, checkTags, colourFraction, mahalanobisDistance } from './ood';

const card = tinyCard(new Uint8Array(1));

function rgbPhoto(size: number, grey = false): DecodedImage {
  const px = new Float32Array(size * size * 3);
  for (let i = 0; i < size * size; i++) {
    const v = 40 + ((i * 7) % 200);
    px[i * 3] = v;
    px[i * 3 + 1] = grey ? v + 2 : (v * 0.5) % 255;
    px[i * 3 + 2] = grey ? v - 1 : 255 - v;
  }
  return { ...greyImage('photo.jpg', size, size, px), samplesPerPixel: 3, photometric: 'RGB', format: 'jpeg' };
}

describe('header checks', () => {
  it('refuses another modality with a plain reason', () => {
    const ct = { ...syntheticXray(96), modality: 'CT' };
    expect(checkTags(card, ct)).toBe('modality CT: this model reads chest radiographs (CR, DX)');
    expect(checkTags(card, { ...ct, modality: 'DX' })).toBeUndefined();
  });
  it('refuses another body part but accepts chest synonyms and missing tags', () => {
    const hand = { ...syntheticXray(96), modality: 'CR', bodyPart: 'HAND' };
    expect(checkTags(card, hand)).toBe('body part HAND: this model reads chest radiographs');
    expect(checkTags(card, { ...hand, bodyPart: 'thorax' })).toBeUndefined();
    expect(checkTags(card, { ...hand, bodyPart: null })).toBeUndefined();
  });
  it('refuses a lateral view but accepts frontal and missing views', () => {
    const film = { ...syntheticXray(96), modality: 'DX', bodyPart: 'CHEST' };
    expect(checkTags(card, { ...film, viewPosition: 'LL' })).toBe('view LL: this model reads frontal (PA/AP) chest films');
    expect(checkTags(card, { ...film, viewPosition: ' lateral ' })).toBe('view LATERAL: this model reads frontal (PA/AP) chest films');
    for (const view of ['RL', 'LAT']) expect(checkTags(card, { ...film, viewPosition: view })).toMatch(/^view /);
    for (const view of ['PA', 'AP', '', null, undefined]) expect(checkTags(card, { ...film, viewPosition: view })).toBeUndefined();
  });
});

describe('image checks', () => {
  it('refuses a colour photograph but not a grey RGB JPEG', () => {
    expect(colourFraction(rgbPhoto(96, true))).toBe(0);
    expect(checkImage(card, rgbPhoto(96, true))).toBeUndefined();
    expect(checkImage(card, rgbPhoto(96))).toMatch(/^image is in colour \(\d+% of pixels clearly coloured\): this model reads greyscale chest radiographs$/);
  });
  it('refuses a thumbnail and a volume', () => {
    expect(checkImage(card, syntheticXray(40))).toBe('image is only 40×40 pixels: too small to read (at least 64 on each side)');
    const volume = greyImage('vol.nii', 96, 96, new Float32Array(96 * 96), 20);
    expect(checkImage(card, volume)).toBe('a volume of 20 slices: this model reads single chest radiographs, not volumes');
  });
});

describe('feature distance', () => {
  it('computes a Mahalanobis distance', () => {
    // precision diag(1, 4): distance of (3, 2) from 0 is sqrt(9 + 16) = 5.
    expect(mahalanobisDistance([3, 2], [0, 0], [1, 0, 0, 4])).toBeCloseTo(5, 12);
  });

  let loaded: LoadedModel;
  beforeAll(async () => {
    await initBackend(['cpu']);
    const model = buildTinyModel(4);
    // Fit the ood block on synthetic films, the way training fits it on validation images.
    const probe = await tinyBundle(model);
    const tmp = await loadModel(probe.reader);
    const feats = await forwardPrepared(tmp, Array.from({ length: 24 }, (_, i) => modelInput(tmp, syntheticXray(96, { seed: i + 10 }))));
    tmp.dispose();
    const d = feats[0].features.length;
    const mean = Array.from({ length: d }, (_, j) => feats.reduce((s, f) => s + f.features[j], 0) / feats.length);
    const variance = mean.map((m, j) => feats.reduce((s, f) => s + (f.features[j] - m) ** 2, 0) / feats.length + 1e-4);
    const precision = Array.from({ length: d * d }, (_, k) => (k % (d + 1) === 0 ? 1 / variance[Math.floor(k / d)] : 0));
    const ood = { method: 'mahalanobis' as const, mean, precision, threshold: 1.5, thresholdRule: 'test' };
    loaded = await loadModel((await tinyBundle(buildTinyModel(4), { ood })).reader);
  });
  afterAll(() => loaded?.dispose());

  it('accepts a film like the fitted ones and refuses noise, with the distance in the reason', async () => {
    const inside = await classifyImage(loaded, syntheticXray(96, { seed: 99 }));
    expect(inside.ood).toBe(false);
    expect(inside.oodDistance).toBeLessThan(1.5);
    let s = 5;
    const noise = new Float32Array(96 * 96).map(() => ((s = (s * 48271) % 2147483647) % 2 ? 255 : 0));
    const before = tf.memory().numTensors;
    const outside = await classifyImage(loaded, greyImage('noise.png', 96, 96, noise));
    expect(tf.memory().numTensors).toBe(before);
    expect(outside.ood).toBe(true);
    expect(outside.label).toBeNull();
    expect(outside.oodReason).toMatch(/^image looks unlike the chest radiographs this model was trained on \(feature distance \d+\.\d > 1\.5\)$/);
    expect(outside.scores.PNEUMONIA + outside.scores.NORMAL).toBeCloseTo(1);
  });

  it('reports header refusals through classifyImage with scores still present', async () => {
    const r = await classifyImage(loaded, { ...syntheticXray(96), modality: 'MR' });
    expect(r).toMatchObject({ ood: true, label: null, oodReason: 'modality MR: this model reads chest radiographs (CR, DX)' });
  });
});
