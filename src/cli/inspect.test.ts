import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../config';
import { requireSharedData } from '../test-data';

const run = promisify(execFile);
const TSX = join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');
const CLI = join(PROJECT_ROOT, 'src', 'cli', 'inspect.ts');

async function inspect(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(TSX, [CLI, ...args], { cwd: PROJECT_ROOT });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('inspect CLI (shared CONTRACT.md)', () => {
  it('prints one JSON object with the contract fields, and nothing else on stdout', async () => {
    const file = requireSharedData('dicom', 'cornerstone', 'CTImage.dcm_JPEG2000LosslessOnlyTransferSyntax_1.2.840.10008.1.2.4.90.dcm');
    const { code, stdout } = await inspect(file);
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out).toMatchObject({
      file,
      format: 'dicom',
      modality: 'CT',
      photometric: 'MONOCHROME2',
      transferSyntax: '1.2.840.10008.1.2.4.90',
      rows: 512,
      columns: 512,
      frames: 1,
      units: 'HU',
      min: -3024,
      max: 1378,
    });
    expect(out.mean).toBeCloseTo(-949.0764, 3);
  });

  it('reports NIfTI volumes with frames = slices', async () => {
    const { stdout } = await inspect(requireSharedData('nifti', 'niivue_CT_AVM.nii.gz'));
    const out = JSON.parse(stdout);
    expect(out).toMatchObject({ format: 'nifti', modality: null, transferSyntax: null, frames: 154, units: 'intensity' });
  });

  it('fails with {"error"} on stdout and a non-zero exit', async () => {
    const bad = await inspect(join(PROJECT_ROOT, 'package.json'));
    expect(bad.code).not.toBe(0);
    expect(JSON.parse(bad.stdout).error).toMatch(/package\.json: unsupported file format/);
    const none = await inspect();
    expect(none.code).not.toBe(0);
    expect(JSON.parse(none.stdout).error).toMatch(/usage/);
  });
});
