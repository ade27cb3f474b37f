import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { encode } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../config';
import { initBackend } from '../ml';
import { buildTinyModel, tinyBundle } from '../ml/testing/tiny-model';
import { greyImage, makeDicom, uint16Pixels } from '../imaging/dicom/test-fixtures';

const run = promisify(execFile);
const TSX = join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');

async function cli(name: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(TSX, [join(PROJECT_ROOT, 'src', 'cli', `${name}.ts`), ...args], { cwd: PROJECT_ROOT });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** An 8-bit grey PNG: a brightness ramp whose direction depends on `seed`. */
function png(size: number, seed: number): Uint8Array {
  const data = new Uint8Array(size * size);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) data[y * size + x] = (seed % 2 ? x : y) * (200 / size) + ((x * 31 + y * 17 + seed) % 13);
  return encode({ width: size, height: size, data, channels: 1, depth: 8 });
}

let dir: string;
let modelDir: string;

beforeAll(async () => {
  await initBackend(['cpu']);
  dir = mkdtempSync(join(tmpdir(), 'radlens-cli-'));
  modelDir = join(dir, 'model');
  mkdirSync(modelDir);
  const { files } = await tinyBundle(buildTinyModel(1, 64));
  for (const [name, bytes] of files) writeFileSync(join(modelDir, name), bytes);
  for (const label of ['NORMAL', 'PNEUMONIA']) mkdirSync(join(dir, 'data', label), { recursive: true });
  for (let i = 0; i < 6; i++) writeFileSync(join(dir, 'data', i % 2 ? 'PNEUMONIA' : 'NORMAL', `img${i}.png`), png(96, i));
  writeFileSync(join(dir, 'data', 'NORMAL', 'tiny.png'), png(32, 0));
  writeFileSync(join(dir, 'broken.png'), new Uint8Array([1, 2, 3]));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('classify CLI (shared CONTRACT.md)', () => {
  it('prints one JSON line per image, an error line for a bad file, and nothing else on stdout', async () => {
    const { code, stdout } = await cli('classify', join(dir, 'data'), join(dir, 'broken.png'), '--model', modelDir, '--backend', 'cpu');
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(8);
    const broken = lines.find((l) => l.file.endsWith('broken.png'));
    expect(broken.error).toMatch(/broken\.png/);
    const ok = lines.filter((l) => !l.error);
    for (const l of ok) {
      expect(l.model).toBe('tiny-test@0.0.1');
      expect(l.scores.NORMAL + l.scores.PNEUMONIA).toBeCloseTo(1, 6);
      expect(typeof l.unsure).toBe('boolean');
      expect(l.threshold).toBe(0.5);
      if (!l.ood) expect(l.probability).toBe(l.scores[l.label]);
    }
    const tiny = ok.find((l) => l.file.endsWith('tiny.png'));
    expect(tiny).toMatchObject({ ood: true, label: null });
    expect(tiny.oodReason).toMatch(/only 32×32 pixels/);
  });

  it('keeps CR films of one series apart, stacks CT slices of one series and lists every file of it', async () => {
    const seriesDir = join(dir, 'series');
    mkdirSync(seriesDir, { recursive: true });
    const pixels = uint16Pixels(Array.from({ length: 96 * 96 }, (_, i) => (i * 7) % 4000));
    const write = (name: string, modality: string, uid: string, n: number) =>
      writeFileSync(join(seriesDir, name), makeDicom(greyImage(96, 96, pixels, [
        [0x00080060, 'CS', modality], [0x0020000e, 'UI', uid], [0x00200013, 'IS', n],
        [0x00200032, 'DS', [0, 0, n * 2]], [0x00200037, 'DS', [1, 0, 0, 0, 1, 0]],
      ])));
    for (let n = 1; n <= 3; n++) write(`cr${n}.dcm`, 'CR', '1.2.3.1', n);
    for (let n = 1; n <= 2; n++) write(`ct${n}.dcm`, 'CT', '1.2.3.2', n);
    const { code, stdout } = await cli('classify', seriesDir, '--model', modelDir, '--backend', 'cpu');
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.filter((l) => /cr\d\.dcm$/.test(l.file)).map((l) => l.file.slice(-7)).sort()).toEqual(['cr1.dcm', 'cr2.dcm', 'cr3.dcm']);
    const ct = lines.find((l) => l.series);
    expect(lines).toHaveLength(4);
    expect(ct.files.map((f: string) => f.slice(-7))).toEqual(['ct1.dcm', 'ct2.dcm']);
    expect(ct.series).toEqual({ seriesInstanceUid: '1.2.3.2', files: 2 });
    expect(ct.slices).toBe(2);
  });

  it('fails as a whole with {"error"} for a missing model', async () => {
    const { code, stdout } = await cli('classify', join(dir, 'data'), '--model', join(dir, 'nope'));
    expect(code).not.toBe(0);
    expect(JSON.parse(stdout).error).toMatch(/model ".*nope" not found/);
  });

  it('agrees between cpu and wasm', async () => {
    const file = join(dir, 'data', 'NORMAL', 'img0.png');
    const a = JSON.parse((await cli('classify', file, '--model', modelDir, '--backend', 'cpu')).stdout);
    const b = JSON.parse((await cli('classify', file, '--model', modelDir, '--backend', 'wasm')).stdout);
    expect(b.scores.PNEUMONIA).toBeCloseTo(a.scores.PNEUMONIA, 4);
  });
});

describe('evaluate CLI (shared CONTRACT.md)', () => {
  it('prints one object with the contract fields, counting refused images', async () => {
    const { code, stdout } = await cli('evaluate', '--data', join(dir, 'data'), '--model', modelDir, '--backend', 'cpu', '--details');
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out).toMatchObject({ n: 7, threshold: 0.5, oodRefused: 1, model: 'tiny-test@0.0.1' });
    for (const key of ['auc', 'accuracy', 'sensitivity', 'specificity']) expect(typeof out[key]).toBe('number');
    const { tp, fp, tn, fn } = out.confusion;
    expect(tp + fp + tn + fn).toBe(7);
    expect(tp + fn).toBe(3);
    expect(out.aucCI95).toHaveLength(2);
    expect(out.details).toHaveLength(7);
  });

  it('fails with {"error"} when no folder matches the labels', async () => {
    const { code, stdout } = await cli('evaluate', '--data', modelDir, '--model', modelDir);
    expect(code).not.toBe(0);
    expect(JSON.parse(stdout).error).toMatch(/no subfolder named after the model's labels \(NORMAL, PNEUMONIA\)/);
  });
});
