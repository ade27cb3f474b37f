import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PROJECT_ROOT } from '../src/config';
import type { Measurement } from './measurement';

/**
 * `--only bundle`: what the built app makes a first visit download. "Initial"
 * is what index.html loads before any user action (its module script and the
 * chunks it preloads); tfjs and its backends live in the ML worker and load
 * after the page is up. Sizes are gzip level 9 of each file in dist/.
 */

const gz = (path: string) => gzipSync(readFileSync(path), { level: 9 }).length;
const kB = (bytes: number) => Math.round(bytes / 102.4) / 10;

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

export function bundleBench(dist = join(PROJECT_ROOT, 'dist'), models = join(PROJECT_ROOT, 'public', 'models')): Measurement[] {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const initial = [...html.matchAll(/<(?:script[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="([^"]+\.js)"/g)].map((m) => join(dist, m[1].replace(/^\.?\//, '').replace(/^.*?assets\//, 'assets/')));
  const js = walk(join(dist, 'assets')).filter((p) => p.endsWith('.js'));
  const workers = js.filter((p) => /worker/.test(p));
  const wasm = walk(dist).filter((p) => p.endsWith('.wasm'));
  const base = { section: 'bundle' as const };
  const sum = (xs: string[], f: (p: string) => number) => xs.reduce((n, p) => n + f(p), 0);
  const out: Measurement[] = [
    { ...base, name: 'initial JS (index.html script + modulepreloads), gzip', value: kB(sum(initial, gz)), unit: 'kB', n: initial.length, note: `target ≤ 500 kB without the tfjs backends: ${kB(sum(initial, gz)) <= 500 ? 'met' : 'NOT met'}; tfjs is not in it (it loads in the ML worker)` },
    { ...base, name: 'all JS, gzip', value: kB(sum(js, gz)), unit: 'kB', n: js.length },
    { ...base, name: 'worker entry JS (ML + training workers, tfjs inside), gzip', value: kB(sum(workers, gz)), unit: 'kB', n: workers.length },
    { ...base, name: 'WASM binaries (tfjs backends + codecs), raw', value: kB(sum(wasm, (p) => statSync(p).size)), unit: 'kB', n: wasm.length },
  ];
  for (const id of readdirSync(models)) {
    const files = walk(join(models, id));
    out.push({ ...base, name: `model ${id}: files (model.json, weights, card)`, value: kB(sum(files, (p) => statSync(p).size)), unit: 'kB', n: files.length, note: `gzip ${kB(sum(files, gz))} kB` });
  }
  return out;
}
