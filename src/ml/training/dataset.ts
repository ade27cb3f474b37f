import type { DecodedImage } from '../../imaging/types';
import { isVolumeSlice, type SliceCandidate } from '../../imaging/series';
import { DEFAULT_PATIENT_PATTERNS, patientFromName, type PatientPattern } from './patient';

/**
 * A labelled dataset built from the clinic's own files. Two layouts:
 * one subfolder per class ("class/…/file"), or any files plus a CSV with
 * columns file,label[,patient]. Paths are relative to the chosen folder and
 * use '/' (what a browser's webkitRelativePath gives after its root folder).
 */

export interface LabelledFile {
  file: string;
  label: string;
  /** From a CSV patient column, when there is one. */
  patient?: string;
}

/** One image with everything the split, the warnings and the cache need. */
export interface DatasetItem {
  file: string;
  label: string;
  patient: string;
  /** 'dicom' (PatientID), 'csv', a file-name pattern name, or 'file' (own group). */
  patientSource: string;
  sha256: string;
  format: string;
  width: number;
  height: number;
  samplesPerPixel: number;
  bytes: number;
  /** DICOM Modality, null for plain images. */
  modality: string | null;
  /** A single slice of a cross-sectional series (`isVolumeSlice`): it trains as an image of its own. */
  volumeSlice?: true;
}

const IGNORED = /(^|\/)(\.|__MACOSX\/|Thumbs\.db$|desktop\.ini$)|\.(csv|txt|json|md)$/i;

/** Labels from the folder layout: the first folder of each path is its class. */
export function labelsFromFolders(paths: string[]): { files: LabelledFile[]; ignored: string[] } {
  const files: LabelledFile[] = [];
  const ignored: string[] = [];
  for (const raw of paths) {
    const path = raw.replace(/\\/g, '/').replace(/^\.?\//, '');
    const parts = path.split('/');
    if (parts.length < 2 || IGNORED.test(path)) ignored.push(raw);
    else files.push({ file: raw, label: parts[0] });
  }
  return { files, ignored };
}

const FILE_COLUMNS = ['file', 'path', 'filename', 'image', 'image name'];
const LABEL_COLUMNS = ['label', 'class', 'diagnosis'];
const PATIENT_COLUMNS = ['patient', 'patient_id', 'patientid', 'patient id'];

/** RFC 4180-ish: quoted fields with "" escapes, commas, CRLF or LF. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field); field = '';
      if (row.some((f) => f !== '')) rows.push(row);
      row = [];
    } else field += c;
  }
  row.push(field);
  if (row.some((f) => f !== '')) rows.push(row);
  return rows;
}

/**
 * Labels (and patients) from a CSV. A CSV path matches a file when it equals
 * the file's path, is a suffix of it at a '/' boundary, or, failing both, has
 * the same file name when that name is unique. Files the CSV does not name are
 * returned as unlabelled rather than guessed.
 */
export function labelsFromCsv(csvText: string, paths: string[]): { files: LabelledFile[]; unlabelled: string[]; unmatchedRows: number } {
  const rows = parseCsv(csvText.replace(/^\uFEFF/, ''));
  if (!rows.length) throw new Error('the labels CSV is empty');
  const header = rows[0].map((h) => h.trim().toLowerCase());
  const col = (names: string[]) => header.findIndex((h) => names.includes(h));
  const fileCol = col(FILE_COLUMNS), labelCol = col(LABEL_COLUMNS), patientCol = col(PATIENT_COLUMNS);
  if (fileCol < 0 || labelCol < 0)
    throw new Error(`the labels CSV needs a header with columns file,label[,patient]; found: ${rows[0].join(',')}`);
  const norm = (p: string) => p.replace(/\\/g, '/').replace(/^\.?\//, '');
  const byPath = new Map(paths.map((p) => [norm(p), p]));
  const byName = new Map<string, string | null>();
  for (const p of paths) {
    const name = norm(p).split('/').pop()!;
    byName.set(name, byName.has(name) ? null : p);
  }
  const found = new Map<string, LabelledFile>();
  let unmatchedRows = 0;
  for (const r of rows.slice(1)) {
    const csvPath = norm((r[fileCol] ?? '').trim());
    const label = (r[labelCol] ?? '').trim();
    if (!csvPath || !label) continue;
    let match = byPath.get(csvPath);
    if (!match) for (const [p, orig] of byPath) if (p.endsWith('/' + csvPath) || csvPath.endsWith('/' + p)) { match = orig; break; }
    if (!match) match = byName.get(csvPath.split('/').pop()!) ?? undefined;
    if (!match) { unmatchedRows++; continue; }
    const patient = patientCol >= 0 ? (r[patientCol] ?? '').trim() || undefined : undefined;
    found.set(match, { file: match, label, patient });
  }
  const unlabelled = paths.filter((p) => !found.has(p) && !/\.csv$/i.test(p));
  return { files: [...found.values()], unlabelled, unmatchedRows };
}

/**
 * The dataset item for one decoded file. Patient: a CSV column first, then the
 * DICOM PatientID, then the file-name patterns.
 */
export function datasetItem(
  labelled: LabelledFile,
  sha256: string,
  byteLength: number,
  image: Pick<DecodedImage, 'format' | 'rows' | 'columns' | 'samplesPerPixel' | 'patientId' | 'modality'> & Partial<SliceCandidate>,
  patterns: PatientPattern[] = DEFAULT_PATIENT_PATTERNS,
): DatasetItem {
  let patient: string, patientSource: string;
  if (labelled.patient) { patient = labelled.patient; patientSource = 'csv'; }
  else if (image.patientId && image.patientId.trim()) { patient = image.patientId.trim(); patientSource = 'dicom'; }
  else ({ patient, source: patientSource } = patientFromName(labelled.file, patterns));
  return {
    file: labelled.file,
    label: labelled.label,
    // Same key in two classes must still be one patient: the key is not label-scoped.
    patient,
    patientSource,
    sha256,
    format: image.format,
    width: image.columns,
    height: image.rows,
    samplesPerPixel: image.samplesPerPixel,
    bytes: byteLength,
    modality: image.modality?.trim() || null,
    ...(image.frames && isVolumeSlice({ ...image, frames: image.frames }) ? { volumeSlice: true as const } : {}),
  };
}

/** Groups of files with byte-identical content (each group has 2+ files). */
export function duplicateGroups(items: Pick<DatasetItem, 'file' | 'sha256'>[]): string[][] {
  const byHash = new Map<string, string[]>();
  for (const it of items) byHash.set(it.sha256, [...(byHash.get(it.sha256) ?? []), it.file]);
  return [...byHash.values()].filter((g) => g.length > 1);
}

/** Class names in a stable order (sorted), the order of the model's outputs. */
export function classNames(items: Pick<DatasetItem, 'label'>[]): string[] {
  return [...new Set(items.map((i) => i.label))].sort();
}

/**
 * Which class is "positive" (the one sensitivity is about): the one whose
 * name does not read as normal/negative; else the last in sorted order.
 */
export function guessPositiveLabel(labels: string[]): string {
  const negative = /^(non|no[-_ ]?|normal|negative|healthy|benign|control)/i;
  const positives = labels.filter((l) => !negative.test(l));
  return positives.length === 1 ? positives[0] : labels[labels.length - 1];
}

/** Modalities named by the files' DICOM headers (most frequent first); empty for plain images. */
export function dataModalities(items: Pick<DatasetItem, 'modality'>[]): string[] {
  const counts = new Map<string, number>();
  for (const it of items) if (it.modality) counts.set(it.modality.toUpperCase(), (counts.get(it.modality.toUpperCase()) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]).map(([m]) => m);
}

/**
 * A browser folder pick gives "picked/CLASS/file.png" (webkitRelativePath);
 * the dataset wants paths relative to the picked folder.
 */
export function relativeToPickedFolder(webkitRelativePath: string): string {
  const parts = webkitRelativePath.replace(/\\/g, '/').split('/');
  return parts.length > 2 ? parts.slice(1).join('/') : parts.join('/');
}
