/**
 * The SSL trunk's parity inputs: 12 of the parity films (6 per class, Kermany
 * carved test split, never seen in pretraining) through the serving pipeline
 * at the trunk card's InputSpec → work/ssl-parity-inputs.{f32,json} for
 * ssl_parity_reference.py. Run: npx tsx training/dump_ssl_parity_inputs.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDataDir } from '../src/config';
import { sslParityInputs, SSL_TRUNK_DIR } from './ssl-parity';

const work = join(import.meta.dirname, 'work');
mkdirSync(work, { recursive: true });
const inputs = sslParityInputs(sharedDataDir(), SSL_TRUNK_DIR);
const all = new Float32Array(inputs.reduce((n, i) => n + i.tensor.length, 0));
inputs.forEach((input, k) => all.set(input.tensor, k * input.tensor.length));
writeFileSync(join(work, 'ssl-parity-inputs.f32'), new Uint8Array(all.buffer));
writeFileSync(join(work, 'ssl-parity-inputs.json'), JSON.stringify({ images: inputs.map(({ file, label, sha256 }) => ({ file, label, sha256 })) }, null, 1));
console.error(`wrote ${inputs.length} SSL parity inputs`);
