import { ImagingError } from '../types';
import type { DecodedFrame } from './codecs';

/**
 * A DCT JPEG decoder for the precisions libjpeg-turbo's 8-bit build refuses:
 * 12-bit extended sequential (SOF1, DICOM process 2 & 4) and progressive
 * (SOF2, the retired processes 6 & 8 / 10 & 12), Huffman coding only.
 * Float IDCT; values may differ from libjpeg's integer IDCT by ±1 grey level.
 * Components are returned interleaved; three-component frames are converted
 * from YCbCr to RGB (JFIF), as libjpeg does.
 */

const ZIGZAG = new Int32Array([
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28, 35,
  42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
]);

interface Huffman {
  maxcode: Int32Array; // per length 1..16, -1 when none
  valptr: Int32Array;
  mincode: Int32Array;
  values: Uint8Array;
}

interface Component {
  id: number;
  h: number;
  v: number;
  tq: number;
  blocksPerLine: number;
  blocksPerColumn: number;
  blocksPerLineMcu: number;
  coefs: Int32Array;
  pred: number;
  dc?: Huffman;
  ac?: Huffman;
}

function buildHuffman(counts: Uint8Array, values: Uint8Array): Huffman {
  const maxcode = new Int32Array(18).fill(-1);
  const valptr = new Int32Array(17);
  const mincode = new Int32Array(17);
  let code = 0, k = 0;
  for (let l = 1; l <= 16; l++) {
    const n = counts[l - 1];
    if (n) {
      valptr[l] = k;
      mincode[l] = code;
      code += n;
      k += n;
      maxcode[l] = code - 1;
    }
    code <<= 1;
  }
  return { maxcode, valptr, mincode, values };
}

class BitReader {
  private bits = 0;
  private count = 0;
  marker = 0;
  constructor(private data: Uint8Array, public pos: number) {}
  bit(): number {
    if (this.count === 0) {
      if (this.marker || this.pos >= this.data.length) { this.bits = 0; this.count = 8; }
      else {
        let b = this.data[this.pos++];
        if (b === 0xff) {
          const next = this.data[this.pos];
          if (next === 0) this.pos++;
          else { this.marker = next; this.pos--; b = 0; }
        }
        this.bits = b;
        this.count = 8;
      }
    }
    this.count--;
    return (this.bits >> this.count) & 1;
  }
  receive(n: number): number {
    let v = 0;
    for (let i = 0; i < n; i++) v = (v << 1) | this.bit();
    return v;
  }
  extend(n: number): number {
    if (n === 0) return 0;
    const v = this.receive(n);
    return v < 1 << (n - 1) ? v - (1 << n) + 1 : v;
  }
  decode(t: Huffman): number {
    let code = 0;
    for (let l = 1; l <= 16; l++) {
      code = (code << 1) | this.bit();
      if (code <= t.maxcode[l]) return t.values[t.valptr[l] + code - t.mincode[l]];
    }
    throw new Error('bad Huffman code');
  }
  /** Skips to the next RSTn marker after a restart interval. */
  restart(): void {
    this.count = 0;
    this.bits = 0;
    if (!this.marker) {
      while (this.pos + 1 < this.data.length && !(this.data[this.pos] === 0xff && this.data[this.pos + 1] >= 0xd0 && this.data[this.pos + 1] <= 0xd7)) this.pos++;
    }
    if (this.data[this.pos] === 0xff && this.data[this.pos + 1] >= 0xd0 && this.data[this.pos + 1] <= 0xd7) this.pos += 2;
    this.marker = 0;
  }
}

export async function decodeJpeg12(data: Uint8Array): Promise<DecodedFrame> {
  return decodeDct(data);
}

export function decodeDct(data: Uint8Array): DecodedFrame {
  const quant: Int32Array[] = [];
  const dcTables: Huffman[] = [];
  const acTables: Huffman[] = [];
  let components: Component[] = [];
  let precision = 8, width = 0, height = 0, progressive = false;
  let maxH = 1, maxV = 1, mcusPerLine = 0, mcusPerColumn = 0, restartInterval = 0;
  let pos = 2;
  if (data[0] !== 0xff || data[1] !== 0xd8) throw new ImagingError('not a JPEG stream (no SOI marker)', 'corrupt');
  const u16 = (p: number) => (data[p] << 8) | data[p + 1];
  while (pos + 3 < data.length) {
    if (data[pos] !== 0xff) { pos++; continue; }
    const marker = data[pos + 1];
    if (marker === 0xff) { pos++; continue; }
    if (marker === 0xd9) break;
    if (marker >= 0xd0 && marker <= 0xd7) { pos += 2; continue; }
    const len = u16(pos + 2);
    const seg = pos + 4;
    const end = pos + 2 + len;
    if (marker === 0xdb) {
      for (let p = seg; p < end; ) {
        const pq = data[p] >> 4, tq = data[p] & 15;
        p++;
        const table = new Int32Array(64);
        for (let i = 0; i < 64; i++) {
          table[ZIGZAG[i]] = pq ? u16(p) : data[p];
          p += pq ? 2 : 1;
        }
        quant[tq] = table;
      }
    } else if (marker === 0xc4) {
      for (let p = seg; p < end; ) {
        const tc = data[p] >> 4, th = data[p] & 15;
        const counts = data.subarray(p + 1, p + 17);
        let total = 0;
        for (let i = 0; i < 16; i++) total += counts[i];
        const values = data.slice(p + 17, p + 17 + total);
        (tc === 0 ? dcTables : acTables)[th] = buildHuffman(counts, values);
        p += 17 + total;
      }
    } else if (marker === 0xdd) {
      restartInterval = u16(seg);
    } else if (marker === 0xc0 || marker === 0xc1 || marker === 0xc2) {
      progressive = marker === 0xc2;
      precision = data[seg];
      height = u16(seg + 1);
      width = u16(seg + 3);
      const n = data[seg + 5];
      components = [];
      for (let i = 0; i < n; i++) {
        const p = seg + 6 + i * 3;
        components.push({ id: data[p], h: data[p + 1] >> 4, v: data[p + 1] & 15, tq: data[p + 2], blocksPerLine: 0, blocksPerColumn: 0, blocksPerLineMcu: 0, coefs: new Int32Array(0), pred: 0 });
      }
      maxH = Math.max(...components.map((c) => c.h));
      maxV = Math.max(...components.map((c) => c.v));
      mcusPerLine = Math.ceil(width / (8 * maxH));
      mcusPerColumn = Math.ceil(height / (8 * maxV));
      for (const c of components) {
        c.blocksPerLine = Math.ceil(Math.ceil((width * c.h) / maxH) / 8);
        c.blocksPerColumn = Math.ceil(Math.ceil((height * c.v) / maxV) / 8);
        c.blocksPerLineMcu = mcusPerLine * c.h;
        c.coefs = new Int32Array(c.blocksPerLineMcu * mcusPerColumn * c.v * 64);
      }
    } else if (marker >= 0xc3 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      throw new ImagingError(`JPEG SOF${marker - 0xc0} (lossless, hierarchical or arithmetic-coded) is not supported by the DCT decoder`, 'unsupported-transfer-syntax');
    } else if (marker === 0xda) {
      const ns = data[seg];
      const scan: Component[] = [];
      for (let i = 0; i < ns; i++) {
        const c = components.find((x) => x.id === data[seg + 1 + i * 2]);
        if (!c) throw new ImagingError('JPEG scan names an unknown component', 'corrupt');
        c.dc = dcTables[data[seg + 2 + i * 2] >> 4];
        c.ac = acTables[data[seg + 2 + i * 2] & 15];
        scan.push(c);
      }
      const p = seg + 1 + ns * 2;
      const ss = data[p], se = data[p + 1], ah = data[p + 2] >> 4, al = data[p + 2] & 15;
      pos = decodeScan(data, end, scan, { progressive, ss, se, ah, al, restartInterval, mcusPerLine, mcusPerColumn });
      continue;
    }
    pos = end;
  }
  if (!components.length) throw new ImagingError('JPEG stream has no frame header', 'corrupt');
  return { pixels: render(components, quant, width, height, precision, maxH, maxV), width, height, components: components.length, bitsPerSample: precision, signed: false };
}

interface ScanParams {
  progressive: boolean;
  ss: number;
  se: number;
  ah: number;
  al: number;
  restartInterval: number;
  mcusPerLine: number;
  mcusPerColumn: number;
}

function decodeScan(data: Uint8Array, start: number, scan: Component[], sp: ScanParams): number {
  const r = new BitReader(data, start);
  let eobrun = 0;
  const decodeBlock = (c: Component, off: number) => {
    const z = c.coefs;
    if (!sp.progressive) {
      const t = r.decode(c.dc!);
      c.pred += r.extend(t);
      z[off] = c.pred;
      for (let k = 1; k < 64; ) {
        const rs = r.decode(c.ac!);
        const s = rs & 15, run = rs >> 4;
        if (s === 0) { if (run < 15) break; k += 16; continue; }
        k += run;
        if (k > 63) break;
        z[off + ZIGZAG[k]] = r.extend(s);
        k++;
      }
      return;
    }
    if (sp.ss === 0) {
      if (sp.ah === 0) {
        const t = r.decode(c.dc!);
        c.pred += r.extend(t);
        z[off] = c.pred * (1 << sp.al);
      } else if (r.bit()) z[off] |= 1 << sp.al;
      return;
    }
    if (sp.ah === 0) {
      if (eobrun > 0) { eobrun--; return; }
      for (let k = sp.ss; k <= sp.se; ) {
        const rs = r.decode(c.ac!);
        const s = rs & 15, run = rs >> 4;
        if (s === 0) {
          if (run < 15) { eobrun = (1 << run) - 1 + (run ? r.receive(run) : 0); break; }
          k += 16;
          continue;
        }
        k += run;
        if (k > 63) break;
        z[off + ZIGZAG[k]] = r.extend(s) * (1 << sp.al);
        k++;
      }
      return;
    }
    // AC successive approximation refinement (ITU T.81 G.1.2.3).
    const p1 = 1 << sp.al, m1 = -1 << sp.al;
    let k = sp.ss;
    if (eobrun <= 0) {
      for (; k <= sp.se; ) {
        const rs = r.decode(c.ac!);
        const s = rs & 15;
        let run = rs >> 4;
        let value = 0;
        if (s === 0) {
          if (run < 15) { eobrun = (1 << run) + (run ? r.receive(run) : 0); break; }
        } else value = r.bit() ? p1 : m1;
        while (k <= sp.se) {
          const idx = off + ZIGZAG[k];
          if (z[idx] !== 0) {
            if (r.bit() && (z[idx] & p1) === 0) z[idx] += z[idx] >= 0 ? p1 : m1;
          } else {
            if (run === 0) {
              if (value) z[idx] = value;
              k++;
              break;
            }
            run--;
          }
          k++;
        }
      }
    }
    if (eobrun > 0) {
      for (; k <= sp.se; k++) {
        const idx = off + ZIGZAG[k];
        if (z[idx] !== 0 && r.bit() && (z[idx] & p1) === 0) z[idx] += z[idx] >= 0 ? p1 : m1;
      }
      eobrun--;
    }
  };
  const blockOffset = (c: Component, row: number, col: number) => (row * c.blocksPerLineMcu + col) * 64;
  let mcu = 0;
  const total = scan.length === 1 ? scan[0].blocksPerLine * scan[0].blocksPerColumn : sp.mcusPerLine * sp.mcusPerColumn;
  const resetIfNeeded = () => {
    if (sp.restartInterval && mcu > 0 && mcu % sp.restartInterval === 0) {
      r.restart();
      eobrun = 0;
      for (const c of scan) c.pred = 0;
    }
  };
  for (const c of scan) c.pred = 0;
  for (mcu = 0; mcu < total; ) {
    resetIfNeeded();
    if (scan.length === 1) {
      const c = scan[0];
      decodeBlock(c, blockOffset(c, Math.floor(mcu / c.blocksPerLine), mcu % c.blocksPerLine));
    } else {
      const mr = Math.floor(mcu / sp.mcusPerLine), mc = mcu % sp.mcusPerLine;
      for (const c of scan) for (let v = 0; v < c.v; v++) for (let h = 0; h < c.h; h++) decodeBlock(c, blockOffset(c, mr * c.v + v, mc * c.h + h));
    }
    mcu++;
  }
  // Continue after the entropy-coded data: find the next marker that is not RSTn.
  let p = r.pos;
  while (p + 1 < data.length && !(data[p] === 0xff && data[p + 1] !== 0 && !(data[p + 1] >= 0xd0 && data[p + 1] <= 0xd7))) p++;
  return p;
}

const IDCT = (() => {
  const t = new Float64Array(64);
  for (let x = 0; x < 8; x++) for (let u = 0; u < 8; u++) t[x * 8 + u] = (u === 0 ? Math.SQRT1_2 : 1) * Math.cos(((2 * x + 1) * u * Math.PI) / 16) / 2;
  return t;
})();

function render(components: Component[], quant: Int32Array[], width: number, height: number, precision: number, maxH: number, maxV: number): Uint8Array | Uint16Array {
  const maxVal = (1 << precision) - 1;
  const shift = 1 << (precision - 1);
  const planes: Float32Array[] = [];
  const block = new Float64Array(64), tmp = new Float64Array(64);
  for (const c of components) {
    const q = quant[c.tq];
    if (!q) throw new ImagingError('JPEG frame uses a missing quantization table', 'corrupt');
    const w = c.blocksPerLineMcu * 8;
    const h = (c.coefs.length / 64 / c.blocksPerLineMcu) * 8;
    const plane = new Float32Array(w * h);
    const blocksY = h / 8;
    for (let by = 0; by < blocksY; by++) {
      for (let bx = 0; bx < c.blocksPerLineMcu; bx++) {
        const off = (by * c.blocksPerLineMcu + bx) * 64;
        for (let i = 0; i < 64; i++) block[i] = c.coefs[off + i] * q[i];
        for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) {
          let s = 0;
          for (let u = 0; u < 8; u++) s += IDCT[x * 8 + u] * block[y * 8 + u];
          tmp[y * 8 + x] = s;
        }
        for (let x = 0; x < 8; x++) for (let y = 0; y < 8; y++) {
          let s = 0;
          for (let v = 0; v < 8; v++) s += IDCT[y * 8 + v] * tmp[v * 8 + x];
          const val = Math.round(s + shift);
          plane[(by * 8 + y) * w + bx * 8 + x] = val < 0 ? 0 : val > maxVal ? maxVal : val;
        }
      }
    }
    planes.push(plane);
  }
  const n = components.length;
  const out = precision > 8 ? new Uint16Array(width * height * n) : new Uint8Array(width * height * n);
  for (let ci = 0; ci < n; ci++) {
    const c = components[ci];
    const w = c.blocksPerLineMcu * 8;
    const sx = c.h / maxH, sy = c.v / maxV;
    const plane = planes[ci];
    for (let y = 0; y < height; y++) {
      const row = Math.floor(y * sy) * w;
      for (let x = 0; x < width; x++) out[(y * width + x) * n + ci] = plane[row + Math.floor(x * sx)];
    }
  }
  if (n === 3) {
    const mid = shift;
    for (let i = 0; i < out.length; i += 3) {
      const Y = out[i], cb = out[i + 1] - mid, cr = out[i + 2] - mid;
      out[i] = clamp(Y + 1.402 * cr, maxVal);
      out[i + 1] = clamp(Y - 0.344136 * cb - 0.714136 * cr, maxVal);
      out[i + 2] = clamp(Y + 1.772 * cb, maxVal);
    }
  }
  return out;
}

function clamp(v: number, max: number): number {
  return v < 0 ? 0 : v > max ? max : Math.round(v);
}
