import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../runtime';
import { loadModel, type LoadedModel } from '../model/load';
import { buildTinyModel, tinyBundle, tinyCard } from '../testing/tiny-model';
import { greyImage, makeDicom, uint16Pixels, type FixtureItem } from '../../imaging/dicom/test-fixtures';
import { decodeFile } from '../../imaging/decode';
import { classifyImage } from './classify';
import { ageFromDates, checkPopulation, parseDicomAge, parseDicomDate } from './population';

const population = { ageYears: { min: 1, max: 5 }, description: 'children aged 1-5' };
const card = tinyCard(new Uint8Array(1), undefined, { population });

describe('DICOM age strings (AS)', () => {
  it('reads years, months, weeks and days', () => {
    expect(parseDicomAge('045Y')).toMatchObject({ years: 45, text: '45 years', source: 'PatientAge' });
    expect(parseDicomAge('018M')).toMatchObject({ years: 1.5, text: '18 months' });
    expect(parseDicomAge('003W')!.years).toBeCloseTo(21 / 365.2425, 6);
    expect(parseDicomAge('003W')!.text).toBe('3 weeks');
    expect(parseDicomAge('010D')!.text).toBe('10 days');
    expect(parseDicomAge('001Y')!.text).toBe('1 year');
    expect(parseDicomAge(' 4y ')).toMatchObject({ years: 4 });
  });
  it('gives nothing for empty or malformed values', () => {
    for (const v of ['', undefined, null, 'Y', '45', '045X', '12.5Y', '0450Y']) expect(parseDicomAge(v)).toBeUndefined();
  });
});

describe('age from birth date and study date', () => {
  it('counts completed years and knows about birthdays', () => {
    expect(ageFromDates('20180615', '20210614')).toMatchObject({ text: '2 years', source: 'PatientBirthDate+StudyDate' });
    expect(Math.floor(ageFromDates('20180615', '20210614')!.years)).toBe(2);
    expect(Math.floor(ageFromDates('20180615', '20210615')!.years)).toBe(3);
    expect(ageFromDates('19800101', '20250301')!.text).toBe('45 years');
  });
  it('words young children in months or days', () => {
    expect(ageFromDates('20200101', '20210701')!.text).toBe('18 months');
    expect(ageFromDates('20200101', '20200111')!.text).toBe('10 days');
  });
  it('rejects impossible dates and a study before birth', () => {
    expect(parseDicomDate('20230231')).toBeUndefined();
    expect(parseDicomDate('2023.02.28')).toBeDefined();
    expect(ageFromDates('20210101', '20200101')).toBeUndefined();
    expect(ageFromDates('', '20200101')).toBeUndefined();
  });
});

describe('population check', () => {
  const withPatient = (patient: { age?: string; birthDate?: string; studyDate?: string }) => ({ format: 'dicom' as const, patient });
  it('lets children aged 1-5 through by completed years and refuses others with the reason', () => {
    expect(checkPopulation(card, withPatient({ age: '005Y' }))).toMatchObject({ checked: true, outside: false });
    expect(checkPopulation(card, withPatient({ age: '018M' }))).toMatchObject({ checked: true, outside: false });
    expect(checkPopulation(card, withPatient({ age: '011M' }))).toMatchObject({ checked: true, outside: true });
    expect(checkPopulation(card, withPatient({ age: '006Y' }))!.outside).toBe(true);
    expect(checkPopulation(card, withPatient({ age: '045Y' }))!.note).toBe('patient age 45 years: this model was trained on children aged 1–5');
  });
  it('falls back to birth date with study date, and PatientAge wins when both exist', () => {
    expect(checkPopulation(card, withPatient({ birthDate: '19800101', studyDate: '20250301' }))).toMatchObject({ checked: true, outside: true });
    expect(checkPopulation(card, withPatient({ age: '003Y', birthDate: '19800101', studyDate: '20250301' }))!.outside).toBe(false);
  });
  it('says when age could not be checked, and is absent for a card without a population', () => {
    expect(checkPopulation(card, { format: 'png' })).toMatchObject({ checked: false, outside: false, note: 'patient age could not be checked: PNG files carry no patient age' });
    expect(checkPopulation(card, { format: 'dicom' })!.note).toMatch(/DICOM header has no PatientAge/);
    expect(checkPopulation(tinyCard(new Uint8Array(1)), withPatient({ age: '045Y' }))).toBeUndefined();
  });
});

describe('classify with the age of the patient', () => {
  let model: LoadedModel;
  beforeAll(async () => {
    await initBackend(['cpu']);
    model = await loadModel((await tinyBundle(buildTinyModel(2), { population })).reader);
  });
  afterAll(() => model.dispose());

  function chestFilm(extra: FixtureItem): Uint8Array {
    const n = 96;
    const px: number[] = [];
    for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) px.push(800 + 10 * x + ((x * 7 + y * 13) % 50));
    return makeDicom(greyImage(n, n, uint16Pixels(px), [[0x00080060, 'CS', 'DX'], [0x00180015, 'CS', 'CHEST'], ...extra]));
  }

  it('refuses an adult DICOM film (PatientAge 045Y) with the age reason', async () => {
    const image = await decodeFile('adult.dcm', chestFilm([[0x00101010, 'AS', '045Y']]));
    const result = await classifyImage(model, image);
    expect(result.ood).toBe(true);
    expect(result.label).toBeNull();
    expect(result.oodReason).toBe('patient age 45 years: this model was trained on children aged 1–5');
    expect(result.oodFinding).toEqual({ code: 'age', params: { age: '45 years', min: 1, max: 5 } });
    expect(result.populationCheck).toMatchObject({ checked: true, outside: true });
  });

  it('refuses an adult by birth date and study date, and answers for a 3-year-old', async () => {
    const adult = await decodeFile('adult2.dcm', chestFilm([[0x00100030, 'DA', '19800101'], [0x00080020, 'DA', '20250301']]));
    expect((await classifyImage(model, adult)).oodFinding?.code).toBe('age');
    const child = await classifyImage(model, await decodeFile('child.dcm', chestFilm([[0x00101010, 'AS', '003Y']])));
    expect(child.oodFinding?.code).not.toBe('age');
    expect(child.populationCheck).toMatchObject({ checked: true, outside: false });
    expect(child.warnings).toBeUndefined();
  });

  it('warns that age could not be checked for a DICOM without age tags', async () => {
    const result = await classifyImage(model, await decodeFile('anon.dcm', chestFilm([])));
    expect(result.populationCheck).toMatchObject({ checked: false });
    expect(result.warnings).toEqual(['patient age could not be checked: the DICOM header has no PatientAge and no PatientBirthDate with StudyDate']);
  });
});
