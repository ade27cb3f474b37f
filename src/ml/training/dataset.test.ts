import { describe, expect, it } from 'vitest';
import { labelsFromFolders, labelsFromCsv, datasetItem, guessPositiveLabel, type DatasetItem } from './dataset';
import { patientFromName, userPatientPattern } from './patient';
import { splitByPatient } from './split';
import { datasetWarnings } from './warnings';

const png = { format: 'png' as const, rows: 224, columns: 224, samplesPerPixel: 1 as const, patientId: undefined, modality: null };

function item(file: string, label: string, sha = file, over: Partial<DatasetItem> = {}): DatasetItem {
  return { ...datasetItem({ file, label }, sha, 1000, png), ...over };
}

describe('patient grouping from file names', () => {
  it.each([
    ['PNEUMONIA/person1_bacteria_1.jpeg', 'person1'],
    ['PNEUMONIA/person1_virus_7.jpeg', 'person1'],
    ['NORMAL/IM-0115-0001.jpeg', 'IM-0115'],
    ['NORMAL/NORMAL2-IM-1427-0001.jpeg', 'NORMAL2-IM-1427'],
    ['COVID/2020.01.24.919183-p27-132.png', '2020.01.24.919183'],
    ['COVID/2020.02.10.20021584-p6-52%0.png', '2020.02.10.20021584'],
    ['NonCOVID/35%1.jpg', '35'],
    ['x/scan-12-003.png', 'scan-12'],
  ])('%s → %s', (file, patient) => expect(patientFromName(file).patient).toBe(patient));

  it('takes a user pattern and insists on a capture group', () => {
    expect(patientFromName('a/case7_slice3.png', [userPatientPattern('^(case\\d+)_')]).patient).toBe('case7');
    expect(() => userPatientPattern('^case\\d+')).toThrow(/capture group/);
  });

  it('prefers a CSV patient, then the DICOM PatientID', () => {
    expect(datasetItem({ file: 'A/person1_x.png', label: 'A', patient: 'P9' }, 'h', 1, png).patient).toBe('P9');
    expect(datasetItem({ file: 'A/person1_x.png', label: 'A' }, 'h', 1, { ...png, patientId: 'DCM7' }).patientSource).toBe('dicom');
  });
});

describe('labels', () => {
  it('reads the folder layout and ignores stray files', () => {
    const { files, ignored } = labelsFromFolders(['A/1.png', 'B/sub/2.png', 'readme.txt', 'A/.DS_Store']);
    expect(files).toEqual([{ file: 'A/1.png', label: 'A' }, { file: 'B/sub/2.png', label: 'B' }]);
    expect(ignored).toEqual(['readme.txt', 'A/.DS_Store']);
  });

  it('reads a CSV with quoted fields and patient column, matching by path suffix or name', () => {
    const csv = 'file,class,split,patient_id\n"train/COVID/a%1.png",COVID,train,Patient 1\nNonCOVID/b.jpg,NonCOVID,train,"p, 2"\nmissing.png,COVID,train,x\n';
    const r = labelsFromCsv(csv, ['COVID/a%1.png', 'NonCOVID/b.jpg', 'other.png']);
    expect(r.files).toEqual([
      { file: 'COVID/a%1.png', label: 'COVID', patient: 'Patient 1' },
      { file: 'NonCOVID/b.jpg', label: 'NonCOVID', patient: 'p, 2' },
    ]);
    expect(r.unlabelled).toEqual(['other.png']);
    expect(r.unmatchedRows).toBe(1);
  });

  it('guesses the positive class', () => {
    expect(guessPositiveLabel(['COVID', 'NonCOVID'])).toBe('COVID');
    expect(guessPositiveLabel(['NORMAL', 'PNEUMONIA'])).toBe('PNEUMONIA');
  });
});

describe('splitByPatient', () => {
  const items: DatasetItem[] = [];
  for (let p = 0; p < 40; p++) for (let k = 0; k < 3; k++) items.push(item(`${p % 2 ? 'B' : 'A'}/pt${p}-00${k}.png`, p % 2 ? 'B' : 'A'));
  // A duplicate across patients 0 and 2 (same bytes): both patients must land together.
  items[0].sha256 = items[6].sha256 = 'same';

  it('keeps every patient and every duplicate within one split, deterministically', () => {
    const splits = splitByPatient(items, { train: 0.6, val: 0.2, test: 0.2 }, 5);
    const byPatient = new Map<string, Set<string>>();
    items.forEach((it, i) => byPatient.set(it.patient, (byPatient.get(it.patient) ?? new Set()).add(splits[i])));
    expect([...byPatient.values()].every((s) => s.size === 1)).toBe(true);
    expect(splits[0]).toBe(splits[6]);
    expect(splitByPatient([...items].reverse(), { train: 0.6, val: 0.2, test: 0.2 }, 5).reverse()).toEqual(splits);
    for (const s of ['train', 'val', 'test']) for (const l of ['A', 'B']) expect(items.some((it, i) => splits[i] === s && it.label === l)).toBe(true);
    const share = splits.filter((s) => s === 'train').length / splits.length;
    expect(share).toBeGreaterThan(0.5);
    expect(share).toBeLessThan(0.7);
  });
});

describe('datasetWarnings', () => {
  it('flags imbalance, duplicates, too few, format and size differences, missing patient ids', () => {
    const items = [
      ...Array.from({ length: 40 }, (_, i) => item(`A/pt${i}-001.png`, 'A')),
      ...Array.from({ length: 10 }, (_, i) => item(`B/${i}.jpg`, 'B', `b${i}`, { format: 'jpeg', width: 600, height: 600, patientSource: 'file' })),
    ];
    items[1].sha256 = items[2].sha256 = 'dup';
    items[3].sha256 = items[45].sha256 = 'cross';
    const codes = datasetWarnings(items).map((w) => w.code);
    expect(codes).toEqual(expect.arrayContaining(['class-imbalance', 'duplicates', 'duplicates-across-classes', 'too-few', 'format-differs', 'size-differs', 'no-patient-id']));
    expect(datasetWarnings(items).find((w) => w.code === 'format-differs')!.message).toMatch(/source/);
  });

  it('marks CT slices of a series (not CR films of one) as volume slices, and says so', () => {
    const dicom = (modality: string) => ({ ...png, format: 'dicom' as const, modality, frames: { length: 1 }, series: { seriesInstanceUid: '1.2', imagePositionPatient: [0, 0, 1] as [number, number, number], imageOrientationPatient: [1, 0, 0, 0, 1, 0] as [number, number, number, number, number, number] } });
    const ct = datasetItem({ file: 'A/ct1.dcm', label: 'A' }, 'c', 1, dicom('CT'));
    const cr = datasetItem({ file: 'A/cr1.dcm', label: 'A' }, 'r', 1, dicom('CR'));
    expect(ct.volumeSlice).toBe(true);
    expect(cr.volumeSlice).toBeUndefined();
    const warning = datasetWarnings([ct, cr]).find((w) => w.code === 'volume-slices');
    expect(warning?.message).toMatch(/^1 of 2 files .*\(CT\)/);
  });

  it('is quiet for a clean balanced dataset', () => {
    const items = [...Array.from({ length: 40 }, (_, i) => item(`A/pt${i}-001.png`, 'A')), ...Array.from({ length: 40 }, (_, i) => item(`B/pt${100 + i}-001.png`, 'B'))];
    expect(datasetWarnings(items)).toEqual([]);
  });
});
