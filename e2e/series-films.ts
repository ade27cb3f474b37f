import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import dcmjs from 'dcmjs';
import jpeg from 'jpeg-js';
import { sharedDataDir, DATA_ENV } from '../src/config';

/**
 * CR films of one series built at test time from shared Kermany JPEG pixels
 * (never committed): same Study and Series Instance UID, one SOP instance
 * each, as a PA film with its repeat would arrive from a CR reader.
 */

const CR_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.1';
const EXPLICIT_LE = '1.2.840.10008.1.2.1';
const ROOT = '2.25.310254720451093812754120498';

function greyPixels(path: string): { rows: number; columns: number; pixels: Uint8Array } {
  const { width, height, data } = jpeg.decode(readFileSync(path), { useTArray: true, formatAsRGBA: true });
  const pixels = new Uint8Array(width * height);
  for (let i = 0; i < pixels.length; i++) pixels[i] = data[i * 4];
  return { rows: height, columns: width, pixels };
}

function crFilm(path: string, instance: number): Uint8Array {
  const { rows, columns, pixels } = greyPixels(path);
  const sop = `${ROOT}.3.${instance}`;
  const { DicomDict, DicomMetaDictionary } = dcmjs.data;
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: CR_IMAGE_STORAGE,
    MediaStorageSOPInstanceUID: sop,
    TransferSyntaxUID: EXPLICIT_LE,
    ImplementationClassUID: `${ROOT}.9`,
  };
  const dataset = {
    SOPClassUID: CR_IMAGE_STORAGE,
    SOPInstanceUID: sop,
    StudyInstanceUID: `${ROOT}.1`,
    SeriesInstanceUID: `${ROOT}.2`,
    SeriesNumber: '1',
    InstanceNumber: String(instance),
    Modality: 'CR',
    BodyPartExamined: 'CHEST',
    ViewPosition: 'PA',
    PatientID: 'E2E-SERIES',
    PatientName: 'Series^Films',
    PatientBirthDate: '',
    PatientSex: '',
    StudyDate: '20260101',
    StudyTime: '090000',
    StudyID: 'E2E',
    AccessionNumber: '',
    ReferringPhysicianName: '',
    Manufacturer: '',
    PatientOrientation: '',
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    Rows: rows,
    Columns: columns,
    BitsAllocated: 8,
    BitsStored: 8,
    HighBit: 7,
    PixelRepresentation: 0,
    PixelData: pixels.buffer,
    _vrMap: { PixelData: 'OB' },
  };
  const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = DicomMetaDictionary.denaturalizeDataset(dataset);
  return new Uint8Array(dict.write());
}

/** `count` CR films of one series, from the first Kermany NORMAL training films. */
export function crSeriesFilms(count: number): { name: string; mimeType: string; buffer: Buffer }[] {
  const dir = join(sharedDataDir(), 'xray', 'kermany224', 'train', 'NORMAL');
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /\.jpe?g$/i.test(n)).sort();
  } catch {
    throw new Error(`Shared test data is missing: ${dir} (set ${DATA_ENV})`);
  }
  if (names.length < count) throw new Error(`${dir} has fewer than ${count} films`);
  return names.slice(0, count).map((n, i) => ({ name: `series-film-${i + 1}.dcm`, mimeType: 'application/dicom', buffer: Buffer.from(crFilm(join(dir, n), i + 1)) }));
}
