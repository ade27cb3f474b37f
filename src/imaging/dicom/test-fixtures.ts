/**
 * Test-only: a minimal DICOM Part 10 writer (explicit VR little endian data
 * set, or any transfer syntax UID in the meta header) for bad-input and
 * pixel-format fixtures built in memory.
 */

export type FixtureValue = string | number | number[] | Uint8Array | FixtureItem[];
export type FixtureItem = Array<[tag: number, vr: string, value: FixtureValue]>;

const LONG_VRS = new Set(['OB', 'OW', 'OF', 'SQ', 'UT', 'UN']);

function pad(bytes: Uint8Array, vr: string): Uint8Array {
  if (bytes.length % 2 === 0) return bytes;
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  out[bytes.length] = vr === 'UI' || vr === 'OB' ? 0 : 0x20;
  return out;
}

function valueBytes(vr: string, value: FixtureValue): Uint8Array {
  if (value instanceof Uint8Array) return pad(value, vr);
  if (vr === 'SQ') {
    const parts: Uint8Array[] = [];
    for (const item of value as FixtureItem[]) {
      const body = dataset(item);
      const head = new DataView(new ArrayBuffer(8));
      head.setUint16(0, 0xfffe, true);
      head.setUint16(2, 0xe000, true);
      head.setUint32(4, body.length, true);
      parts.push(new Uint8Array(head.buffer), body);
    }
    return concat(parts);
  }
  const list = Array.isArray(value) ? (value as number[]) : [value as string | number];
  if (vr === 'US' || vr === 'SS' || vr === 'OW') {
    const out = new DataView(new ArrayBuffer(list.length * 2));
    list.forEach((v, i) => (vr === 'SS' ? out.setInt16(i * 2, Number(v), true) : out.setUint16(i * 2, Number(v), true)));
    return new Uint8Array(out.buffer);
  }
  if (vr === 'UL') {
    const out = new DataView(new ArrayBuffer(list.length * 4));
    list.forEach((v, i) => out.setUint32(i * 4, Number(v), true));
    return new Uint8Array(out.buffer);
  }
  return pad(new TextEncoder().encode(list.map(String).join('\\')), vr);
}

function element(tag: number, vr: string, value: FixtureValue): Uint8Array {
  const v = valueBytes(vr, value);
  const long = LONG_VRS.has(vr);
  const head = new DataView(new ArrayBuffer(long ? 12 : 8));
  head.setUint16(0, tag >>> 16, true);
  head.setUint16(2, tag & 0xffff, true);
  head.setUint8(4, vr.charCodeAt(0));
  head.setUint8(5, vr.charCodeAt(1));
  if (long) head.setUint32(8, v.length, true);
  else head.setUint16(6, v.length, true);
  return concat([new Uint8Array(head.buffer), v]);
}

function dataset(elements: FixtureItem): Uint8Array {
  return concat([...elements].sort((a, b) => a[0] - b[0]).map(([t, vr, v]) => element(t, vr, v)));
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** A Part 10 file: preamble, 'DICM', meta header naming `transferSyntax`, then the data set. */
export function makeDicom(elements: FixtureItem, transferSyntax = '1.2.840.10008.1.2.1'): Uint8Array {
  const metaBody = dataset([
    [0x00020001, 'OB', new Uint8Array([0, 1])],
    [0x00020002, 'UI', '1.2.840.10008.5.1.4.1.1.7'],
    [0x00020003, 'UI', '1.2.3.4.5.6.7'],
    [0x00020010, 'UI', transferSyntax],
  ]);
  const groupLength = element(0x00020000, 'UL', metaBody.length);
  const preamble = new Uint8Array(132);
  preamble.set([0x44, 0x49, 0x43, 0x4d], 128);
  return concat([preamble, groupLength, metaBody, dataset(elements)]);
}

/** The usual image pixel module for a grey image; override or add with `extra`. */
export function greyImage(rows: number, columns: number, pixels: Uint8Array | null, extra: FixtureItem = []): FixtureItem {
  const base: FixtureItem = [
    [0x00080060, 'CS', 'OT'],
    [0x0020000e, 'UI', '1.2.3.4'],
    [0x00280002, 'US', 1],
    [0x00280004, 'CS', 'MONOCHROME2'],
    [0x00280010, 'US', rows],
    [0x00280011, 'US', columns],
    [0x00280100, 'US', 16],
    [0x00280101, 'US', 16],
    [0x00280102, 'US', 15],
    [0x00280103, 'US', 0],
  ];
  const tags = new Set(extra.map((e) => e[0]));
  const merged = [...base.filter((e) => !tags.has(e[0])), ...extra];
  if (pixels) merged.push([0x7fe00010, 'OW', pixels]);
  return merged;
}

export function uint16Pixels(values: number[]): Uint8Array {
  const v = new DataView(new ArrayBuffer(values.length * 2));
  values.forEach((x, i) => v.setUint16(i * 2, x & 0xffff, true));
  return new Uint8Array(v.buffer);
}
