/**
 * Writes the parity images' model inputs (N×128×128 float32 LE, z-scored, HWC
 * with one channel) for parity_reference.py. Run: npx tsx training/dump_parity_inputs.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDataDir } from '../src/config';
import { CXR_INPUT_SPEC } from './input-spec';
import { parityInputs } from './parity-inputs';

const work = join(import.meta.dirname, 'work');
mkdirSync(work, { recursive: true });
const inputs = parityInputs(sharedDataDir(), CXR_INPUT_SPEC);
const all = new Float32Array(inputs.reduce((n, i) => n + i.tensor.length, 0));
let offset = 0;
for (const input of inputs) {
  all.set(input.tensor, offset);
  offset += input.tensor.length;
}
writeFileSync(join(work, 'parity-inputs.f32'), new Uint8Array(all.buffer));
writeFileSync(
  join(work, 'parity-inputs.json'),
  JSON.stringify({ size: CXR_INPUT_SPEC.size, images: inputs.map(({ file, label, sha256 }) => ({ file, label, sha256 })) }, null, 1),
);
console.error(`wrote ${inputs.length} parity inputs`);
