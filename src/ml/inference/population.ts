import type { ModelCard } from '../card-types';
import type { DecodedImage } from '../../imaging/types';

/**
 * Is the patient in the population the model was made for? Today: age, from
 * DICOM PatientAge (0010,1010) or PatientBirthDate (0010,0030) with the
 * StudyDate (0008,0020; else SeriesDate, AcquisitionDate, ContentDate).
 * Files without those (PNG, JPEG, NIfTI, anonymised DICOM) cannot be checked,
 * and the result says so instead of passing them silently.
 */

export interface PatientAge {
  /** Age in years (fractional for months, weeks, days). */
  years: number;
  /** What the age was read from, for the result. */
  source: 'PatientAge' | 'PatientBirthDate+StudyDate';
  /** The age in the unit a person would say it: "45 years", "18 months", "3 weeks", "10 days". */
  text: string;
}

export interface PopulationCheck {
  /** true when the patient's age was known and compared with the card's range. */
  checked: boolean;
  /** The card's range, as stated there. */
  ageYears?: { min: number; max: number };
  age?: PatientAge;
  /** Why it could not be checked, or what was found. */
  note: string;
  /** true when the age was known and outside the range. */
  outside: boolean;
}

const DAYS_PER_YEAR = 365.2425;
const UNIT_YEARS: Record<string, number> = { Y: 1, M: 1 / 12, W: 7 / DAYS_PER_YEAR, D: 1 / DAYS_PER_YEAR };
const UNIT_WORD: Record<string, string> = { Y: 'year', M: 'month', W: 'week', D: 'day' };

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** DICOM AS value ("045Y", "018M", "003W", "010D"; tolerant of spaces and missing zero padding). */
export function parseDicomAge(value: string | undefined | null): PatientAge | undefined {
  const m = /^\s*(\d{1,3})\s*([YMWD])\s*$/i.exec(value ?? '');
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2].toUpperCase();
  return { years: n * UNIT_YEARS[unit], source: 'PatientAge', text: plural(n, UNIT_WORD[unit]) };
}

/** A DICOM DA value (YYYYMMDD; the old "YYYY.MM.DD" form too) as a UTC date, or undefined. */
export function parseDicomDate(value: string | undefined | null): Date | undefined {
  const m = /^\s*(\d{4})\.?(\d{2})\.?(\d{2})\s*$/.exec(value ?? '');
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  // Rejects 20230231 and the like instead of rolling over into March.
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d ? date : undefined;
}

/** Completed years (and the fraction) between a birth date and a study date; undefined if either is missing or the order is wrong. */
export function ageFromDates(birthDate: string | undefined | null, studyDate: string | undefined | null): PatientAge | undefined {
  const birth = parseDicomDate(birthDate), study = parseDicomDate(studyDate);
  if (!birth || !study || study < birth) return undefined;
  let completed = study.getUTCFullYear() - birth.getUTCFullYear();
  const beforeBirthday =
    study.getUTCMonth() < birth.getUTCMonth() || (study.getUTCMonth() === birth.getUTCMonth() && study.getUTCDate() < birth.getUTCDate());
  if (beforeBirthday) completed--;
  const days = (study.getTime() - birth.getTime()) / 86_400_000;
  let text: string;
  if (completed >= 2) text = plural(completed, 'year');
  else if (days >= 31) {
    const months = (study.getUTCFullYear() - birth.getUTCFullYear()) * 12 + study.getUTCMonth() - birth.getUTCMonth() - (study.getUTCDate() < birth.getUTCDate() ? 1 : 0);
    text = plural(months, 'month');
  }
  else text = plural(Math.round(days), 'day');
  return { years: Math.max(completed, days / DAYS_PER_YEAR), source: 'PatientBirthDate+StudyDate', text };
}

/** The patient's age from the header fields the decoder kept, PatientAge first. */
export function patientAge(image: Pick<DecodedImage, 'patient'>): PatientAge | undefined {
  const p = image.patient;
  if (!p) return undefined;
  return parseDicomAge(p.age) ?? ageFromDates(p.birthDate, p.studyDate);
}

/**
 * Inside [min, max] by completed years: "005Y" and 5 years 7 months are 5,
 * inside a 1–5 range; 11 months is 0, outside.
 */
export function checkPopulation(card: ModelCard, image: Pick<DecodedImage, 'patient' | 'format'>): PopulationCheck | undefined {
  const range = card.population?.ageYears;
  if (!range) return undefined;
  const age = patientAge(image);
  if (!age) {
    const why = image.format === 'dicom' ? 'the DICOM header has no PatientAge and no PatientBirthDate with StudyDate' : `${image.format.toUpperCase()} files carry no patient age`;
    return { checked: false, ageYears: range, outside: false, note: `patient age could not be checked: ${why}` };
  }
  const completed = Math.floor(age.years + 1e-9);
  const outside = completed < range.min || completed > range.max;
  return {
    checked: true, ageYears: range, age, outside,
    note: outside ? describeAgeRefusal(age, range) : `patient age ${age.text} (${age.source}): inside the model's range of ${range.min}–${range.max} years`,
  };
}

export function describeAgeRefusal(age: Pick<PatientAge, 'text'>, range: { min: number; max: number }): string {
  return `patient age ${age.text}: this model was trained on children aged ${range.min}–${range.max}`;
}
