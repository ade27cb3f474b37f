/**
 * Frozen-trunk features of every COVID-CT slice (official train and val), plain
 * and 4 augmented views, through the pipeline's own readDataset/viewFeatures,
 * with the pipeline's patient splits (seeds 42, 1, 2, 3, 4) and folds, for
 * training/head_experiments.py. Experiment script, not part of the app; the
 * COVID-CT set is only read here, never shipped.
 * Run: npx tsx training/dump_ct_features.ts <out dir> texture-trunk radiology-ssl-trunk
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { sharedDataDir } from '../src/config';
import { decodeFile } from '../src/imaging/decode';
import { initBackend } from '../src/ml/runtime';
import { readDataset } from '../src/ml/training/read-dataset';
import { labelsFromFolders } from '../src/ml/training/dataset';
import { viewFeatures } from '../src/ml/training/feature-views';
import { splitByPatient, DEFAULT_SPLIT } from '../src/ml/training/split';
import { patientFolds } from '../src/ml/training/crossval';
import { loadCliBase } from '../src/cli/ml-setup';
import { listInputFiles } from '../src/cli/io';
const [out, ...bases] = process.argv.slice(2);
const root = join(sharedDataDir(), 'ct/covid-ct');
await initBackend(['wasm', 'cpu']);
const csv = readFileSync(join(root, 'labels.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
const patientOf = new Map(csv.map((r) => [r[0], r[3]]));
const meta: Record<string, unknown> = {};
for (const part of ['train', 'val']) {
  const dir = join(root, part);
  const paths = await listInputFiles([dir]);
  const rel = paths.map((p) => relative(dir, p).split(sep).join('/'));
  const files = new Map(paths.map((p, i) => [rel[i], { file: rel[i], read: async () => new Uint8Array(readFileSync(p)) }]));
  const labelled = labelsFromFolders(rel).files;
  for (const id of bases) {
    const base = await loadCliBase(id);
    const t0 = Date.now();
    const r = await readDataset({ labelled, files, decode: decodeFile, input: base.card.input, trunk: { model: base.model, card: base.card }, keepImages: true });
    const t1 = Date.now();
    const views = await viewFeatures({ model: base.model, card: base.card, views: 4, images: r.images, sha256s: r.items.map((it) => it.sha256) });
    const t2 = Date.now();
    const n = r.items.length, d = r.features[0].length;
    const flat = new Float32Array(n * 5 * d);
    for (let i = 0; i < n; i++) { flat.set(r.features[i], (i * 5) * d); for (let v = 0; v < 4; v++) flat.set(views[v][i], (i * 5 + v + 1) * d); }
    writeFileSync(join(out, `${id}-${part}.f32`), flat);
    const splits: Record<number, string[]> = {}, folds: Record<number, number[]> = {};
    if (part === 'train') for (const seed of [42, 1, 2, 3, 4]) {
      const s = splitByPatient(r.items, DEFAULT_SPLIT, seed);
      splits[seed] = s;
      const tr = r.items.map((_, i) => i).filter((i) => s[i] === 'train');
      const f = patientFolds(tr.map((i) => r.items[i]), 5, seed)!;
      const full = new Array(n).fill(-1); tr.forEach((i, k) => (full[i] = f.fold[k]));
      folds[seed] = full;
    }
    meta[`${id}-${part}`] = { n, d, plainSeconds: (t1 - t0) / 1000, viewSeconds: (t2 - t1) / 1000, items: r.items.map((it) => ({ file: it.file, label: it.label, patient: it.patient, csvPatient: patientOf.get(`${part}/${it.file}`), sha: it.sha256 })), splits, folds };
    console.error(id, part, n, d, (t1 - t0) / 1000, (t2 - t1) / 1000);
    base.dispose();
  }
}
writeFileSync(join(out, 'meta.json'), JSON.stringify(meta));
