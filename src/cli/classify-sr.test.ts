import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../config';
import { requireSharedData } from '../test-data';
import { chestFilmDicom } from '../report/testing/film-dicom';
import { dciodvfy, findByMeaning, flatten, pydicomReadBack } from '../report/testing/validate';

const run = promisify(execFile);
const TSX = join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');
const dir = mkdtempSync(join(tmpdir(), 'radlens-cli-sr-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('classify --sr', () => {
  it('writes one valid SR per DICOM input, with the line’s values, and none for a JPEG', async () => {
    const films = [
      ['PNEUMONIA', 'person1000_bacteria_2931.jpeg'],
      ['NORMAL', 'IM-0115-0001.jpeg'],
    ].map(([cls, name], i) => {
      const f = chestFilmDicom(new Uint8Array(readFileSync(requireSharedData('xray', 'kermany224', 'train', cls, name))), { patientName: `Test^${cls}`, patientId: `ID${i}` });
      const path = join(dir, `film${i}.dcm`);
      writeFileSync(path, f.bytes);
      return { ...f, path };
    });
    const jpeg = join(dir, 'plain.jpeg');
    copyFileSync(requireSharedData('xray', 'kermany224', 'train', 'NORMAL', 'IM-0117-0001.jpeg'), jpeg);
    const out = join(dir, 'sr');
    const { stdout } = await run(TSX, [join(PROJECT_ROOT, 'src', 'cli', 'classify.ts'), ...films.map((f) => f.path), jpeg, '--backend', 'wasm', '--sr', out], { cwd: PROJECT_ROOT });
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    const plain = lines.find((l) => l.file === jpeg);
    expect(plain.sr).toBeUndefined();
    const dicomLines = films.map((f) => lines.find((l) => l.file === f.path));
    const back = pydicomReadBack(dicomLines.map((l) => l.sr));
    dicomLines.forEach((line, i) => {
      expect(line.error).toBeUndefined();
      expect(line.sr).toMatch(/film\d\.sr\.dcm$/);
      const iod = dciodvfy(line.sr);
      expect(iod.errors, iod.output).toEqual([]);
      const b = back[i];
      expect(b.attributes.PatientName).toBe(`Test^${i === 0 ? 'PNEUMONIA' : 'NORMAL'}`);
      expect(b.attributes.StudyInstanceUID).toBe(films[i].studyInstanceUid);
      expect(b.evidence[0].sopInstance).toBe(films[i].sopInstanceUid);
      expect(findByMeaning(b.content, 'Calibrated probability of PNEUMONIA')[0].value).toBeCloseTo(line.scores.PNEUMONIA, 5);
      expect(findByMeaning(b.content, 'Operating threshold')[0].value).toBeCloseTo(line.threshold, 6);
      const expected = line.unsure ? 'Indeterminate' : line.label === 'PNEUMONIA' ? 'Present' : 'Absent';
      const evaluation = flatten(b.content).find((n) => n.type === 'CODE' && n.name?.meaning === 'Pneumonia');
      expect((evaluation?.value as { meaning: string }).meaning).toBe(expected);
      expect(findByMeaning(b.content, 'Algorithm Parameter').map((n) => n.value)).toContain('tfjs backend wasm');
    });
  });
});
