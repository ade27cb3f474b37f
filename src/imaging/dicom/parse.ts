import dicomParserModule from 'dicom-parser';
import type * as DicomParserTypes from 'dicom-parser';
import { inflateSync } from 'fflate';
import { ImagingError } from '../types';

/**
 * Byte-level recognition and parsing of DICOM. Part 10 files carry 'DICM' at
 * offset 128; raw datasets (no preamble, no meta header, as some PACS exports
 * and old scanners write) are recognised by their first element.
 */

export type DataSet = DicomParserTypes.DataSet;
export type Element = DicomParserTypes.Element;

// A UMD bundle: Node's CJS interop and Vite's pre-bundling disagree on where the namespace sits.
export const dicomParser: typeof DicomParserTypes =
  ((dicomParserModule as unknown as { default?: typeof DicomParserTypes }).default ?? dicomParserModule) as typeof DicomParserTypes;

const IMPLICIT_LE = '1.2.840.10008.1.2';
const EXPLICIT_LE = '1.2.840.10008.1.2.1';
const EXPLICIT_BE = '1.2.840.10008.1.2.2';

const VRS = new Set(
  'AE AS AT CS DA DS DT FL FD IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST SV TM UC UI UL UN UR US UT UV'.split(' '),
);

export function hasPart10Preamble(bytes: Uint8Array): boolean {
  return bytes.length >= 132 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d;
}

/**
 * The transfer syntax of a raw dataset, judged from its first element: a
 * plausible group (0002..0028) and either a valid explicit VR or an implicit
 * length. Null when the bytes do not look like DICOM at all.
 */
export function sniffRawDataset(bytes: Uint8Array): string | null {
  if (bytes.length < 12) return null;
  const groupLE = bytes[0] | (bytes[1] << 8);
  const groupBE = (bytes[0] << 8) | bytes[1];
  const vr = String.fromCharCode(bytes[4], bytes[5]);
  const plausible = (g: number) => g === 0x0002 || g === 0x0008 || g === 0x0010 || g === 0x0018 || g === 0x0020 || g === 0x0028;
  if (plausible(groupLE)) {
    if (VRS.has(vr)) return EXPLICIT_LE;
    // Implicit: a 32-bit length that fits in the file.
    const len = (bytes[4] | (bytes[5] << 8) | (bytes[6] << 16) | (bytes[7] << 24)) >>> 0;
    if (len === 0xffffffff || len <= bytes.length - 8) return IMPLICIT_LE;
    return null;
  }
  if (plausible(groupBE) && VRS.has(vr)) return EXPLICIT_BE;
  return null;
}

export function looksLikeDicom(bytes: Uint8Array): boolean {
  return hasPart10Preamble(bytes) || sniffRawDataset(bytes) !== null;
}

/** Raw deflate of everything after the meta header, as PS3.5 A.5 specifies. */
function inflater(byteArray: Uint8Array, position: number): Uint8Array {
  const inflated = inflateSync(byteArray.subarray(position));
  const full = new Uint8Array(position + inflated.length);
  full.set(byteArray.subarray(0, position), 0);
  full.set(inflated, position);
  return full;
}

function thrownMessage(err: unknown): string {
  if (typeof err === 'string') return err;
  if (err && typeof err === 'object' && 'exception' in err) return thrownMessage((err as { exception: unknown }).exception);
  if (err instanceof Error) return err.message;
  return String(err);
}

/** Parses a DICOM file or raw dataset; each failure names the file and the cause. */
export function parseDicomBytes(file: string, bytes: Uint8Array): DataSet {
  const part10 = hasPart10Preamble(bytes);
  const rawSyntax = part10 ? null : sniffRawDataset(bytes);
  if (!part10 && !rawSyntax) {
    throw new ImagingError(`${file}: not a DICOM file (no 'DICM' marker at byte 128 and no DICOM data set at the start)`, 'not-dicom');
  }
  try {
    const options: DicomParserTypes.ParseDicomOptions & { inflater?: typeof inflater; TransferSyntaxUID?: string } = { inflater };
    if (rawSyntax) options.TransferSyntaxUID = rawSyntax;
    return dicomParser.parseDicom(bytes, options as DicomParserTypes.ParseDicomOptions);
  } catch (err) {
    const msg = thrownMessage(err);
    if (/overread|beyond|buffer|end of|truncat|past/i.test(msg) || /invalid (inflate|deflate)|unexpected EOF/i.test(msg)) {
      throw new ImagingError(`${file}: the DICOM file is truncated or damaged (${msg})`, 'truncated');
    }
    throw new ImagingError(`${file}: the DICOM file could not be parsed (${msg})`, 'corrupt');
  }
}

/** Whether an element claims more bytes than the file holds (cut-off download). */
export function elementOverruns(dataSet: DataSet, element: Element): boolean {
  if (element.hadUndefinedLength) return false;
  return element.dataOffset + element.length > dataSet.byteArray.length;
}

export function str(ds: DataSet, tag: string, index?: number): string | undefined {
  const v = ds.string(tag, index);
  return v === undefined || v === '' ? undefined : v;
}

export function num(ds: DataSet, tag: string, index?: number): number | undefined {
  const v = ds.floatString(tag, index);
  return v === undefined || Number.isNaN(v) ? undefined : v;
}

export function us(ds: DataSet, tag: string): number | undefined {
  const el = ds.elements[tag];
  if (!el || el.length < 2) return undefined;
  return ds.uint16(tag);
}

/** Multi-valued decimal string (backslash-separated), parsed to finite numbers. */
export function nums(ds: DataSet, tag: string): number[] {
  const s = ds.string(tag);
  if (!s) return [];
  return s.split('\\').map((x) => Number.parseFloat(x)).filter((x) => Number.isFinite(x));
}

export function transferSyntaxOf(ds: DataSet): string {
  return (ds.string('x00020010') ?? IMPLICIT_LE).replace(/\0/g, '').trim();
}
