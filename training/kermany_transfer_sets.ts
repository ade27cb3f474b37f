/**
 * Folders for the Kermany transfer check (training/README.md): 500 films of the
 * carved TRAIN split (seeded sample, natural class mix) and the whole carved
 * TEST split, copied by class into <out>/train and <out>/test (outside the
 * repository). Both trunks and the chest X-ray model saw only train-split films.
 * Run: npx tsx training/kermany_transfer_sets.ts <out dir>
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDataDir } from '../src/config';
import { seededRandom } from '../src/ml/random';
import { patientOf, splitByGroup, type SplitItem } from './dataset-split';

const out = process.argv[2];
if (!out) throw new Error('usage: npx tsx training/kermany_transfer_sets.ts <out dir>');
const root = join(sharedDataDir(), 'xray/kermany224/train');
const items: (SplitItem & { path: string; name: string })[] = [];
for (const label of ['NORMAL', 'PNEUMONIA'])
  for (const name of readdirSync(join(root, label)).sort()) {
    const path = join(root, label, name);
    items.push({ path, name, file: `xray/kermany224/train/${label}/${name}`, label, patient: patientOf(name), sha256: createHash('sha256').update(readFileSync(path)).digest('hex') });
  }
const splits = splitByGroup(items, { train: 0.7, val: 0.15, test: 0.15 }, 20180222);
const train = items.filter((_, i) => splits[i] === 'train');
const random = seededRandom(500);
for (let i = train.length - 1; i > 0; i--) {
  const j = Math.floor(random() * (i + 1));
  [train[i], train[j]] = [train[j], train[i]];
}
const copy = (list: typeof items, dir: string) => {
  for (const it of list) {
    mkdirSync(join(out, dir, it.label), { recursive: true });
    copyFileSync(it.path, join(out, dir, it.label, it.name));
  }
};
copy(train.slice(0, 500), 'train');
copy(items.filter((_, i) => splits[i] === 'test'), 'test');
console.error(`wrote ${out}/train (500) and ${out}/test (${splits.filter((s) => s === 'test').length})`);
