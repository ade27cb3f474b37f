import { describe, expect, it } from 'vitest';
import { chooseBackend, describeChoice, fastest, isSoftwareRenderer, timeSession, trainingBackendOrder, type BackendChoice, type ChoiceStore } from './backend-select';
import type { BackendName } from './runtime';

/** A fake clock that each fake run advances by its backend's cost. */
function fakeWorld(costs: Partial<Record<BackendName, { first: number; steady: number }>>, failing: BackendName[] = []) {
  let t = 0;
  let active: BackendName | null = null;
  const opened: BackendName[] = [];
  return {
    opened,
    now: () => t,
    activate: async (b: BackendName) => {
      if (failing.includes(b) || !costs[b]) throw new Error(`${b} did not initialize`);
      active = b;
    },
    open: async () => {
      const b = active!;
      opened.push(b);
      let runs = 0;
      return { run: async () => void (t += runs++ === 0 ? costs[b]!.first : costs[b]!.steady), dispose: () => undefined };
    },
  };
}

class MemoryStore implements ChoiceStore {
  rows = new Map<string, BackendChoice>();
  async get(key: string) {
    return this.rows.get(key);
  }
  async put(c: BackendChoice) {
    this.rows.set(c.key, c);
  }
}

describe('backend choice by measurement', () => {
  it('picks the fastest per image, not the first that starts, and never a software GPU', async () => {
    const w = fakeWorld({ webgpu: { first: 9000, steady: 2400 }, webgl: { first: 5000, steady: 400 }, wasm: { first: 60, steady: 18 }, cpu: { first: 500, steady: 480 } });
    const gpu = async (b: BackendName) => (b === 'webgpu' ? 'software' : b === 'webgl' ? 'hardware' : 'cpu') as 'software' | 'hardware' | 'cpu';
    const { choice } = await chooseBackend({ modelKey: 'm@1', open: w.open, activate: w.activate, gpu, device: async () => 'dev', measure: { now: w.now } });
    expect(choice.backend).toBe('wasm');
    expect(choice.how).toBe('measured');
    expect(w.opened).not.toContain('webgpu');
    expect(choice.timings.find((t) => t.backend === 'webgl')?.msPerImage).toBe(400);
    expect(choice.reason).toBe('measured; wasm: 18 ms per image, webgpu: software adapter, not measured, webgl: 400 ms, cpu: not measured (never faster than wasm)');
    expect(w.opened).not.toContain('cpu');
  });

  it('stops timing a backend whose first run is already 10× slower than the best', async () => {
    const w = fakeWorld({ webgl: { first: 30, steady: 3 }, wasm: { first: 500, steady: 18 } });
    const gpu = async (b: BackendName) => (b === 'webgl' ? 'hardware' : 'cpu') as 'hardware' | 'cpu';
    const { choice } = await chooseBackend({ modelKey: 'm', candidates: ['webgl', 'wasm'], open: w.open, activate: w.activate, gpu, device: async () => 'd', measure: { now: w.now } });
    const wasm = choice.timings.find((t) => t.backend === 'wasm')!;
    expect(choice.backend).toBe('webgl');
    expect(wasm.runs).toBe(0);
    expect(choice.reason).toContain('wasm: ≥ 500 ms (first run)');
  });

  it('measures cpu when wasm does not run', async () => {
    const w = fakeWorld({ cpu: { first: 500, steady: 480 } }, ['wasm']);
    const { choice } = await chooseBackend({ modelKey: 'm', candidates: ['wasm', 'cpu'], open: w.open, activate: w.activate, gpu: async () => 'cpu', device: async () => 'd', measure: { now: w.now } });
    expect(choice.backend).toBe('cpu');
    expect(choice.timings.find((t) => t.backend === 'cpu')?.msPerImage).toBe(480);
  });

  it('caches the choice per device and model and reuses it without measuring', async () => {
    const store = new MemoryStore();
    const w = fakeWorld({ webgl: { first: 30, steady: 18 }, wasm: { first: 100, steady: 90 } });
    const common = { open: w.open, activate: w.activate, gpu: async () => 'hardware' as const, store, measure: { now: w.now }, candidates: ['webgl', 'wasm'] as BackendName[] };
    await chooseBackend({ ...common, modelKey: 'm@1', device: async () => 'laptop' });
    const opens = w.opened.length;
    const again = await chooseBackend({ ...common, modelKey: 'm@1', device: async () => 'laptop' });
    expect(again.choice.how).toBe('cached');
    expect(again.choice.backend).toBe('webgl');
    expect(w.opened.length).toBe(opens);
    // Another model (or device) is measured afresh.
    const other = await chooseBackend({ ...common, modelKey: 'm@2', device: async () => 'laptop' });
    expect(other.choice.how).toBe('measured');
    expect(store.rows.size).toBe(2);
  });

  it('skips backends that fail to start and says why', async () => {
    const w = fakeWorld({ cpu: { first: 100, steady: 90 } }, ['wasm']);
    const { choice, attempts } = await chooseBackend({ modelKey: 'm', candidates: ['wasm', 'cpu'], open: w.open, activate: w.activate, gpu: async () => 'cpu', device: async () => 'd', measure: { now: w.now } });
    expect(choice.backend).toBe('cpu');
    expect(attempts[0]).toMatchObject({ backend: 'wasm', ok: false });
    expect(choice.reason).toContain('wasm: does not start');
  });

  it('times within the budget, medians the runs, and formats the line', async () => {
    let t = 0;
    const costs = [100, 10, 30, 20];
    let i = 0;
    const r = await timeSession({ run: async () => void (t += costs[i++] ?? 20), dispose: () => undefined }, { runs: 3, budgetMs: 1000, now: () => t });
    expect(r).toEqual({ firstMs: 100, msPerImage: 20, runs: 3 });
    expect(fastest([{ backend: 'cpu', msPerImage: 5 }, { backend: 'wasm', msPerImage: 5 }])).toBe('cpu');
    expect(describeChoice('webgl', [{ backend: 'webgl', msPerImage: 2.44, runs: 5 }, { backend: 'wasm', msPerImage: 2400, runs: 5 }], 'cached')).toBe(
      'measured earlier on this device; webgl: 2.4 ms per image, wasm: 2.4 s',
    );
  });
});

describe('training backend order', () => {
  const kinds = (k: Partial<Record<BackendName, 'hardware' | 'software' | 'none'>>) => async (b: BackendName) => k[b] ?? 'cpu';

  it('passes over software WebGL too when WebGPU does not start (Chromium without WebGPU, no GPU)', async () => {
    expect(await trainingBackendOrder(kinds({ webgpu: 'none', webgl: 'software' }))).toEqual({ order: ['webgpu', 'wasm', 'cpu'], reason: 'software-gpu' });
  });

  it('passes over both GPU backends on a software adapter, and keeps real GPUs first', async () => {
    expect(await trainingBackendOrder(kinds({ webgpu: 'software', webgl: 'software' }))).toEqual({ order: ['wasm', 'cpu'], reason: 'software-gpu' });
    expect(await trainingBackendOrder(kinds({ webgpu: 'hardware', webgl: 'hardware' }))).toEqual({ order: ['webgpu', 'webgl', 'wasm', 'cpu'] });
  });

  it('names the software renderers of WebGL and WebGPU adapters alike', () => {
    for (const r of ['Google SwiftShader', 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)', 'llvmpipe (LLVM 15.0.6, 256 bits)', 'Microsoft Basic Render Driver']) expect(isSoftwareRenderer(r)).toBe(true);
    for (const r of ['ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0)', 'nvidia ampere', 'Apple M2']) expect(isSoftwareRenderer(r)).toBe(false);
  });
});
