import type { DataSet } from './parse';

/**
 * What a derived object (a DICOM SR about this image) must copy from its
 * source so a PACS files it beside the image: the identities of the instance
 * and the Patient, Patient Study and General Study attributes, as text decoded
 * from the source's character set. Plain data, so it crosses a worker boundary.
 */
export interface DicomInstanceRef {
  sopClassUid: string;
  sopInstanceUid: string;
  seriesInstanceUid: string;
}

export interface DicomSource {
  studyInstanceUid: string;
  /** Every instance the result was computed from (one per slice of a series). */
  instances: DicomInstanceRef[];
  /** DICOM keyword → single value, only those present in the source. */
  attributes: Record<string, string>;
}

/** Patient, Patient Study and General Study module attributes an SR copies. */
const COPIED: Array<[keyword: string, tag: string]> = [
  ['PatientName', 'x00100010'],
  ['PatientID', 'x00100020'],
  ['IssuerOfPatientID', 'x00100021'],
  ['PatientBirthDate', 'x00100030'],
  ['PatientBirthTime', 'x00100032'],
  ['PatientSex', 'x00100040'],
  ['EthnicGroup', 'x00102160'],
  ['PatientIdentityRemoved', 'x00120062'],
  ['DeidentificationMethod', 'x00120063'],
  ['PatientAge', 'x00101010'],
  ['PatientSize', 'x00101020'],
  ['PatientWeight', 'x00101030'],
  ['StudyDate', 'x00080020'],
  ['StudyTime', 'x00080030'],
  ['AccessionNumber', 'x00080050'],
  ['ReferringPhysicianName', 'x00080090'],
  ['StudyID', 'x00200010'],
  ['StudyDescription', 'x00081030'],
];

/** Character sets by their DICOM defined term, as WHATWG encoding labels (TextDecoder). */
const CHARSETS: Record<string, string> = {
  '': 'windows-1252',
  'ISO_IR 6': 'windows-1252',
  'ISO_IR 100': 'windows-1252',
  'ISO_IR 101': 'iso-8859-2',
  'ISO_IR 109': 'iso-8859-3',
  'ISO_IR 110': 'iso-8859-4',
  'ISO_IR 144': 'iso-8859-5',
  'ISO_IR 127': 'iso-8859-6',
  'ISO_IR 126': 'iso-8859-7',
  'ISO_IR 138': 'iso-8859-8',
  'ISO_IR 148': 'windows-1254',
  'ISO_IR 166': 'windows-874',
  'ISO_IR 192': 'utf-8',
  GB18030: 'gb18030',
  GBK: 'gbk',
};

function decoderFor(ds: DataSet): TextDecoder {
  const terms = (ds.string('x00080005') ?? '').split('\\').map((t) => t.trim());
  // ISO 2022 code extensions switch sets mid-string; the first set is the best a plain decoder can do.
  const first = terms.find((t) => t) ?? '';
  const label = CHARSETS[first.replace(/^ISO 2022 IR /, 'ISO_IR ')] ?? 'windows-1252';
  try {
    return new TextDecoder(label);
  } catch {
    return new TextDecoder('windows-1252');
  }
}

function text(ds: DataSet, tag: string, decoder: TextDecoder): string | undefined {
  const el = ds.elements[tag];
  if (!el || !el.length || el.dataOffset + el.length > ds.byteArray.length) return undefined;
  const raw = decoder.decode(ds.byteArray.subarray(el.dataOffset, el.dataOffset + el.length));
  // DICOM pads with spaces (text) or NUL (UIDs); multi-values keep their backslashes.
  const value = raw.replace(/[\0 ]+$/, '').replace(/^ +/, '');
  return value || undefined;
}

export function dicomSource(ds: DataSet): DicomSource | undefined {
  const decoder = decoderFor(ds);
  const uid = (tag: string) => text(ds, tag, decoder);
  const studyInstanceUid = uid('x0020000d');
  const seriesInstanceUid = uid('x0020000e');
  const sopInstanceUid = uid('x00080018') ?? uid('x00020003');
  const sopClassUid = uid('x00080016') ?? uid('x00020002');
  // Without these a PACS cannot place a derived object; the caller says so when asked for one.
  if (!studyInstanceUid || !seriesInstanceUid || !sopInstanceUid || !sopClassUid) return undefined;
  const attributes: Record<string, string> = {};
  for (const [keyword, tag] of COPIED) {
    const value = text(ds, tag, decoder);
    if (value !== undefined) attributes[keyword] = value;
  }
  return { studyInstanceUid, instances: [{ sopClassUid, sopInstanceUid, seriesInstanceUid }], attributes };
}
