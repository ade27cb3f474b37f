import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { beforeAll, describe } from 'vitest';
import { initBackend, setWasmLocation, type BackendName } from '../runtime';

/**
 * Test-only: runs a describe block once per tfjs backend, as tfjs-models'
 * describeWithFlags(ALL_ENVS) does. Node has cpu and wasm, and wasm is what
 * the CLI and the page's training use, so both are covered by default.
 */

export const TEST_BACKENDS: readonly BackendName[] = ['cpu', 'wasm'];

/** Switches tfjs to `backend` (the .wasm files from the installed package, never a CDN); fails if another one wins. */
export async function useBackend(backend: BackendName): Promise<void> {
  if (backend === 'wasm') setWasmLocation(join(dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');
  const { backend: got, attempts } = await initBackend([backend]);
  if (got !== backend) throw new Error(`backend ${backend} did not start: ${JSON.stringify(attempts)}`);
}

export function describeWithBackends(name: string, body: (backend: BackendName) => void, backends: readonly BackendName[] = TEST_BACKENDS): void {
  for (const backend of backends)
    describe(`${name} [${backend}]`, () => {
      beforeAll(() => useBackend(backend));
      body(backend);
    });
}
