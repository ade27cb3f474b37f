import '../src/cli/quiet-console';
import { spawnSync } from 'node:child_process';
import { readFileSync, mkdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeFile } from '../src/imaging/decode';
import { initBackend, setWasmLocation, tf, type BackendName, fsReader, Classifier, assessGate } from '../src/ml';
import { nodeWasmDir } from '../src/cli/ml-setup';
import { mixedKermany } from './inputs';
import { latencyPair, round, type Measurement } from './measurement';

/**
 * Node latency of the bundled model on one backend. Each backend runs in its
 * own process (`tsx bench/node-inference.ts <backend> <model dir> <out.json>`)
 * so its cold start really is cold: tfjs import, backend init, model load
 * (sha256 checks included) and the first classification.
 */

const STEADY_IMAGES = 20;
const MEMORY_BATCH = 8;

async function measure(backend: BackendName, modelDir: string): Promise<Measurement[]> {
  const files = mixedKermany(STEADY_IMAGES + 1);
  const bytes = files.map((f) => new Uint8Array(readFileSync(f)));
  const base = { section: 'node' as const, backend, unit: 'ms' as const };
  const out: Measurement[] = [];

  const t0 = performance.now();
  if (backend === 'wasm') setWasmLocation(nodeWasmDir());
  const { backend: got } = await initBackend([backend]);
  if (got !== backend) throw new Error(`asked for ${backend}, got ${got}`);
  const t1 = performance.now();
  const model = await Classifier.load(fsReader(modelDir));
  const t2 = performance.now();
  await model.classify(await decodeFile(files[0], bytes[0]));
  const t3 = performance.now();
  out.push(
    { ...base, name: 'cold start (backend + model load + first image)', value: round(t3 - t0) },
    { ...base, name: 'cold: backend init', value: round(t1 - t0) },
    { ...base, name: 'cold: model load', value: round(t2 - t1) },
    { ...base, name: 'cold: first image', value: round(t3 - t2) },
  );

  const total: number[] = [];
  const inference: number[] = [];
  const gate: number[] = [];
  for (let i = 1; i < files.length; i++) {
    const a = performance.now();
    const image = await decodeFile(files[i], bytes[i]);
    await model.classify(image);
    total.push(performance.now() - a);
    const input = model.prepare(image);
    const b = performance.now();
    await model.forward([input]);
    inference.push(performance.now() - b);
    if (model.card.gate) {
      const c = performance.now();
      await assessGate(model.card, [{ image }], [input]);
      gate.push(performance.now() - c);
    }
  }
  out.push(...latencyPair(base, 'steady per image, decode+preprocess+inference', total));
  out.push(...latencyPair(base, 'steady per image, inference only', inference));
  // Included in the decode+preprocess+inference line; shown apart so the classifier's own cost stays comparable.
  if (gate.length) out.push(...latencyPair(base, 'steady per image, refusal gate only (texture trunk + distance)', gate));

  // A leak shows as tensors left behind by a batch or an explanation.
  const images = await Promise.all(files.slice(1, 1 + MEMORY_BATCH).map((f, i) => decodeFile(f, bytes[i + 1])));
  await model.explain(images[0]); // warm-up: any per-model cache is built before counting
  const before = tf.memory().numTensors;
  const b0 = performance.now();
  await model.classifyBatch(images.map((image) => ({ image })));
  const batchMs = performance.now() - b0;
  const afterBatch = tf.memory().numTensors;
  await model.explain(images[0]);
  const afterGradCam = tf.memory().numTensors;
  out.push({ ...base, name: `batch of ${MEMORY_BATCH}, per image`, value: round(batchMs / MEMORY_BATCH), n: MEMORY_BATCH });
  const mem = { section: 'memory' as const, backend, unit: 'tensors' as const };
  out.push(
    { ...mem, name: `numTensors before a batch of ${MEMORY_BATCH}`, value: before },
    { ...mem, name: `numTensors after the batch`, value: afterBatch },
    { ...mem, name: `numTensors after a Grad-CAM`, value: afterGradCam },
    {
      section: 'memory', backend, unit: 'bool', name: 'no tensor leaked (before = after)',
      value: before === afterBatch && afterBatch === afterGradCam ? 1 : 0,
    },
  );
  model.dispose();
  return out;
}

const HERE = fileURLToPath(new URL('.', import.meta.url));

/** Runs each backend in a child process; a backend that fails yields one entry saying why. */
export function nodeInferenceBench(backends: BackendName[], modelDir: string, scratch: string): Measurement[] {
  mkdirSync(scratch, { recursive: true });
  const results: Measurement[] = [];
  for (const backend of backends) {
    const outFile = join(scratch, `node-${backend}.json`);
    rmSync(outFile, { force: true });
    const child = spawnSync(process.execPath, ['--import', 'tsx', join(HERE, 'node-inference.ts'), backend, modelDir, outFile], {
      stdio: ['ignore', 'inherit', 'pipe'],
      encoding: 'utf8',
      timeout: 300_000,
    });
    if (child.status === 0 && existsSync(outFile)) {
      results.push(...(JSON.parse(readFileSync(outFile, 'utf8')) as Measurement[]));
    } else {
      const why = (child.stderr || child.error?.message || `exit ${child.status}`).trim().split('\n').slice(-3).join(' ');
      results.push({ section: 'node', backend, name: 'cold start (backend + model load + first image)', value: null, unit: 'ms', note: `failed: ${why}` });
    }
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [backend, modelDir, outFile] = process.argv.slice(2);
  if (!backend || !modelDir || !outFile) {
    process.stderr.write('usage: tsx bench/node-inference.ts <cpu|wasm> <model dir> <out.json>\n');
    process.exit(2);
  }
  writeFileSync(outFile, JSON.stringify(await measure(backend as BackendName, modelDir), null, 2));
}
