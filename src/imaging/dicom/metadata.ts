import type { DecodedImage, MetadataEntry } from '../types';
import { type DataSet, num, nums, str } from './parse';

/** Header entries for the viewer's panel; PHI is flagged so the page masks it by default. */
const ENTRIES: Array<[tag: string, name: string, phi: boolean]> = [
  ['x00100010', 'Patient Name', true],
  ['x00100020', 'Patient ID', true],
  ['x00100030', 'Patient Birth Date', true],
  ['x00100040', 'Patient Sex', true],
  ['x00101010', 'Patient Age', true],
  ['x00101040', 'Patient Address', true],
  ['x00102154', 'Patient Telephone Numbers', true],
  ['x00101000', 'Other Patient IDs', true],
  ['x00080050', 'Accession Number', true],
  ['x00200010', 'Study ID', true],
  ['x00080080', 'Institution Name', true],
  ['x00080081', 'Institution Address', true],
  ['x00080090', 'Referring Physician Name', true],
  ['x00081050', 'Performing Physician Name', true],
  ['x00081070', 'Operators Name', true],
  ['x00081010', 'Station Name', true],
  ['x00080020', 'Study Date', true],
  ['x00080030', 'Study Time', true],
  ['x00080021', 'Series Date', true],
  ['x00080022', 'Acquisition Date', true],
  ['x00080023', 'Content Date', true],
  ['x00080060', 'Modality', false],
  ['x00080070', 'Manufacturer', false],
  ['x00081090', 'Manufacturer Model Name', false],
  ['x00081030', 'Study Description', false],
  ['x0008103e', 'Series Description', false],
  ['x00180015', 'Body Part Examined', false],
  ['x00185101', 'View Position', false],
  ['x00200011', 'Series Number', false],
  ['x00200013', 'Instance Number', false],
  ['x00180050', 'Slice Thickness', false],
  ['x00280030', 'Pixel Spacing', false],
  ['x00180060', 'KVP', false],
  ['x00280004', 'Photometric Interpretation', false],
  ['x00280100', 'Bits Allocated', false],
  ['x00280101', 'Bits Stored', false],
  ['x00281050', 'Window Center', false],
  ['x00281051', 'Window Width', false],
  ['x00281052', 'Rescale Intercept', false],
  ['x00281053', 'Rescale Slope', false],
  ['x00280301', 'Burned In Annotation', false],
  ['x00282110', 'Lossy Image Compression', false],
];

const US_TAGS = new Set(['x00280100', 'x00280101']);

function tagLabel(tag: string): string {
  return `(${tag.slice(1, 5).toUpperCase()},${tag.slice(5).toUpperCase()})`;
}

export function metadataEntries(ds: DataSet): MetadataEntry[] {
  const out: MetadataEntry[] = [];
  for (const [tag, name, phi] of ENTRIES) {
    const el = ds.elements[tag];
    if (!el || !el.length) continue;
    const value = US_TAGS.has(tag) ? String(ds.uint16(tag)) : (ds.string(tag) ?? '').replace(/\^/g, ' ').trim();
    if (value) out.push({ tag: tagLabel(tag), name, value, phi });
  }
  return out;
}

export function seriesInfo(ds: DataSet): NonNullable<DecodedImage['series']> {
  const ipp = nums(ds, 'x00200032');
  const iop = nums(ds, 'x00200037');
  return {
    studyInstanceUid: str(ds, 'x0020000d'),
    seriesInstanceUid: str(ds, 'x0020000e'),
    seriesDescription: str(ds, 'x0008103e'),
    seriesNumber: num(ds, 'x00200011'),
    frameOfReferenceUid: str(ds, 'x00200052'),
    instanceNumber: num(ds, 'x00200013'),
    imagePositionPatient: ipp.length === 3 ? [ipp[0], ipp[1], ipp[2]] : undefined,
    imageOrientationPatient: iop.length === 6 ? [iop[0], iop[1], iop[2], iop[3], iop[4], iop[5]] : undefined,
    sliceThickness: num(ds, 'x00180050'),
  };
}

export function pixelSpacing(ds: DataSet): [number, number] | undefined {
  const ps = nums(ds, 'x00280030');
  return ps.length === 2 ? [ps[0], ps[1]] : undefined;
}
