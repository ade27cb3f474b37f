import dcmjs from 'dcmjs';
import type { DicomSource } from '../imaging/dicom/source';
import type { Classification, ModelCard } from '../ml';

/**
 * A RadLens result as a DICOM Comprehensive SR following TID 1500 (Imaging
 * Measurement Report), written with dcmjs' SR content-item classes so the
 * encoding (VRs, sequences, code triplets) is the library's, not ours:
 *
 *   Imaging Measurement Report (TID 1500)
 *   ├ language, device observer (RadLens + model), procedure reported
 *   ├ Image Library: every source instance
 *   └ Imaging Measurements → Measurement Group (TID 1501)
 *       ├ tracking identifier/UID, Finding = the card's positive label
 *       ├ NUM calibrated probability (TID 300) + Algorithm Identification (TID 4019:
 *       │   name, version, weights sha256, backend), NUM operating threshold
 *       ├ CODE <finding> = Present | Absent | Indeterminate (the unsure band)
 *       │   — or, for a refused image, CODE "Not assessed" + the reason
 *       └ TEXT Comment: "Not a diagnosis: for review by a qualified clinician"
 *
 * Patient, Patient Study and General Study attributes are copied from the
 * source so a PACS files the SR in the same study; the SR gets its own
 * Series and SOP Instance UIDs. Pure: runs in Node and in the browser.
 */

export const SR_NOTICE = 'Not a diagnosis: for review by a qualified clinician';
export const COMPREHENSIVE_SR = '1.2.840.10008.5.1.4.1.1.88.33';
const EXPLICIT_LE = '1.2.840.10008.1.2.1';
export const SR_SERIES_NUMBER = 9901;
export const SR_SERIES_DESCRIPTION = 'RadLens AI triage result';
/** Private coding scheme for concepts no standard vocabulary names (PS3.16 allows 99-prefixed designators). */
export const LOCAL_SCHEME = '99RADLENS';

export type SrModel = Pick<ModelCard, 'id' | 'version' | 'name' | 'positiveLabel' | 'weights' | 'modalities'>;
export type SrResult = Pick<Classification, 'label' | 'probability' | 'scores' | 'threshold' | 'unsure' | 'ood' | 'oodReason' | 'unsureBand'>;

export interface SrInput {
  source: DicomSource;
  result: SrResult;
  model: SrModel;
  /** The tfjs backend that ran the model. */
  backend: string;
  /** Series/volume: which slice the result is from, and the mean over slices. */
  aggregate?: { maxFrame: number; meanProbability: number; slices: number };
  /** Defaults to now; fixed in tests. */
  now?: Date;
}

export interface SrDocument {
  bytes: Uint8Array<ArrayBuffer>;
  sopInstanceUid: string;
  seriesInstanceUid: string;
  /** present | absent | unsure | refused */
  finding: SrFindingState;
}

export type SrFindingState = 'present' | 'absent' | 'unsure' | 'refused';

const { sr, data } = dcmjs;
const V = sr.valueTypes;
const code = (value: string, schemeDesignator: string, meaning: string) => new sr.coding.CodedConcept({ value, schemeDesignator, meaning });

const CODES = {
  report: code('126000', 'DCM', 'Imaging Measurement Report'),
  language: code('121049', 'DCM', 'Language of Content Item and Descendants'),
  english: code('en-US', 'RFC5646', 'English (United States)'),
  observerType: code('121005', 'DCM', 'Observer Type'),
  device: code('121007', 'DCM', 'Device'),
  deviceUid: code('121012', 'DCM', 'Device Observer UID'),
  deviceName: code('121013', 'DCM', 'Device Observer Name'),
  deviceManufacturer: code('121014', 'DCM', 'Device Observer Manufacturer'),
  deviceModel: code('121015', 'DCM', 'Device Observer Model Name'),
  procedure: code('121058', 'DCM', 'Procedure reported'),
  imageLibrary: code('111028', 'DCM', 'Image Library'),
  imageLibraryGroup: code('126200', 'DCM', 'Image Library Group'),
  source: code('260753009', 'SCT', 'Source'),
  measurements: code('126010', 'DCM', 'Imaging Measurements'),
  group: code('125007', 'DCM', 'Measurement Group'),
  finding: code('121071', 'DCM', 'Finding'),
  comment: code('121106', 'DCM', 'Comment'),
  present: code('52101004', 'SCT', 'Present'),
  absent: code('2667000', 'SCT', 'Absent'),
  indeterminate: code('82334004', 'SCT', 'Indeterminate'),
  noUnits: code('1', 'UCUM', 'no units'),
  probability: (label: string) => code('PROB', LOCAL_SCHEME, `Calibrated probability of ${label}`),
  threshold: code('THRESHOLD', LOCAL_SCHEME, 'Operating threshold'),
  meanProbability: (label: string) => code('MEANPROB', LOCAL_SCHEME, `Mean calibrated probability of ${label} over slices`),
  refused: code('REFUSED', LOCAL_SCHEME, "Not assessed: outside the model's intended use"),
  refusalReason: code('REFUSAL', LOCAL_SCHEME, 'Reason not assessed'),
  chestXr: code('399208008', 'SCT', 'Plain X-ray of chest'),
  chestCt: code('169069000', 'SCT', 'CT of chest'),
};

/** Labels with a SNOMED CT concept; any other label is coded in the local scheme. */
const KNOWN_FINDINGS: Record<string, [string, string]> = {
  PNEUMONIA: ['233604007', 'Pneumonia'],
  COVID: ['840539006', 'Disease caused by severe acute respiratory syndrome coronavirus 2'],
};

function findingConcept(label: string) {
  const known = KNOWN_FINDINGS[label.toUpperCase()];
  return known ? code(known[0], 'SCT', known[1]) : code(label.slice(0, 16), LOCAL_SCHEME, label);
}

export function findingState(result: SrResult, positiveLabel: string): SrFindingState {
  if (result.ood) return 'refused';
  if (result.unsure) return 'unsure';
  return result.label === positiveLabel ? 'present' : 'absent';
}

/** A fresh UID under 2.25 (PS3.5 B.2): a random 122-bit UUID as one decimal integer. */
export function newUid(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  return '2.25.' + BigInt('0x' + Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')).toString();
}

/** A stable UID for a model (the same weights always name the same device observer). */
function modelUid(model: SrModel): string {
  const hex = (model.weights[0]?.sha256 ?? '').replace(/[^0-9a-f]/gi, '').slice(0, 30);
  return hex ? '2.25.' + BigInt('0x' + hex).toString() : newUid();
}

/** DS holds 16 characters: 6 significant digits say what the calibration can. */
function ds(value: number): number {
  return Number(value.toPrecision(6));
}

function dicomDate(d: Date): string {
  return `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
}

function dicomTime(d: Date): string {
  return [d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()].map((n) => String(n).padStart(2, '0')).join('');
}

function item(ctor: (typeof V)[keyof typeof V], relationshipType: string, options: Record<string, unknown>) {
  return new (ctor as new (o: Record<string, unknown>) => Record<string, unknown>)({ relationshipType, ...options });
}

function withChildren<T extends Record<string, unknown>>(parent: T, children: Record<string, unknown>[]): T {
  (parent as Record<string, unknown>).ContentSequence = new V.ContentSequence(...children);
  return parent;
}

function observerContext(model: SrModel): Record<string, unknown>[] {
  return [
    item(V.CodeContentItem, 'HAS OBS CONTEXT', { name: CODES.observerType, value: CODES.device }),
    item(V.UIDRefContentItem, 'HAS OBS CONTEXT', { name: CODES.deviceUid, value: modelUid(model) }),
    item(V.TextContentItem, 'HAS OBS CONTEXT', { name: CODES.deviceName, value: `RadLens ${model.id}` }),
    item(V.TextContentItem, 'HAS OBS CONTEXT', { name: CODES.deviceManufacturer, value: 'RadLens' }),
    item(V.TextContentItem, 'HAS OBS CONTEXT', { name: CODES.deviceModel, value: `${model.id}@${model.version}` }),
  ];
}

function imageLibrary(source: DicomSource): Record<string, unknown> {
  const entries = source.instances.map((inst) =>
    item(V.ImageContentItem, 'CONTAINS', { name: CODES.source, referencedSOPClassUID: inst.sopClassUid, referencedSOPInstanceUID: inst.sopInstanceUid }),
  );
  const group = withChildren(item(V.ContainerContentItem, 'CONTAINS', { name: CODES.imageLibraryGroup }), entries);
  return withChildren(item(V.ContainerContentItem, 'CONTAINS', { name: CODES.imageLibrary }), [group]);
}

function algorithmIdentification(model: SrModel, backend: string): Record<string, unknown>[] {
  return [
    ...new sr.templates.AlgorithmIdentification({
      name: model.name,
      version: `${model.id}@${model.version}`,
      parameters: [...model.weights.map((w) => `weights ${w.path} sha256 ${w.sha256}`), `tfjs backend ${backend}`],
    }),
  ];
}

function measurementGroup(input: SrInput, state: SrFindingState): Record<string, unknown> {
  const { result, model, backend, aggregate } = input;
  const positive = model.positiveLabel;
  const concept = findingConcept(positive);
  const children: Record<string, unknown>[] = [
    ...new sr.templates.TrackingIdentifier({ uid: newUid(), identifier: `RadLens ${positive} triage` }),
    item(V.CodeContentItem, 'CONTAINS', { name: CODES.finding, value: concept }),
  ];
  if (state === 'refused') {
    children.push(
      withChildren(item(V.CodeContentItem, 'CONTAINS', { name: concept, value: CODES.refused }), [
        item(V.TextContentItem, 'HAS CONCEPT MOD', { name: CODES.refusalReason, value: result.oodReason || 'outside the model’s intended use' }),
        ...algorithmIdentification(model, backend),
      ]),
    );
  } else {
    const p = result.scores[positive] ?? (result.label === positive ? result.probability : 1 - result.probability);
    children.push(
      withChildren(item(V.NumContentItem, 'CONTAINS', { name: CODES.probability(positive), value: ds(p), unit: CODES.noUnits }), algorithmIdentification(model, backend)),
      item(V.NumContentItem, 'CONTAINS', { name: CODES.threshold, value: ds(result.threshold), unit: CODES.noUnits }),
    );
    if (aggregate) {
      children.push(item(V.NumContentItem, 'CONTAINS', { name: CODES.meanProbability(positive), value: ds(aggregate.meanProbability), unit: CODES.noUnits }));
    }
    const value = state === 'present' ? CODES.present : state === 'absent' ? CODES.absent : CODES.indeterminate;
    children.push(item(V.CodeContentItem, 'CONTAINS', { name: concept, value }));
  }
  if (aggregate) {
    children.push(item(V.TextContentItem, 'CONTAINS', { name: CODES.comment, value: `Result of slice ${aggregate.maxFrame + 1} of ${aggregate.slices} (highest ${positive} probability)` }));
  }
  if (state === 'unsure' && result.unsureBand) {
    children.push(item(V.TextContentItem, 'CONTAINS', { name: CODES.comment, value: `Unsure: probability in the band ${ds(result.unsureBand.low)}–${ds(result.unsureBand.high)}` }));
  }
  children.push(item(V.TextContentItem, 'CONTAINS', { name: CODES.comment, value: SR_NOTICE }));
  return withChildren(item(V.ContainerContentItem, 'CONTAINS', { name: CODES.group }), children);
}

function procedureFor(model: SrModel) {
  return model.modalities.some((m) => m.toUpperCase() === 'CT') ? CODES.chestCt : CODES.chestXr;
}

function contentTree(input: SrInput, state: SrFindingState): Record<string, unknown> {
  const root = new V.ContainerContentItem({ name: CODES.report, templateID: '1500' });
  const measurements = withChildren(item(V.ContainerContentItem, 'CONTAINS', { name: CODES.measurements }), [measurementGroup(input, state)]);
  return withChildren(root, [
    item(V.CodeContentItem, 'HAS CONCEPT MOD', { name: CODES.language, value: CODES.english }),
    ...observerContext(input.model),
    item(V.CodeContentItem, 'HAS CONCEPT MOD', { name: CODES.procedure, value: procedureFor(input.model) }),
    imageLibrary(input.source),
    measurements,
  ]);
}

/** Type 2 attributes of the Patient and General Study modules: present, empty when the source has none. */
const TYPE2 = ['PatientName', 'PatientID', 'PatientBirthDate', 'PatientSex', 'StudyDate', 'StudyTime', 'ReferringPhysicianName', 'StudyID', 'AccessionNumber'];

function isAscii(s: string): boolean {
  return /^[\x20-\x7e]*$/.test(s);
}

export function buildSr(input: SrInput): SrDocument {
  const { source } = input;
  if (!source.instances.length) throw new Error('a DICOM SR needs at least one source instance');
  const now = input.now ?? new Date();
  const state = findingState(input.result, input.model.positiveLabel);
  const seriesInstanceUid = newUid();
  const sopInstanceUid = newUid();
  const evidence = source.instances.map((inst) => ({
    StudyInstanceUID: source.studyInstanceUid,
    SeriesInstanceUID: inst.seriesInstanceUid,
    SOPClassUID: inst.sopClassUid,
    SOPInstanceUID: inst.sopInstanceUid,
  }));
  const doc = new sr.documents.Comprehensive3DSR({
    evidence,
    content: contentTree(input, state),
    seriesInstanceUID: seriesInstanceUid,
    seriesNumber: SR_SERIES_NUMBER,
    seriesDescription: SR_SERIES_DESCRIPTION,
    sopInstanceUID: sopInstanceUid,
    instanceNumber: 1,
    manufacturer: 'RadLens',
    isComplete: true,
  });
  const copied: Record<string, string> = {};
  for (const key of TYPE2) copied[key] = '';
  Object.assign(copied, source.attributes);
  // The images were acquired for the current requested procedure, so the evidence goes there (not "other").
  const { PertinentOtherEvidenceSequence, ...rest } = doc as Record<string, unknown>;
  const dataset: Record<string, unknown> = {
    ...rest,
    ...copied,
    StudyInstanceUID: source.studyInstanceUid,
    SOPClassUID: COMPREHENSIVE_SR,
    CurrentRequestedProcedureEvidenceSequence: PertinentOtherEvidenceSequence,
    ContentDate: dicomDate(now),
    ContentTime: dicomTime(now),
    InstanceCreationDate: dicomDate(now),
    InstanceCreationTime: dicomTime(now),
    TimezoneOffsetFromUTC: '+0000',
    ManufacturerModelName: 'RadLens',
    SoftwareVersions: `${input.model.id}@${input.model.version}`,
    CodingSchemeIdentificationSequence: [
      { CodingSchemeDesignator: LOCAL_SCHEME, CodingSchemeName: 'RadLens local concepts', CodingSchemeResponsibleOrganization: 'RadLens' },
    ],
  };
  if (!Object.values(copied).every(isAscii) || !isAscii(JSON.stringify(input.result.oodReason ?? '')) || !isAscii(input.model.name)) {
    dataset.SpecificCharacterSet = 'ISO_IR 192';
  }
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: COMPREHENSIVE_SR,
    MediaStorageSOPInstanceUID: sopInstanceUid,
    TransferSyntaxUID: EXPLICIT_LE,
    ImplementationClassUID: '2.25.179624335937394405396633213389406418215',
    ImplementationVersionName: 'RADLENS_1',
  };
  const dict = new data.DicomDict(data.DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = data.DicomMetaDictionary.denaturalizeDataset(dataset);
  return { bytes: new Uint8Array(dict.write()), sopInstanceUid, seriesInstanceUid, finding: state };
}

/** A file name for an SR: the source's name with .sr.dcm. */
export function srFileName(sourceName: string): string {
  const base = (sourceName.split(/[\\/]/).pop() ?? sourceName).replace(/\.(dcm|dicom)$/i, '');
  return `${base.replace(/[^\w.-]+/g, '_').slice(0, 80) || 'result'}.sr.dcm`;
}
