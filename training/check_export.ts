/**
 * Loads an exported model with tfjs (cpu) and compares it with the torch
 * reference logits of the parity images. Prints one JSON line; exits 1 on a
 * mismatch. Run: npx tsx training/check_export.ts [model dir] [reference json]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDataDir } from '../src/config';
import { initBackend } from '../src/ml/runtime';
import { CXR_INPUT_SPEC } from './input-spec';
import { parityInputs, PARITY_DIR } from './parity-inputs';
import { loadLayersModelFromDir, logitsOf } from './tfjs-files';

const modelDir = process.argv[2] ?? join(import.meta.dirname, '../public/models/cxr-pneumonia');
const referencePath = process.argv[3] ?? join(PARITY_DIR, 'reference-outputs.json');

await initBackend(['cpu']);
const reference = JSON.parse(readFileSync(referencePath, 'utf8')) as { images: { file: string; inputSha256: string; logits: number[] }[] };
const inputs = parityInputs(sharedDataDir(), CXR_INPUT_SPEC);
const model = await loadLayersModelFromDir(modelDir);
const logits = await logitsOf(model, inputs.map((i) => i.tensor), CXR_INPUT_SPEC.size);
let maxDiff = 0;
let hashMismatches = 0;
inputs.forEach((input, i) => {
  if (input.sha256 !== reference.images[i].inputSha256) hashMismatches++;
  logits[i].forEach((v, k) => (maxDiff = Math.max(maxDiff, Math.abs(v - reference.images[i].logits[k]))));
});
const layers = model.layers.map((l) => l.name);
console.log(JSON.stringify({ n: inputs.length, maxDiff, hashMismatches, headStart: layers.indexOf('dropout'), layers }));
process.exit(maxDiff <= 1e-4 && hashMismatches === 0 ? 0 : 1);
