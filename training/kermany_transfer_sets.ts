/**
 * Folders for the Kermany transfer check (training/README.md): 500 films of the
 * carved TRAIN split (seeded sample, natural class mix) and the whole carved
 * TEST split, copied by class into <out>/train and <out>/test (outside the
 * repository). Both trunks and the chest X-ray model saw only train-split films.
 * Run: npx tsx training/kermany_transfer_sets.ts <out dir>
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDataDir } from '../src/config';
import { seededRandom } from '../src/ml/random';
import { kermanyFilms, type KermanyFilm } from './dataset-split';

const out = process.argv[2];
if (!out) throw new Error('usage: npx tsx training/kermany_transfer_sets.ts <out dir>');
const films = kermanyFilms(sharedDataDir());
const train = films.filter((f) => f.split === 'train');
const random = seededRandom(500);
for (let i = train.length - 1; i > 0; i--) {
  const j = Math.floor(random() * (i + 1));
  [train[i], train[j]] = [train[j], train[i]];
}
const copy = (list: KermanyFilm[], dir: string) => {
  for (const it of list) {
    mkdirSync(join(out, dir, it.label), { recursive: true });
    copyFileSync(it.path, join(out, dir, it.label, it.name));
  }
};
copy(train.slice(0, 500), 'train');
const test = films.filter((f) => f.split === 'test');
copy(test, 'test');
console.error(`wrote ${out}/train (500) and ${out}/test (${test.length})`);
