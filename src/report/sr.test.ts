import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeFile } from '../imaging/decode';
import { requireSharedData } from '../test-data';
import { buildSr, COMPREHENSIVE_SR, findingState, SR_NOTICE, type SrInput, type SrModel, type SrResult } from './sr';
import { chestFilmDicom, CR_STORAGE } from './testing/film-dicom';
import { dciodvfy, findByMeaning, flatten, pydicomReadBack } from './testing/validate';

const dir = mkdtempSync(join(tmpdir(), 'radlens-sr-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const card = JSON.parse(readFileSync(join(__dirname, '..', '..', 'public', 'models', 'cxr-pneumonia', 'card.json'), 'utf8'));
const model: SrModel = card;

function film(name: string, patientName: string) {
  const jpeg = readFileSync(requireSharedData('xray', 'kermany224', 'train', 'PNEUMONIA', name));
  return chestFilmDicom(new Uint8Array(jpeg), { patientName, patientId: `P-${name.slice(0, 10)}`, accessionNumber: 'A-77' });
}

async function sourceOf(bytes: Uint8Array, name = 'film.dcm') {
  const image = await decodeFile(name, bytes);
  if (!image.dicom) throw new Error('decoder gave no DICOM source');
  return image.dicom;
}

function result(p: number, extra: Partial<SrResult> = {}): SrResult {
  const label = p >= card.threshold ? 'PNEUMONIA' : 'NORMAL';
  return {
    label,
    probability: label === 'PNEUMONIA' ? p : 1 - p,
    scores: { NORMAL: 1 - p, PNEUMONIA: p },
    threshold: card.threshold,
    unsure: p >= card.unsureBand.low && p <= card.unsureBand.high,
    unsureBand: { low: card.unsureBand.low, high: card.unsureBand.high },
    ood: false,
    ...extra,
  };
}

function write(name: string, input: SrInput) {
  const doc = buildSr(input);
  const path = join(dir, name);
  writeFileSync(path, doc.bytes);
  return { doc, path };
}

describe('DICOM SR (TID 1500) for a classification', () => {
  it('passes dciodvfy and reads back in pydicom with the same values, patient and references', async () => {
    const f = film('person1000_bacteria_2931.jpeg', 'Müller^Anna');
    const source = await sourceOf(f.bytes);
    const cases: Array<[string, SrResult, string]> = [
      ['present', result(0.912345678), 'Present'],
      ['absent', result(0.0213), 'Absent'],
      ['unsure', result(0.25), 'Indeterminate'],
    ];
    const written = cases.map(([state, r]) => ({ state, r, ...write(`${state}.dcm`, { source, result: r, model, backend: 'wasm' }) }));
    for (const w of written) {
      const iod = dciodvfy(w.path);
      expect(iod.errors, iod.output).toEqual([]);
      expect(iod.output).toContain('ComprehensiveSR');
    }
    const back = pydicomReadBack(written.map((w) => w.path));
    back.forEach((b, i) => {
      const { doc, r } = written[i];
      const expected = cases[i][2];
      expect(doc.finding).toBe(cases[i][0]);
      expect(b.attributes.SOPClassUID).toBe(COMPREHENSIVE_SR);
      expect(b.attributes.Modality).toBe('SR');
      expect(b.attributes.PatientName).toBe('Müller^Anna');
      expect(b.attributes.PatientID).toBe('P-person1000');
      expect(b.attributes.AccessionNumber).toBe('A-77');
      expect(b.attributes.StudyDate).toBe('20260301');
      expect(b.attributes.StudyInstanceUID).toBe(f.studyInstanceUid);
      expect(b.attributes.SeriesInstanceUID).toBe(doc.seriesInstanceUid);
      expect(b.attributes.SeriesInstanceUID).not.toBe(f.seriesInstanceUid);
      expect(b.attributes.SOPInstanceUID).toBe(doc.sopInstanceUid);
      expect(b.attributes.SOPInstanceUID).not.toBe(f.sopInstanceUid);
      expect(b.template).toBe('1500');
      expect(b.root.meaning).toBe('Imaging Measurement Report');
      expect(b.evidence).toEqual([{ study: f.studyInstanceUid, series: f.seriesInstanceUid, sopClass: CR_STORAGE, sopInstance: f.sopInstanceUid }]);
      const library = findByMeaning(b.content, 'Source');
      expect(library.map((n) => n.value)).toEqual([{ sopClass: CR_STORAGE, sopInstance: f.sopInstanceUid }]);

      const [prob] = findByMeaning(b.content, 'Calibrated probability of PNEUMONIA');
      expect(prob.value).toBeCloseTo(r.scores.PNEUMONIA, 5);
      expect(prob.unit?.value).toBe('1');
      const [threshold] = findByMeaning(b.content, 'Operating threshold');
      expect(threshold.value).toBeCloseTo(card.threshold, 6);
      const evaluation = flatten(b.content).find((n) => n.type === 'CODE' && n.name?.meaning === 'Pneumonia' && n.relationship === 'CONTAINS' && (n.value as { meaning: string }).meaning !== 'Pneumonia');
      expect((evaluation?.value as { meaning: string }).meaning).toBe(expected);
      const [finding] = findByMeaning(b.content, 'Finding');
      expect(finding.value).toEqual({ value: '233604007', scheme: 'SCT', meaning: 'Pneumonia' });

      const params = findByMeaning(b.content, 'Algorithm Parameter').map((n) => n.value as string);
      expect(findByMeaning(b.content, 'Algorithm Name')[0].value).toBe(card.name);
      expect(findByMeaning(b.content, 'Algorithm Version')[0].value).toBe(`${card.id}@${card.version}`);
      expect(params).toContain(`weights ${card.weights[0].path} sha256 ${card.weights[0].sha256}`);
      expect(params).toContain('tfjs backend wasm');
      expect(findByMeaning(b.content, 'Comment').map((n) => n.value)).toContain(SR_NOTICE);
    });
  });

  it('records a refusal and its reason instead of a finding', async () => {
    const f = film('person1001_bacteria_2932.jpeg', 'Doe^Jane');
    const source = await sourceOf(f.bytes);
    const reason = 'the image does not look like a chest film (feature distance 41.2 > 30.1)';
    const r = result(0.7, { ood: true, label: null, oodReason: reason });
    expect(findingState(r, 'PNEUMONIA')).toBe('refused');
    const { path } = write('refused.dcm', { source, result: r, model, backend: 'cpu' });
    const iod = dciodvfy(path);
    expect(iod.errors, iod.output).toEqual([]);
    const [b] = pydicomReadBack([path]);
    expect(findByMeaning(b.content, /^Calibrated probability/)).toEqual([]);
    const refusal = flatten(b.content).find((n) => n.type === 'CODE' && (n.value as { value: string }).value === 'REFUSED');
    expect(refusal).toBeDefined();
    expect(findByMeaning(refusal!.children ?? [], 'Reason not assessed')[0].value).toBe(reason);
    expect(findByMeaning(b.content, 'Algorithm Parameter').map((n) => n.value)).toContain('tfjs backend cpu');
    expect(findByMeaning(b.content, 'Comment').map((n) => n.value)).toContain(SR_NOTICE);
  });

  it('references every instance of a series and names the slice', async () => {
    const a = film('person1000_bacteria_2931.jpeg', 'Series^Pat');
    const sa = await sourceOf(a.bytes);
    const b2 = chestFilmDicom(new Uint8Array(readFileSync(requireSharedData('xray', 'kermany224', 'train', 'PNEUMONIA', 'person1001_bacteria_2932.jpeg'))), {
      patientName: 'Series^Pat',
      patientId: 'P-person1000',
      studyInstanceUid: a.studyInstanceUid,
    });
    const sb = await sourceOf(b2.bytes);
    const source = { ...sa, instances: [...sa.instances, ...sb.instances] };
    const { path } = write('series.dcm', { source, result: result(0.6), model, backend: 'wasm', aggregate: { maxFrame: 1, meanProbability: 0.45, slices: 2 } });
    expect(dciodvfy(path).errors).toEqual([]);
    const [back] = pydicomReadBack([path]);
    expect(back.evidence.map((e) => e.sopInstance)).toEqual([a.sopInstanceUid, b2.sopInstanceUid]);
    expect(findByMeaning(back.content, /^Mean calibrated probability/)[0].value).toBeCloseTo(0.45, 6);
    expect(findByMeaning(back.content, 'Comment').map((n) => n.value)).toContain('Result of slice 2 of 2 (highest PNEUMONIA probability)');
  });

  it('refuses to write an SR without a source instance', () => {
    expect(() => buildSr({ source: { studyInstanceUid: '1.2', instances: [], attributes: {} }, result: result(0.5), model, backend: 'cpu' })).toThrow(/source instance/);
  });
});
