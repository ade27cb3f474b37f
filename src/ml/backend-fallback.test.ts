import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { currentBackend, initBackend, setWasmLocation, tf } from './runtime';
import { loadModel } from './model/load';
import { buildTinyModel, syntheticXray, tinyBundle } from './testing/tiny-model';
import { classifyImage } from './inference/classify';
import { gradCam } from './explain/gradcam';

const wasmDir = join(dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/';

afterAll(async () => {
  await initBackend(['cpu']);
});

describe('backend resolution', () => {
  it('skips a backend that cannot start here and says why', async () => {
    const { backend, attempts } = await initBackend(['webgpu', 'cpu']);
    expect(backend).toBe('cpu');
    expect(attempts[0].backend).toBe('webgpu');
    expect(attempts[0].ok).toBe(false);
    expect(attempts[0].reason).toBeTruthy();
    expect(attempts[1]).toEqual({ backend: 'cpu', ok: true });
  });

  it('classifies and explains on wasm the same as on cpu', async () => {
    const model = buildTinyModel(6);
    const { reader } = await tinyBundle(model);
    const image = syntheticXray(80, { seed: 12, blob: [0.3, 0.7] });
    await initBackend(['cpu']);
    const onCpu = await loadModel(reader);
    const cpuResult = await classifyImage(onCpu, image);
    const cpuMap = await gradCam(onCpu, image, 0, 'PNEUMONIA');
    onCpu.dispose();

    setWasmLocation(wasmDir);
    const { backend } = await initBackend(['wasm', 'cpu']);
    expect(backend).toBe('wasm');
    const onWasm = await loadModel(reader);
    const wasmResult = await classifyImage(onWasm, image);
    expect(wasmResult.scores.PNEUMONIA).toBeCloseTo(cpuResult.scores.PNEUMONIA, 4);
    await gradCam(onWasm, image, 0, 'PNEUMONIA');
    const before = tf.memory().numTensors;
    const wasmMap = await gradCam(onWasm, image, 0, 'PNEUMONIA');
    expect(currentBackend()).toBe('wasm');
    expect(tf.memory().numTensors).toBe(before);
    for (let i = 0; i < cpuMap.values.length; i++) expect(wasmMap.values[i]).toBeCloseTo(cpuMap.values[i], 3);
    expect(wasmMap.backend).toBe('wasm'); // natively, no cpu fallback
    onWasm.dispose();
  });
});
