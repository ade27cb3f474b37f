import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { currentBackend, initBackend, setWasmLocation, tf } from './runtime';
import { backendHealthy, withBackendRecovery, type BackendSwitch } from './backend-recovery';
import { loadModel, type LoadedModel } from './model/load';
import { buildTinyModel, syntheticXray, tinyBundle } from './testing/tiny-model';
import { classifyImage } from './inference/classify';

const wasmDir = join(dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/';

/** What a lost device looks like from tfjs: every read of a result fails. */
function breakActiveBackend(): void {
  const backend = tf.backend() as unknown as { read: () => never; readSync: () => never };
  const lost = () => {
    throw new Error('Device is lost');
  };
  backend.read = lost;
  backend.readSync = lost;
}

afterAll(async () => {
  await initBackend(['cpu']);
});

describe('backend recovery', () => {
  it('recreates a backend that fails mid-work, reloads the model and retries: same answer, nothing lost', async () => {
    await initBackend(['cpu']);
    const { reader } = await tinyBundle(buildTinyModel(3));
    let model: LoadedModel = await loadModel(reader);
    const image = syntheticXray(64, { seed: 3 });
    const expected = await classifyImage(model, image);

    breakActiveBackend();
    expect(await backendHealthy()).toBe(false);
    const switches: BackendSwitch[] = [];
    const result = await withBackendRecovery(() => classifyImage(model, image), {
      order: ['cpu'],
      async onSwitch(change) {
        switches.push(change);
        model = await loadModel(reader);
      },
    });
    expect(switches).toHaveLength(1);
    expect(switches[0]).toMatchObject({ previous: 'cpu', backend: 'cpu', recreated: true });
    expect(switches[0].cause).toMatch(/Device is lost/);
    expect(result.scores.PNEUMONIA).toBeCloseTo(expected.scores.PNEUMONIA, 5);
    expect(await backendHealthy()).toBe(true);
    model.dispose();
  });

  it('falls back to the next backend of the order when the failed one cannot be recreated', async () => {
    setWasmLocation(wasmDir);
    await initBackend(['wasm']);
    const { reader } = await tinyBundle(buildTinyModel(4));
    let model: LoadedModel = await loadModel(reader);
    const image = syntheticXray(64, { seed: 4 });
    breakActiveBackend();
    // The wasm factory now fails too, as a backend whose device cannot be had again.
    const registry = (tf.engine() as unknown as { registryFactory: Record<string, { factory: () => unknown }> }).registryFactory;
    const factory = registry.wasm.factory;
    registry.wasm.factory = () => {
      throw new Error('no device');
    };
    const switches: BackendSwitch[] = [];
    try {
      const result = await withBackendRecovery(() => classifyImage(model, image), {
        order: ['wasm', 'cpu'],
        async onSwitch(change) {
          switches.push(change);
          model = await loadModel(reader);
        },
      });
      expect(result.label === null || typeof result.label === 'string').toBe(true);
      expect(switches[0]).toMatchObject({ previous: 'wasm', backend: 'cpu', recreated: false });
      expect(switches[0].attempts[0]).toMatchObject({ backend: 'wasm', ok: false });
      expect(currentBackend()).toBe('cpu');
    } finally {
      registry.wasm.factory = factory;
      model.dispose();
    }
  });

  it('leaves an error with a healthy backend alone: it belongs to the input', async () => {
    await initBackend(['cpu']);
    let switched = false;
    await expect(
      withBackendRecovery(async () => {
        throw new Error('model input has 3 values, expected 12288');
      }, { order: ['cpu'], onSwitch: async () => void (switched = true) }),
    ).rejects.toThrow(/model input/);
    expect(switched).toBe(false);
  });
});
