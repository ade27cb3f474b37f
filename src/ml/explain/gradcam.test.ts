import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../runtime';
import { loadModel, type LoadedModel } from '../model/load';
import { buildTinyModel, syntheticXray, tinyBundle } from '../testing/tiny-model';
import { gradCam, heatmapOnImage, upsampleHeatmap } from './gradcam';
import { regionName } from './regions';

function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0, mb = 0;
  for (let i = 0; i < n; i++) { ma += a[i] / n; mb += b[i] / n; }
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < n; i++) {
    ab += (a[i] - ma) * (b[i] - mb);
    aa += (a[i] - ma) ** 2;
    bb += (b[i] - mb) ** 2;
  }
  return ab / Math.sqrt(aa * bb || 1);
}

/**
 * A hand-set model with a known answer: every conv copies the (ReLU'd)
 * brightness through its centre tap and the PNEUMONIA logit is the sum of
 * the pooled features, so its Grad-CAM must light up where the image is bright.
 */
function brightnessModel(): tf.Sequential {
  const model = buildTinyModel(9);
  for (const layer of model.layers) {
    const [kernel, bias] = layer.getWeights();
    if (!kernel) continue;
    if (layer.name === 'logits') {
      const [features] = kernel.shape;
      const w = new Float32Array(features * 2);
      for (let f = 0; f < features; f++) w[f * 2 + 1] = 1;
      layer.setWeights([tf.tensor2d(w, [features, 2]), tf.zerosLike(bias)]);
      continue;
    }
    const [kh, kw, cin, cout] = kernel.shape;
    const w = new Float32Array(kh * kw * cin * cout);
    const centre = ((kh >> 1) * kw + (kw >> 1)) * cin * cout;
    for (let o = 0; o < cout; o++) w[centre + o] = 1; // input channel 0 → every output channel
    layer.setWeights([tf.tensor4d(w, [kh, kw, cin, cout]), tf.zerosLike(bias)]);
  }
  return model;
}

/** Dark film with one bright patch at fractional (x, y). */
function patchImage(px: number, py: number, size = 64) {
  const image = syntheticXray(size, { seed: 3 });
  const values = new Float32Array(size * size).fill(20);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) if (Math.abs(x / size - px) < 0.1 && Math.abs(y / size - py) < 0.1) values[y * size + x] = 230;
  return { ...image, frames: [values] };
}

beforeAll(async () => {
  await initBackend(['cpu']);
});

describe('regionName', () => {
  it('uses patient sides: image left is patient right', () => {
    const map = new Float32Array(9 * 9);
    map[8 * 9 + 1] = 1; // bottom row, image left
    expect(regionName(map, 9, 9)).toBe('right lower zone');
    map.fill(0);
    map[0 * 9 + 7] = 1; // top row, image right
    expect(regionName(map, 9, 9)).toBe('left upper zone');
    map[0 * 9 + 1] = 0.95;
    expect(regionName(map, 9, 9)).toBe('both upper zones');
    expect(regionName(new Float32Array(81), 9, 9)).toBe('no focal region');
  });
});

describe('heatmapOnImage', () => {
  const map = { width: 2, height: 2, values: new Float32Array([1, 0, 0, 0]) };
  it('stretches back for stretch fit and leaves crop margins empty for center-crop', () => {
    const stretched = heatmapOnImage(map, { size: [2, 2], fit: 'stretch' }, 8, 4);
    expect(stretched).toHaveLength(32);
    expect(stretched[0]).toBeCloseTo(1);
    const cropped = heatmapOnImage(map, { size: [2, 2], fit: 'center-crop' }, 8, 4);
    expect(cropped[0]).toBe(0); // left margin, cut off by the crop
    expect(cropped[2]).toBeCloseTo(1); // top-left of the centred 4×4 square
  });
});

describe('gradCam', () => {
  let loaded: LoadedModel;
  afterAll(() => loaded?.dispose());

  it('lights up the bright patch a brightness model looks at, in [0, 1] at conv resolution, and leaks nothing', async () => {
    loaded = await loadModel((await tinyBundle(brightnessModel())).reader);
    const image = patchImage(0.8, 0.85);
    await gradCam(loaded, image); // warm-up builds the cached split
    const before = tf.memory().numTensors;
    const map = await gradCam(loaded, image);
    expect(tf.memory().numTensors).toBe(before);
    expect([map.width, map.height]).toEqual([4, 4]);
    expect(Math.max(...map.values)).toBeCloseTo(1, 5);
    expect(Math.min(...map.values)).toBeGreaterThanOrEqual(0);
    expect(map.label).toBe('PNEUMONIA');
    expect(map.region).toBe('left lower zone');
    expect((await gradCam(loaded, patchImage(0.15, 0.1))).region).toBe('right upper zone');
    expect(upsampleHeatmap(map, 32, 32)).toHaveLength(1024);
  });

  it('changes substantially when the last conv block gets random weights (model randomization check)', async () => {
    // Adebayo et al. 2018: an explanation that survives weight randomization explains the image, not the model.
    const image = syntheticXray(96, { seed: 7, blob: [0.3, 0.6] });
    const correlations: number[] = [];
    for (const seed of [1, 2, 3, 4, 5]) {
      const m = await loadModel((await tinyBundle(buildTinyModel(seed, 64))).reader);
      const original = await gradCam(m, image, 0, 'PNEUMONIA');
      const conv7 = m.model.getLayer('conv7');
      const [kernel, bias] = conv7.getWeights() as [tf.Tensor, tf.Tensor];
      const std = Math.sqrt(2 / (9 * (kernel.shape[2] as number)));
      conv7.setWeights([tf.randomNormal(kernel.shape, 0, std, 'float32', seed + 50), tf.zerosLike(bias)]);
      const randomized = await gradCam(m, image, 0, 'PNEUMONIA');
      m.dispose();
      // An all-zero map (every channel's evidence negative) has no pattern to compare.
      if (Math.max(...original.values) > 0 && Math.max(...randomized.values) > 0)
        correlations.push(correlation(original.values, randomized.values));
    }
    expect(correlations.length).toBeGreaterThanOrEqual(3);
    expect(correlations.reduce((a, b) => a + b, 0) / correlations.length).toBeLessThan(0.5);
    expect(Math.max(...correlations)).toBeLessThan(0.8);
});
});
