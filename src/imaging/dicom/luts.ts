import type { VoiWindow } from '../types';
import { type DataSet, nums, str } from './parse';

/**
 * Lookup tables from the header: Modality LUT (rescale or LUT sequence), VOI
 * windows and VOI LUT, and palette colour tables.
 */

export interface Lut {
  firstMapped: number;
  bitsPerEntry: number;
  data: Uint16Array;
}

/** A LUT from its descriptor (entries, first mapped, bits) and data elements. */
export function readLut(ds: DataSet, descriptorTag: string, dataTag: string, signedInput: boolean): Lut | undefined {
  const desc = ds.elements[descriptorTag];
  const dataEl = ds.elements[dataTag];
  if (!desc || !dataEl || desc.length < 6) return undefined;
  let entries = ds.uint16(descriptorTag, 0) ?? 0;
  if (entries === 0) entries = 65536;
  let firstMapped = ds.uint16(descriptorTag, 1) ?? 0;
  if (signedInput && firstMapped > 32767) firstMapped -= 65536;
  const bitsPerEntry = ds.uint16(descriptorTag, 2) ?? 16;
  const data = new Uint16Array(entries);
  // 8-bit entries sometimes come packed one per byte (length == entries).
  if (bitsPerEntry <= 8 && dataEl.length === entries) {
    for (let i = 0; i < entries; i++) data[i] = ds.byteArray[dataEl.dataOffset + i];
  } else {
    const n = Math.min(entries, dataEl.length >> 1);
    for (let i = 0; i < n; i++) data[i] = ds.uint16(dataTag, i) ?? 0;
  }
  return { firstMapped, bitsPerEntry, data };
}

export interface ModalityLut {
  apply(values: Float32Array): void;
  /** True when the stored values were transformed (slope/intercept not identity, or a LUT). */
  applies: boolean;
  description: string;
}

/**
 * Enhanced multi-frame objects (Enhanced CT/MR, PS3.3 C.7.6.16) carry rescale
 * and window in functional groups: the frame's own item first, then the shared
 * one. Classic objects have neither, and the top-level data set answers.
 */
export function functionalGroup(ds: DataSet, frame: number, sequenceTag: string): DataSet | undefined {
  const first = (el: DataSet['elements'][string] | undefined) => el?.items?.[0]?.dataSet;
  const perFrame = ds.elements.x52009230?.items?.[frame]?.dataSet;
  const shared = first(ds.elements.x52009229);
  return first(perFrame?.elements[sequenceTag]) ?? first(shared?.elements[sequenceTag]);
}

export function modalityLut(ds: DataSet, signed: boolean, frame = 0): ModalityLut {
  const seq = ds.elements.x00283000?.items?.[0]?.dataSet;
  if (seq) {
    const lut = readLut(seq, 'x00283002', 'x00283006', signed);
    if (lut) {
      const last = lut.data.length - 1;
      return {
        applies: true,
        description: 'Modality LUT Sequence',
        apply(values) {
          for (let i = 0; i < values.length; i++) {
            let k = Math.round(values[i]) - lut.firstMapped;
            k = k < 0 ? 0 : k > last ? last : k;
            values[i] = lut.data[k];
          }
        },
      };
    }
  }
  const source = functionalGroup(ds, frame, 'x00289145') ?? ds; // Pixel Value Transformation
  const slopeStr = str(source, 'x00281053');
  const interStr = str(source, 'x00281052');
  const slope = slopeStr !== undefined && Number.isFinite(Number.parseFloat(slopeStr)) ? Number.parseFloat(slopeStr) : 1;
  const intercept = interStr !== undefined && Number.isFinite(Number.parseFloat(interStr)) ? Number.parseFloat(interStr) : 0;
  const present = slopeStr !== undefined || interStr !== undefined;
  return {
    applies: present,
    description: present ? `rescale ${slope}×value${intercept >= 0 ? '+' : ''}${intercept}` : 'none',
    apply(values) {
      if (slope === 1 && intercept === 0) return;
      // Float64 arithmetic, then rounded to Float32 once: matches reference decoders.
      for (let i = 0; i < values.length; i++) values[i] = values[i] * slope + intercept;
    },
  };
}

export function fileWindows(dataSet: DataSet): VoiWindow[] {
  const ds = functionalGroup(dataSet, 0, 'x00289132') ?? dataSet; // Frame VOI LUT
  const centers = nums(ds, 'x00281050');
  const widths = nums(ds, 'x00281051');
  const names = (ds.string('x00281055') ?? '').split('\\');
  const out: VoiWindow[] = [];
  for (let i = 0; i < Math.min(centers.length, widths.length); i++) {
    if (!(widths[i] > 0)) continue;
    out.push({ center: centers[i], width: widths[i], source: 'file', name: names[i]?.trim() || undefined });
  }
  return out;
}

export function voiLut(ds: DataSet, signed: boolean): Lut | undefined {
  const item = ds.elements.x00283010?.items?.[0]?.dataSet;
  return item ? readLut(item, 'x00283002', 'x00283006', signed) : undefined;
}

/** PALETTE COLOR indices to 8-bit RGB (16-bit entries keep their high byte). */
export function paletteToRgb(ds: DataSet, indices: Float32Array, signed: boolean): Float32Array {
  const red = readLut(ds, 'x00281101', 'x00281201', signed);
  const green = readLut(ds, 'x00281102', 'x00281202', signed);
  const blue = readLut(ds, 'x00281103', 'x00281203', signed);
  if (!red || !green || !blue) throw new Error('PALETTE COLOR image without its palette tables');
  const out = new Float32Array(indices.length * 3);
  const tables = [red, green, blue];
  for (let c = 0; c < 3; c++) {
    const t = tables[c];
    const scale = t.bitsPerEntry > 8 ? 1 / 257 : 1;
    const last = t.data.length - 1;
    for (let i = 0; i < indices.length; i++) {
      let k = indices[i] - t.firstMapped;
      k = k < 0 ? 0 : k > last ? last : k;
      out[i * 3 + c] = Math.round(t.data[k] * scale);
    }
  }
  return out;
}
