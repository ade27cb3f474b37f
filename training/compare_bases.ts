/**
 * The CT base comparison of training/README.md in one process: for each base,
 * `trainModel` in head mode with the CLI's defaults on COVID-CT's official
 * train split for split seeds 42, 1, 2 (one feature cache per base, so the
 * trunk runs once per image and view), then the AUC on the official,
 * patient-disjoint val split, which training never sees. The cross-validation
 * spread is what the page and CLI report. The COVID-CT set is only read here,
 * never shipped or used for any trunk. Experiment script, not part of the app.
 * Run: npx tsx training/compare_bases.ts <out.json> [base ...]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { sharedDataDir } from '../src/config';
import { decodeFile } from '../src/imaging/decode';
import { prepareModelInput } from '../src/imaging/preprocess';
import { initBackend, tf } from '../src/ml/runtime';
import { auc, bootstrapAucCI } from '../src/ml/metrics';
import { trainModel } from '../src/ml/training/pipeline';
import { MemoryFeatureCache } from '../src/ml/training/feature-cache';
import { loadCliBase } from '../src/cli/ml-setup';
import { listInputFiles } from '../src/cli/io';

const [outPath, ...baseArgs] = process.argv.slice(2);
const bases = baseArgs.length ? baseArgs : ['texture-trunk', 'radiology-ssl-trunk', 'cxr-pneumonia'];
const SEEDS = [42, 1, 2];
const root = join(sharedDataDir(), 'ct/covid-ct');
await initBackend(['wasm', 'cpu']);
const trainDir = join(root, 'train');
const trainFiles = (await listInputFiles([trainDir])).map((p) => ({ file: relative(trainDir, p).split(sep).join('/'), read: async () => new Uint8Array(readFileSync(p)) }));
const valPaths = await listInputFiles([join(root, 'val')]);
const valImages = await Promise.all(valPaths.map(async (p) => ({ label: p.includes(`${sep}NonCOVID${sep}`) ? 0 : 1, image: await decodeFile(p, new Uint8Array(readFileSync(p))) })));
const results: Record<string, unknown>[] = [];
for (const id of bases) {
  const base = await loadCliBase(id);
  const cache = new MemoryFeatureCache();
  for (const seed of SEEDS) {
    const cpu0 = process.cpuUsage();
    const r = await trainModel({ files: trainFiles, decode: decodeFile, mode: 'head', base, seed, cache, modalities: ['CT'] });
    const cpu = process.cpuUsage(cpu0);
    const [h, w] = r.card.input.size;
    const scores: number[] = [];
    for (let s = 0; s < valImages.length; s += 16) {
      const chunk = valImages.slice(s, s + 16);
      const flat = new Float32Array(chunk.length * h * w);
      chunk.forEach((v, k) => flat.set(prepareModelInput(v.image, 0, r.card.input).subarray(0, h * w), k * h * w));
      const p = tf.tidy(() => tf.softmax(r.model.predict(tf.tensor4d(flat, [chunk.length, h, w, 1])) as tf.Tensor).arraySync() as number[][]);
      scores.push(...p.map((row) => row[r.card.labels.indexOf(r.card.positiveLabel)]));
    }
    const y = valImages.map((v) => v.label);
    const row = {
      base: r.card.training.baseModel, seed, officialValAuc: auc(scores, y), officialValCI95: bootstrapAucCI(scores, y),
      carvedValAuc: r.card.metrics.validation.auc, carvedTestAuc: r.card.metrics.test?.auc, crossValidation: r.card.training.crossValidation,
      views: r.card.training.augmentViews, wallSeconds: r.seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, cacheHitsAfterFirst: r.cacheHits,
    };
    console.error(JSON.stringify({ base: row.base, seed, val: row.officialValAuc.toFixed(3), cv: row.crossValidation?.mean.toFixed(3), ci: row.crossValidation?.ci95.map((v) => v.toFixed(3)), s: row.wallSeconds.toFixed(0) }));
    results.push(row);
    r.model.dispose();
    writeFileSync(outPath, JSON.stringify(results, null, 1));
  }
  base.dispose();
}
