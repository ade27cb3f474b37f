import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../runtime';
import { layersModelFiles } from '../bundle/files';
import { buildTextureTrunk } from '../trunk/build';
import { TEXTURE_TRUNK } from '../trunk/constants';
import { validateCard } from '../card';
import { tinyCard, syntheticXray } from '../testing/tiny-model';
import { gateDistance } from './distance';
import { assessGate } from './assess';
import { gateTrunk } from './trunk';
import type { GateSpec } from './types';

const INPUT = { size: [32, 32] as [number, number], channels: 1 as const, fit: 'stretch' as const, interpolation: 'area' as const, window: { kind: 'display' as const }, normalization: { kind: 'zscore-image' as const } };

function spec(overrides: Partial<GateSpec> = {}): GateSpec {
  return {
    id: 'test-gate', version: '0.0.1', question: 'test', method: 'pca-mahalanobis', transform: 'identity',
    trunk: { id: TEXTURE_TRUNK.id, version: TEXTURE_TRUNK.version, channels: [...TEXTURE_TRUNK.channels], seed: TEXTURE_TRUNK.seed, weightsSha256: '0'.repeat(64) },
    input: INPUT,
    // d = 3, k = 1: the first axis is x, variance 4; the residual (y, z) has mean variance 0.25.
    center: [1, 0, 0], scale: [1, 2, 1], axes: [1, 0, 0], variances: [4], residualVariance: 0.25,
    threshold: 3, thresholdRule: 'test', fittedOn: 'test', refusal: {}, date: '2026-01-01',
    ...overrides,
  };
}

describe('gate distance', () => {
  it('is Mahalanobis in the subspace plus the scaled residual', () => {
    // z = ((3-1)/1, (2-0)/2, (1-0)/1) = (2, 1, 1): 2²/4 + (1² + 1²)/0.25 = 1 + 8.
    expect(gateDistance(spec(), [3, 2, 1])).toBeCloseTo(3, 12);
    expect(gateDistance(spec(), [1, 0, 0])).toBe(0);
  });
  it('applies the log transform before standardising', () => {
    const s = spec({ transform: 'log', center: [0, 0, 0], scale: [1, 1, 1] });
    expect(gateDistance(s, [Math.E - 1e-6, 1 - 1e-6, 1 - 1e-6])).toBeCloseTo(0.5, 6);
  });
  it('names a length mismatch', () => {
    expect(() => gateDistance(spec(), [1, 2])).toThrow(/gate features have 2 values, the gate expects 3/);
  });
});

describe('gate trunk and card section', () => {
  beforeAll(async () => {
    await initBackend(['cpu']);
  });

  it('refuses to run a trunk whose weights are not the ones the gate was fitted with', async () => {
    await expect(gateTrunk(spec({ trunk: { ...spec().trunk, seed: 1 } }))).rejects.toThrow(/weights sha256 [0-9a-f]{64}, the gate was fitted with 0{64}/);
  });

  it('runs on the classifier input when the preprocessing matches, and is absent without a gate', async () => {
    const model = buildTextureTrunk({ ...TEXTURE_TRUNK, size: 32 });
    const { entry } = await layersModelFiles(model);
    model.dispose();
    const d = TEXTURE_TRUNK.channels.reduce((n, c) => n + 3 * c, 0);
    const gate = spec({ trunk: { ...spec().trunk, weightsSha256: entry.sha256 }, center: new Array(d).fill(0), scale: new Array(d).fill(1), axes: [1, ...new Array(d - 1).fill(0)] });
    const card = tinyCard(new Uint8Array(1), 32, { gate });
    expect(() => validateCard(card)).not.toThrow();
    const image = syntheticXray(64);
    const [result] = (await assessGate(card, [{ image }]))!;
    expect(result.distance).toBeGreaterThan(0);
    expect(result.refused).toBe(result.distance > gate.threshold);
    expect(await assessGate(tinyCard(new Uint8Array(1), 32), [{ image }])).toBeUndefined();
    expect(() => validateCard({ ...card, gate: { ...gate, axes: [1] } })).toThrow(/gate\.axes/);
  });
});
