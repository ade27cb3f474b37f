import '../src/cli/quiet-console';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeFile } from '../src/imaging/decode';
import { initBackend, setWasmLocation, type BackendName, fsReader, loadModel, trainModel } from '../src/ml';
import { nodeWasmDir } from '../src/cli/ml-setup';
import { round, type Measurement } from './measurement';

/**
 * Head training in Node with the page's pipeline (src/ml/training), one child
 * process per backend: `tsx bench/node-training.ts <backend> <model dir> <data dir> <out.json>`.
 */

async function measure(backend: BackendName, modelDir: string, data: string): Promise<Measurement[]> {
  if (backend === 'wasm') setWasmLocation(nodeWasmDir());
  await initBackend([backend]);
  const base = await loadModel(fsReader(modelDir));
  const files = readdirSync(data).flatMap((label) =>
    readdirSync(join(data, label)).map((name) => ({ file: `${label}/${name}`, read: async () => new Uint8Array(readFileSync(join(data, label, name))) })),
  );
  const t0 = performance.now();
  const result = await trainModel({ files, decode: decodeFile, mode: 'head', base, tool: 'bench' });
  const seconds = (performance.now() - t0) / 1000;
  const m = { section: 'training' as const, backend };
  return [
    { ...m, name: `Node head training, ${files.length} images (features included)`, value: round(seconds), unit: 's', n: files.length, note: `${result.history.length} epochs` },
    { ...m, name: 'Node: validation AUC of the trained head', value: round(result.card.metrics.validation.auc, 4), unit: 'auc' },
  ];
}

const HERE = fileURLToPath(new URL('.', import.meta.url));

export function nodeTrainingBench(backends: BackendName[], modelDir: string, data: string, scratch: string): Measurement[] {
  const out: Measurement[] = [];
  for (const backend of backends) {
    process.stderr.write(`[bench] node training ${backend}…\n`);
    const outFile = join(scratch, `train-${backend}.json`);
    rmSync(outFile, { force: true });
    const child = spawnSync(process.execPath, ['--import', 'tsx', join(HERE, 'node-training.ts'), backend, modelDir, data, outFile], {
      stdio: ['ignore', 'ignore', 'pipe'],
      encoding: 'utf8',
      timeout: 600_000,
    });
    if (child.status === 0 && existsSync(outFile)) out.push(...(JSON.parse(readFileSync(outFile, 'utf8')) as Measurement[]));
    else
      out.push({
        section: 'training', backend, name: 'Node head training', value: null, unit: 's',
        note: `failed: ${(child.stderr || child.error?.message || `exit ${child.status}`).trim().split('\n').slice(-2).join(' ')}`,
      });
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [backend, modelDir, data, outFile] = process.argv.slice(2);
  writeFileSync(outFile, JSON.stringify(await measure(backend as BackendName, modelDir, data), null, 2));
}
