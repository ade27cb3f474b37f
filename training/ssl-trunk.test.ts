/**
 * The self-supervised trunk against its PyTorch source: identical input
 * tensors (hash), features within 1e-4 (relative to their scale) on 12 real
 * films through tfjs, weights matching the card, a valid trunk card that names
 * its training data and licences, and never the COVID-CT set.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../src/ml/runtime';
import { validateTrunkCard } from '../src/ml/trunk/card';
import { SSL_TRUNK } from '../src/ml/trunk/constants';
import type { TrunkCard } from '../src/ml/trunk/types';
import { requireSharedData } from '../src/test-data';
import { sharedDataDir } from '../src/config';
import { PARITY_DIR, type ParityInput } from './parity-inputs';
import { sslParityInputs, SSL_TRUNK_DIR } from './ssl-parity';
import { loadLayersModelFromDir, logitsOf } from './tfjs-files';

const card = JSON.parse(readFileSync(join(SSL_TRUNK_DIR, 'card.json'), 'utf8')) as TrunkCard;
const reference = JSON.parse(readFileSync(join(PARITY_DIR, 'ssl-trunk-reference.json'), 'utf8')) as {
  images: { file: string; label: string; inputSha256: string; features: number[] }[];
};

describe('radiology-ssl-trunk', () => {
  let inputs: ParityInput[];

  beforeAll(async () => {
    requireSharedData('xray/kermany224/train');
    await initBackend(['cpu']);
    inputs = sslParityInputs(sharedDataDir(), SSL_TRUNK_DIR);
  });

  it('has a valid trunk card naming its data and licences, and the id and version the code offers', () => {
    expect(() => validateTrunkCard(card)).not.toThrow();
    expect(card.id).toBe(SSL_TRUNK.id);
    expect(card.version).toBe(SSL_TRUNK.version);
    const sources = card.trainingData!.sources;
    expect(sources.map((s) => s.source).sort()).toEqual(['dicom-samples', 'kermany', 'totalsegmentator']);
    for (const s of sources) expect(s.description).toMatch(/CC BY 4\.0|Apache-2\.0|MIT/);
    expect(JSON.stringify(sources)).not.toMatch(/covid/i);
    expect(card.featureDim).toBe(1104);
  });

  it('preprocesses exactly as the reference dump did (input tensor hashes)', () => {
    expect(inputs.map((i) => i.file)).toEqual(reference.images.map((i) => i.file));
    expect(inputs.map((i) => i.sha256)).toEqual(reference.images.map((i) => i.inputSha256));
  });

  it('gives the PyTorch features with tfjs on cpu (max |Δ| ≤ 1e-4 · max |feature|)', { timeout: 300_000 }, async () => {
    const model = await loadLayersModelFromDir(SSL_TRUNK_DIR);
    const feats = await logitsOf(model, inputs.map((i) => i.tensor), card.input.size);
    let maxDiff = 0, scale = 0;
    feats.forEach((row, i) => {
      expect(row.length).toBe(card.featureDim);
      row.forEach((v, k) => {
        maxDiff = Math.max(maxDiff, Math.abs(v - reference.images[i].features[k]));
        scale = Math.max(scale, Math.abs(reference.images[i].features[k]));
      });
    });
    console.info(`ssl trunk parity: max |Δ| ${maxDiff.toExponential(2)} over features up to ${scale.toFixed(2)}`);
    expect(scale).toBeGreaterThan(0);
    expect(maxDiff).toBeLessThanOrEqual(1e-4 * scale);
    expect(model.getLayer(card.layers.gradcam)).toBeDefined();
    model.dispose();
  });

  it('matches its weight file to the card and stays under 10 MB', () => {
    for (const w of card.weights) {
      const bytes = readFileSync(join(SSL_TRUNK_DIR, w.path));
      expect(bytes.length).toBe(w.bytes);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(w.sha256);
    }
    expect(card.weights.reduce((n, w) => n + w.bytes, 0)).toBeLessThan(10 * 1024 * 1024);
  });
});
