/**
 * Patient grouping from file names, used when a file carries no DICOM
 * PatientID and no CSV gives one. Each pattern's first capture group is the
 * patient key. Over-grouping (two patients under one key) only makes the split
 * coarser; under-grouping leaks a patient across splits, so the defaults lean
 * coarse.
 */

export interface PatientPattern {
  name: string;
  pattern: RegExp;
}

export const DEFAULT_PATIENT_PATTERNS: PatientPattern[] = [
  // Kermany pneumonia: person123_bacteria_4.jpeg → person123
  { name: 'kermany-pneumonia', pattern: /^(person\d+)_/i },
  // Kermany normal: IM-0115-0001.jpeg, NORMAL2-IM-1427-0001.jpeg → IM-0115
  { name: 'kermany-normal', pattern: /^((?:NORMAL2-)?IM-\d+)-\d+/i },
  // COVID-CT preprint figures: 2020.01.24.919183-p27-132.png → the preprint id.
  // The whole preprint, not the page: one case is often shown across pages.
  { name: 'covid-ct-preprint', pattern: /^(\d{4}\.\d{2}\.\d{2}\.\d+)-p\d+/ },
  // Generic "stem-NNN" series numbering (sub-image suffixes %N / _N dropped
  // first): scan-12-003.png → scan-12.
  { name: 'stem-number', pattern: /^(.+?)-\d+(?:[%_]\d+)*$/ },
];

/** File name without folders and extension, `%` kept (it appears in real names). */
export function fileStem(path: string): string {
  const name = path.split(/[\\/]/).pop() ?? path;
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

export interface PatientGuess {
  patient: string;
  /** Which rule gave the key: 'dicom', 'csv', a pattern name, or 'file' (no rule: one group per image). */
  source: string;
}

/**
 * The patient key of one file name. A user pattern replaces the defaults; a
 * name no pattern matches becomes its own group, with sub-image suffixes
 * (`35%0.jpg`, `35%1.jpg`: crops of one figure) folded together.
 */
export function patientFromName(path: string, patterns: PatientPattern[] = DEFAULT_PATIENT_PATTERNS): PatientGuess {
  const name = path.split(/[\\/]/).pop() ?? path;
  const stem = fileStem(path);
  for (const { name: ruleName, pattern } of patterns) {
    const m = pattern.exec(name) ?? pattern.exec(stem);
    if (m && m[1]) return { patient: m[1], source: ruleName };
  }
  return { patient: stem.replace(/(?:%\d+)+$/, ''), source: 'file' };
}

/** A user-typed regex (e.g. from a settings field) as a pattern; must have a capture group. */
export function userPatientPattern(source: string): PatientPattern {
  const pattern = new RegExp(source);
  if (!/\((?!\?)/.test(source)) throw new Error(`patient pattern ${source} needs a capture group, e.g. ^(patient\\d+)_`);
  return { name: 'user', pattern };
}
