import { beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtemp, mkdir, writeFile, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { initBackend, modelToFiles, validateCard } from '../ml';
import { tinyBaseModel, tinyBaseCard } from '../ml/testing/tiny-model';
import { syntheticDataset } from '../ml/training/synthetic-data.fixture';
import { PROJECT_ROOT } from '../config';

const run = promisify(execFile);
let work: string;

beforeAll(async () => {
  await initBackend(['cpu']);
  work = await mkdtemp(join(tmpdir(), 'radlens-train-'));
  const model = tinyBaseModel();
  for (const [name, bytes] of await modelToFiles(model, tinyBaseCard(model))) {
    await mkdir(join(work, 'base'), { recursive: true });
    await writeFile(join(work, 'base', name), bytes);
  }
  model.dispose();
  for (const [path, bytes] of syntheticDataset(10, 2, 24)) {
    await mkdir(dirname(join(work, 'data', path)), { recursive: true });
    await writeFile(join(work, 'data', path), bytes);
  }
});

const tsx = join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');

describe('npm run train', () => {
  it('trains a head, writes the bundle and prints only one JSON object', async () => {
    const out = join(work, 'out');
    const { stdout } = await run(tsx, ['src/cli/train.ts', '--data', join(work, 'data'), '--out', out, '--base', join(work, 'base'), '--mode', 'head', '--epochs', '20', '--backend', 'cpu'], { cwd: PROJECT_ROOT });
    const result = JSON.parse(stdout);
    for (const key of ['n', 'auc', 'accuracy', 'sensitivity', 'specificity', 'threshold']) expect(typeof result[key]).toBe('number');
    expect(result.test.n).toBeGreaterThan(0);
    expect(Array.isArray(result.warnings)).toBe(true);
    // Patient folds of the training split: their AUCs, CI, and the warning exactly when the CI is too wide.
    const cv = result.crossValidation;
    expect(cv.folds).toBeGreaterThanOrEqual(2);
    expect(cv.aucs.length).toBeLessThanOrEqual(cv.folds);
    expect(cv.ci95[0]).toBeLessThanOrEqual(cv.ci95[1]);
    expect(result.warningCodes.includes('validation-too-small')).toBe(cv.tooSmall);
    expect((await readdir(out)).sort()).toEqual(['card.json', 'group1-shard1of1.bin', 'model.json']);
    const card = validateCard(JSON.parse(await readFile(join(out, 'card.json'), 'utf8')));
    expect(card.metrics.validation.auc).toBe(result.auc);
    // The shipped head is refitted on every labelled image; the printed metrics are the measured head's.
    expect(result.finalFit).toEqual(card.training.finalFit);
    expect(result.finalFit.images).toBe(result.counts ? Object.values(result.counts as Record<string, number>).reduce((a, b) => a + b, 0) : NaN);
  });

  it('--no-refit ships the measured head', async () => {
    const out = join(work, 'out-measured');
    const { stdout } = await run(tsx, ['src/cli/train.ts', '--data', join(work, 'data'), '--out', out, '--base', join(work, 'base'), '--mode', 'head', '--epochs', '4', '--no-refit', '--backend', 'cpu'], { cwd: PROJECT_ROOT });
    expect(JSON.parse(stdout).finalFit).toBeNull();
    expect(validateCard(JSON.parse(await readFile(join(out, 'card.json'), 'utf8'))).training.finalFit).toBeUndefined();
  });

  it('fails with {"error"} on stdout and a non-zero exit', async () => {
    const err = await run(tsx, ['src/cli/train.ts', '--data', join(work, 'nope'), '--out', join(work, 'x')], { cwd: PROJECT_ROOT }).catch((e) => e);
    expect(err.code).not.toBe(0);
    expect(JSON.parse(err.stdout).error).toMatch(/not a folder/);
  });
});
