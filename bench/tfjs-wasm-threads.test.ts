import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { patchThreadCount } from '../scripts/tfjs-wasm-threads';

const require = createRequire(import.meta.url);
const glue = readFileSync(require.resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js'), 'utf8');

describe('tfjs-backend-wasm thread patch (tfjs#8513)', () => {
  it('doubles the logical-core answer and makes the factory self-contained, in the installed tfjs', () => {
    const patched = patchThreadCount(glue);
    expect(patched).toContain('return 2*navigator["hardwareConcurrency"]}');
    expect(patched).not.toContain('return navigator["hardwareConcurrency"]}');
    expect(patched).toMatch(/WasmBackendModuleThreadedSimd \|\| \{\};\nvar _scriptDir = /);
  });

  it('fails loudly on a glue it does not know, so a tfjs upgrade is reviewed', () => {
    expect(() => patchThreadCount('function(){return 4}')).toThrow(/review scripts\/tfjs-wasm-threads.ts/);
  });
});
