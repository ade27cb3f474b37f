import '../src/cli/quiet-console';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PROJECT_ROOT } from '../src/config';
import { type BackendName, modelTag } from '../src/ml';
import { imagingBench } from './imaging';
import { nodeInferenceBench } from './node-inference';
import { nodeTrainingBench } from './node-training';
import { chromiumInferenceBench, type PageBackend } from './chromium-inference';
import { chromiumTrainingBench } from './chromium-training';
import { makeTrainFolder } from './train-folder';
import { BENCH_PORT, ensureBuild, launchChromium, startPreview } from './browser';
import { imagingMeasurements, markdownReport } from './report';
import type { Measurement } from './measurement';
import { ctTransferBench } from './ct-transfer';
import { serveBench } from './serve';
import { enginesBench, rowsMarkdown, type EngineRow } from './engines';
import { bundleBench } from './bundle';
import { reliabilityBench } from './reliability-section';

/**
 * npm run bench [-- --only node,chromium,imaging,training,ct,serve,engines,bundle] [--model <dir>]
 *   [--backends webgpu,webgl,wasm,cpu] [--train-backends auto,wasm] [--node-training] [--out <dir>] [--merge]
 * Writes bench/results.json and bench/results.md (scratch files go to bench/out/).
 * Not part of `npm test`: the numbers depend on the machine.
 */

type Section = 'node' | 'chromium' | 'imaging' | 'training' | 'ct' | 'serve' | 'engines' | 'bundle' | 'reliability';
const ALL: Section[] = ['node', 'chromium', 'imaging', 'training', 'ct', 'serve', 'engines', 'bundle', 'reliability'];
const TRAIN_PER_CLASS = 250;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const only = (arg('only')?.split(',') as Section[] | undefined) ?? ALL;
const modelDir = resolve(arg('model') ?? join(PROJECT_ROOT, 'public', 'models', 'cxr-pneumonia'));
const pageBackends = (arg('backends')?.split(',') as PageBackend[] | undefined) ?? ['webgpu', 'webgl', 'wasm', 'cpu'];
const trainBackends = arg('train-backends')?.split(',') ?? ['auto', 'wasm'];
const outDir = resolve(arg('out') ?? join(PROJECT_ROOT, 'bench'));
const scratch = join(PROJECT_ROOT, 'bench', 'out');
mkdirSync(scratch, { recursive: true });

const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);
const measurements: Measurement[] = [];
const card = existsSync(join(modelDir, 'card.json')) ? JSON.parse(readFileSync(join(modelDir, 'card.json'), 'utf8')) : null;
const env: Record<string, string> = {
  date: new Date().toISOString(),
  model: card ? `${modelTag(card)} (input ${card.input.size.join('×')}×${card.input.channels})` : `none at ${modelDir}`,
  node: process.version,
  cpu: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
  'load average at start': loadavg().map((x) => x.toFixed(1)).join(' '),
};
const started = Date.now();

if (only.includes('node')) {
  log('node inference (cpu, wasm)…');
  measurements.push(...nodeInferenceBench(['cpu', 'wasm'], modelDir, scratch));
}

if (only.includes('chromium') || only.includes('training')) {
  log('building the app if stale…');
  ensureBuild();
  const server = await startPreview();
  const browser = await launchChromium();
  env.chromium = `${browser.version()} (headless, WebGPU on SwiftShader)`;
  try {
    if (only.includes('chromium')) measurements.push(...(await chromiumInferenceBench(browser, server.url, pageBackends)));
    if (only.includes('training')) {
      log('training on the Training page…');
      const folder = makeTrainFolder(join(tmpdir(), 'radlens-bench-train'), TRAIN_PER_CLASS);
      const trained: Measurement[] = [];
      for (const backend of trainBackends) {
        log(`  training page, backend ${backend}…`);
        trained.push(...(await chromiumTrainingBench(browser, server.url, folder, 2 * TRAIN_PER_CLASS, backend === 'auto' ? undefined : backend)));
      }
      log('  training page, chest X-ray base without views…');
      trained.push(...(await chromiumTrainingBench(browser, server.url, folder, 2 * TRAIN_PER_CLASS, undefined, undefined, { base: 'cxr-pneumonia', views: 0 })));
      measurements.push(...trained);
      if (process.argv.includes('--node-training') || trained.every((m) => m.value === null)) {
        log('node head training (wasm, cpu)…');
        measurements.push(...nodeTrainingBench(['wasm', 'cpu'] as BackendName[], modelDir, folder, scratch));
      }
    }
  } finally {
    await browser.close();
    server.stop();
  }
}

let rows: EngineRow[] | null = null;
if (only.includes('engines')) {
  log('engines: tfjs and ONNX Runtime Web side by side in Chromium…');
  const browser = await launchChromium();
  try {
    // Its own static server (COOP/COEP, and /plain/ without): ENGINES_PORT, else BENCH_PORT once preview has let it go.
    const r = await enginesBench(browser, modelDir, scratch, Number(process.env.ENGINES_PORT || BENCH_PORT));
    rows = r.rows;
    measurements.push(...r.measurements);
    env['load average after engines'] = loadavg().map((x) => x.toFixed(1)).join(' ');
  } finally {
    await browser.close();
  }
}

if (only.includes('bundle')) {
  log('bundle sizes…');
  ensureBuild();
  measurements.push(...bundleBench());
}

if (only.includes('ct')) {
  log('CT transfer check (npm run train / evaluate on COVID-CT)…');
  measurements.push(...ctTransferBench(scratch));
}

if (only.includes('serve')) {
  log('model service under load (npm run serve on loopback)…');
  measurements.push(...(await serveBench()));
}

if (only.includes('reliability')) {
  log('reliability: batch of 1,000 and a 2,000-image soak on the Classify page (several minutes)…');
  env['load average before reliability'] = loadavg().map((x) => x.toFixed(1)).join(' ');
  measurements.push(...(await reliabilityBench(log)));
}

if (only.includes('imaging')) {
  log('imaging…');
  measurements.push(...imagingMeasurements(await imagingBench()));
}

env['bench wall time'] = `${Math.round((Date.now() - started) / 1000)} s`;
// --merge: keep the earlier run's other sections and replace only the ones run now.
if (process.argv.includes('--merge') && existsSync(join(outDir, 'results.json'))) {
  const rerun = new Set<string>(only.flatMap((s) => (s === 'node' ? ['node', 'memory'] : [s])));
  const earlier = JSON.parse(readFileSync(join(outDir, 'results.json'), 'utf8')) as { environment: Record<string, string>; measurements: Measurement[]; rows?: EngineRow[] };
  // A chromium rerun of some backends keeps the earlier rows of the others.
  const partialChromium = only.includes('chromium') && arg('backends') !== undefined;
  const keep = (m: Measurement) =>
    !rerun.has(m.section) || (partialChromium && m.section === 'chromium' && !pageBackends.some((b) => m.backend === b || (b === 'auto' && m.backend?.startsWith("page's choice"))));
  measurements.unshift(...earlier.measurements.filter(keep));
  rows ??= earlier.rows ?? null;
  env[`rerun of ${only.join(', ')}`] = `${env.date} (${env['bench wall time']})`;
  const model = env.model;
  Object.assign(env, { ...earlier.environment, [`rerun of ${only.join(', ')}`]: `${env.date}, ${env['bench wall time']}, load ${env['load average at start']}` });
  // The model is the one measured now; sections kept from before may have run another version.
  if (earlier.environment.model && earlier.environment.model !== model) env['model of earlier sections'] = earlier.environment.model;
  env.model = model;
}
// Sections in a fixed order whatever order they ran in.
const order: Measurement['section'][] = ['engines', 'bundle', 'node', 'memory', 'chromium', 'imaging', 'training', 'ct', 'serve', 'reliability'];
measurements.sort((a, b) => order.indexOf(a.section) - order.indexOf(b.section));
mkdirSync(outDir, { recursive: true });
// `rows`: one per inference engine (CONTRACT.md "The benchmark"), first so outside checks find it at the top.
writeFileSync(join(outDir, 'results.json'), JSON.stringify({ rows: rows ?? [], environment: env, measurements }, null, 2) + '\n');
writeFileSync(join(outDir, 'results.md'), markdownReport(measurements, env, rows ? rowsMarkdown(rows) : ''));
log(`wrote ${join(outDir, 'results.json')} and results.md (${env['bench wall time']})`);
