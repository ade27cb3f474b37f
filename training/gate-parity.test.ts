/**
 * The refusal gate in tfjs (the page's and the CLI's code) against its fit in
 * PyTorch/numpy: the trunk built from the card's recipe has the weights the gate
 * was fitted with, and the distances on 24 real films agree within 1e-3 (relative).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../src/ml/runtime';
import type { ModelCard } from '../src/ml/card-types';
import { gateDistance, gateFeatures } from '../src/ml/gate';
import { gateTrunk } from '../src/ml/gate/trunk';
import { GATE_TRUNK } from '../src/ml/gate/recipe';
import { requireSharedData } from '../src/test-data';
import { sharedDataDir } from '../src/config';
import { parityInputs, PARITY_DIR, type ParityInput } from './parity-inputs';

const card = JSON.parse(readFileSync(join(import.meta.dirname, '../public/models/cxr-pneumonia/card.json'), 'utf8')) as ModelCard;
const reference = JSON.parse(readFileSync(join(PARITY_DIR, 'gate-reference.json'), 'utf8')) as {
  threshold: number; images: { file: string; inputSha256: string; distance: number }[];
};

describe('cxr-pneumonia refusal gate', () => {
  let inputs: ParityInput[];

  beforeAll(async () => {
    requireSharedData('xray/kermany224/train');
    await initBackend(['cpu']);
    inputs = parityInputs(sharedDataDir(), card.gate!.input);
  });

  it('builds its trunk from the recipe it was fitted on, and the reference was made with this gate', async () => {
    const gate = card.gate!;
    expect(gate.trunk).toMatchObject({ id: GATE_TRUNK.id, version: GATE_TRUNK.version, channels: [...GATE_TRUNK.channels], seed: GATE_TRUNK.seed });
    await expect(gateTrunk(gate)).resolves.toBeDefined(); // rejects when the built weights' sha256 differs from the fitted one
    expect(reference.threshold).toBe(gate.threshold);
    expect(inputs.map((i) => i.sha256)).toEqual(reference.images.map((i) => i.inputSha256));
  });

  it('gives the PyTorch distances within 1e-3 (relative) and lets every parity film through', { timeout: 300_000 }, async () => {
    const features = await gateFeatures(card.gate!, inputs.map((i) => i.tensor));
    const distances = features.map((f) => gateDistance(card.gate!, f));
    distances.forEach((d, i) => expect(Math.abs(d - reference.images[i].distance) / reference.images[i].distance).toBeLessThan(1e-3));
    expect(Math.max(...distances)).toBeLessThan(card.gate!.threshold);
  });
});
