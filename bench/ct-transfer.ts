import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT, sharedDataDir } from '../src/config';
import { round, type Measurement } from './measurement';
import { BUNDLED_TRUNK_IDS, DEFAULT_HEAD_BASE } from '../src/ml';

/**
 * The CT check, run as a user runs it: `npm run train` in head mode
 * (default base and options) on COVID-CT's official train split, then
 * `npm run evaluate` on its official, patient-disjoint val split, which the
 * training never sees. Three split seeds show how much the carve-out alone moves
 * the result; the 5-fold patient cross-validation inside the training split
 * (what the page shows) is reported beside it. Every bundled trunk is run as
 * the base, the default first.
 */

const SEEDS = [42, 1, 2];
const BASES = [DEFAULT_HEAD_BASE, ...BUNDLED_TRUNK_IDS.filter((id) => id !== DEFAULT_HEAD_BASE)];

function cli(script: string, args: string[]): { json: Record<string, unknown> | null; error?: string } {
  const child = spawnSync(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'src', 'cli', `${script}.ts`), ...args], {
    cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 900_000, maxBuffer: 64 * 1024 * 1024,
  });
  try {
    return { json: JSON.parse(child.stdout) };
  } catch {
    return { json: null, error: (child.stderr || child.error?.message || `exit ${child.status}`).trim().split('\n').slice(-2).join(' ') };
  }
}

export function ctTransferBench(scratch: string): Measurement[] {
  const root = join(sharedDataDir(), 'ct', 'covid-ct');
  const section = 'ct' as const;
  if (!existsSync(join(root, 'train')) || !existsSync(join(root, 'val')))
    return [{ section, name: 'COVID-CT head transfer', value: null, unit: 'auc', note: `no data at ${root}` }];
  const out: Measurement[] = [];
  for (const baseId of BASES) for (const seed of SEEDS) {
    const model = join(scratch, `ct-head-${baseId}-seed${seed}`);
    process.stderr.write(`[bench]   train on ${baseId}, split seed ${seed}…\n`);
    const args = ['--data', join(root, 'train'), '--out', model, '--mode', 'head', '--seed', String(seed)];
    const trained = cli('train', baseId === DEFAULT_HEAD_BASE ? args : [...args, '--base', baseId]);
    if (!trained.json || 'error' in trained.json) {
      out.push({ section, name: `seed ${seed}: head training`, value: null, unit: 's', note: `failed: ${trained.error ?? String(trained.json?.error)}` });
      continue;
    }
    const t = trained.json as {
      auc: number; seconds: number; test: { auc: number } | null; backend: string; base: string; augmentViews: number;
      crossValidation: { folds: number; mean: number; ci95: [number, number]; aucs: number[]; tooSmall: boolean } | null;
    };
    const cv = t.crossValidation;
    const evaluated = cli('evaluate', ['--data', join(root, 'val'), '--model', model]);
    const e = evaluated.json as { auc: number; aucCI95?: [number, number]; accuracy: number; sensitivity: number; specificity: number; oodRefused: number; n: number } | null;
    const m = { section, backend: t.backend };
    out.push(
      { ...m, name: `seed ${seed}: head training on covid-ct/train (${t.base}, ${t.augmentViews} views)`, value: round(t.seconds), unit: 's', note: 'target < 90 s' },
      { ...m, name: `seed ${seed} (${t.base}): ${cv?.folds ?? '?'}-fold patient CV AUC inside the training split`, value: cv ? round(cv.mean, 3) : null, unit: 'auc',
        note: cv ? `95% CI ${cv.ci95.map((v) => v.toFixed(3)).join('–')}; folds ${cv.aucs.map((a) => a.toFixed(2)).join(' ')}${cv.tooSmall ? '; "too small to trust" shown' : ''}` : 'no folds' },
      { ...m, name: `seed ${seed} (${t.base}): carved validation AUC (inside train, by file-name patient)`, value: round(t.auc, 3), unit: 'auc' },
      { ...m, name: `seed ${seed} (${t.base}): carved test AUC`, value: t.test ? round(t.test.auc, 3) : null, unit: 'auc' },
      e
        ? { ...m, name: `seed ${seed} (${t.base}): official val AUC (held out, patient-disjoint)`, value: round(e.auc, 3), unit: 'auc', n: e.n,
            note: `95% CI ${e.aucCI95?.map((v) => v.toFixed(3)).join('–') ?? '?'}; accuracy ${e.accuracy.toFixed(3)}, sensitivity ${e.sensitivity.toFixed(3)}, specificity ${e.specificity.toFixed(3)}; ${e.oodRefused} refused` }
        : { ...m, name: `seed ${seed}: official val AUC`, value: null, unit: 'auc', note: `failed: ${evaluated.error}` },
    );
  }
  return out;
}
