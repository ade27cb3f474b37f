import { encode as encodePng } from 'fast-png';
import jpeg from 'jpeg-js';
import { seededRandom } from '../ml';

/**
 * Seeded synthetic negatives for the out-of-distribution check: things a user
 * might drop on the page by mistake. Each comes back as encoded PNG/JPEG bytes
 * so it takes the same decode path as a real file.
 */

export interface SyntheticFile {
  file: string;
  bytes: Uint8Array;
}

type Rgb = [number, number, number];

class Canvas {
  readonly px: Uint8ClampedArray;
  constructor(readonly width: number, readonly height: number) {
    this.px = new Uint8ClampedArray(width * height * 3);
  }
  set(x: number, y: number, c: Rgb): void {
    const i = (y * this.width + x) * 3;
    this.px[i] = c[0];
    this.px[i + 1] = c[1];
    this.px[i + 2] = c[2];
  }
  rect(x0: number, y0: number, w: number, h: number, c: Rgb): void {
    const x1 = Math.min(this.width, Math.round(x0 + w)), y1 = Math.min(this.height, Math.round(y0 + h));
    for (let y = Math.max(0, Math.round(y0)); y < y1; y++) for (let x = Math.max(0, Math.round(x0)); x < x1; x++) this.set(x, y, c);
  }
  png(grey = false): Uint8Array {
    if (!grey) return encodePng({ width: this.width, height: this.height, data: this.px, channels: 3, depth: 8 });
    const g = new Uint8ClampedArray(this.width * this.height);
    for (let i = 0; i < g.length; i++) g[i] = 0.299 * this.px[i * 3] + 0.587 * this.px[i * 3 + 1] + 0.114 * this.px[i * 3 + 2];
    return encodePng({ width: this.width, height: this.height, data: g, channels: 1, depth: 8 });
  }
  jpeg(quality: number, grey = false): Uint8Array {
    const rgba = new Uint8Array(this.width * this.height * 4);
    for (let i = 0; i < this.width * this.height; i++) {
      const luma = 0.299 * this.px[i * 3] + 0.587 * this.px[i * 3 + 1] + 0.114 * this.px[i * 3 + 2];
      for (let c = 0; c < 3; c++) rgba[i * 4 + c] = grey ? luma : this.px[i * 3 + c];
      rgba[i * 4 + 3] = 255;
    }
    return new Uint8Array(jpeg.encode({ width: this.width, height: this.height, data: rgba }, quality).data);
  }
}

const PHOTO_SIZES: [number, number][] = [[640, 480], [800, 600], [512, 512], [480, 640], [1024, 768]];
const SCREEN_SIZES: [number, number][] = [[1280, 800], [1366, 768], [1024, 768], [800, 600], [1440, 900]];

/** A landscape-like photo: sky gradient, textured ground, a few shaded objects, sensor noise. */
function photo(random: () => number, w: number, h: number): Canvas {
  const c = new Canvas(w, h);
  const hue = (): Rgb => [random() * 255, random() * 255, random() * 255];
  const skyTop = hue(), skyLow = hue(), ground = hue();
  const horizon = h * (0.3 + random() * 0.4);
  const waves = Array.from({ length: 4 }, () => ({ fx: random() * 0.05, fy: random() * 0.05, phase: random() * 6.3, amp: 10 + random() * 30 }));
  const objects = Array.from({ length: 2 + Math.floor(random() * 5) }, () => ({
    x: random() * w, y: horizon + (random() - 0.3) * h * 0.5, rx: 20 + random() * w * 0.15, ry: 20 + random() * h * 0.2, colour: hue(),
  }));
  const noise = () => (random() + random() + random() - 1.5) * 10;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let col: Rgb;
      if (y < horizon) {
        const t = y / horizon;
        col = [0, 1, 2].map((k) => skyTop[k] * (1 - t) + skyLow[k] * t) as Rgb;
      } else {
        const tex = waves.reduce((s, v) => s + v.amp * Math.sin(v.fx * x + v.fy * y + v.phase), 0);
        col = ground.map((g) => g * (0.6 + 0.4 * (y / h)) + tex) as Rgb;
      }
      for (const o of objects) {
        const r = ((x - o.x) / o.rx) ** 2 + ((y - o.y) / o.ry) ** 2;
        if (r < 1) col = o.colour.map((v) => v * (1 - 0.4 * r)) as Rgb;
      }
      c.set(x, y, col.map((v) => v + noise()) as Rgb);
    }
  }
  return c;
}

/** Text-like strokes: words of thin vertical bars on a baseline, in lines. */
function textBlock(c: Canvas, random: () => number, x0: number, y0: number, w: number, h: number, ink: Rgb): void {
  const size = 7 + Math.floor(random() * 6);
  for (let y = y0 + 4; y + size < y0 + h; y += size + 6) {
    let x = x0 + 4;
    const end = x0 + w * (0.5 + random() * 0.5) - 4;
    while (x < end) {
      const word = 3 + Math.floor(random() * 8);
      for (let k = 0; k < word && x < end; k++) {
        const tall = random() < 0.3 ? size : Math.ceil(size * 0.6);
        c.rect(x, y + size - tall, 1 + Math.floor(random() * 2), tall, ink);
        if (random() < 0.5) c.rect(x, y + size - 1, 3 + Math.floor(random() * 3), 1, ink);
        x += 4 + Math.floor(random() * 3);
      }
      x += 6 + Math.floor(random() * 6);
    }
  }
}

/** A UI screenshot: flat panels, bars, buttons with an accent colour, and text. */
function screenshot(random: () => number, w: number, h: number): Canvas {
  const c = new Canvas(w, h);
  const dark = random() < 0.3;
  const grey = (v: number): Rgb => [v, v, v];
  const bg = dark ? grey(30 + random() * 20) : grey(235 + random() * 20);
  const panel = dark ? grey(50 + random() * 20) : grey(210 + random() * 30);
  const ink = dark ? grey(200 + random() * 55) : grey(random() * 60);
  const accent: Rgb = [random() * 80, 80 + random() * 100, 180 + random() * 75];
  c.rect(0, 0, w, h, bg);
  const bar = 30 + random() * 40;
  c.rect(0, 0, w, bar, random() < 0.5 ? panel : accent);
  textBlock(c, random, 10, 4, w * 0.4, bar - 4, ink);
  const side = random() < 0.7 ? 150 + random() * 150 : 0;
  if (side) {
    c.rect(0, bar, side, h - bar, panel);
    textBlock(c, random, 8, bar + 10, side - 16, h - bar - 20, ink);
  }
  const cards = 1 + Math.floor(random() * 5);
  for (let k = 0; k < cards; k++) {
    const x = side + 20 + random() * (w - side - 260), y = bar + 20 + random() * (h - bar - 220);
    const cw = 200 + random() * (w - side - x - 20), ch = 120 + random() * (h - y - 20);
    c.rect(x - 1, y - 1, cw + 2, ch + 2, panel);
    c.rect(x, y, cw, ch, bg);
    textBlock(c, random, x + 8, y + 8, cw - 16, ch - 48, ink);
    c.rect(x + 8, y + ch - 36, 80 + random() * 40, 26, accent);
  }
  return c;
}

function constant(random: () => number, w: number, h: number): Canvas {
  const c = new Canvas(w, h);
  const v = Math.floor(random() * 256);
  c.rect(0, 0, w, h, [v, v, v]);
  return c;
}

/** Uniform, Gaussian, salt-and-pepper or smooth (cloud-like) grey noise. */
function noise(random: () => number, w: number, h: number, kind: number): Canvas {
  const c = new Canvas(w, h);
  const blobs = Array.from({ length: 12 }, () => ({ fx: random() * 0.04, fy: random() * 0.04, p: random() * 6.3 }));
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let v: number;
      if (kind === 0) v = random() * 255;
      else if (kind === 1) v = 128 + (random() + random() + random() + random() - 2) * 70;
      else if (kind === 2) v = random() < 0.5 ? 0 : 255;
      else v = 128 + blobs.reduce((s, b) => s + 14 * Math.sin(b.fx * x + b.fy * y + b.p), 0) + (random() - 0.5) * 20;
      c.set(x, y, [v, v, v]);
    }
  return c;
}

/** The synthetic sets, by name; the same files on every run (fixed seeds). */
export function syntheticSets(perSet = 20): Record<string, SyntheticFile[]> {
  const random = seededRandom(20240607);
  const sets: Record<string, SyntheticFile[]> = { 'synthetic-photo': [], 'synthetic-grey-photo': [], 'synthetic-screenshot': [], 'synthetic-constant': [], 'synthetic-noise': [] };
  for (let k = 0; k < perSet; k++) {
    const [pw, ph] = PHOTO_SIZES[k % PHOTO_SIZES.length];
    sets['synthetic-photo'].push({ file: `synthetic/photo-${k}.jpg`, bytes: photo(random, pw, ph).jpeg(85) });
    sets['synthetic-grey-photo'].push({ file: `synthetic/grey-photo-${k}.jpg`, bytes: photo(random, pw, ph).jpeg(85, true) });
    const [sw, sh] = SCREEN_SIZES[k % SCREEN_SIZES.length];
    sets['synthetic-screenshot'].push({ file: `synthetic/screenshot-${k}.png`, bytes: screenshot(random, sw, sh).png(k % 2 === 1) });
    sets['synthetic-constant'].push({ file: `synthetic/constant-${k}.png`, bytes: constant(random, 128 + 64 * (k % 4), 128 + 64 * (k % 3)).png(true) });
    sets['synthetic-noise'].push({ file: `synthetic/noise-${k}.png`, bytes: noise(random, 256, 256, k % 4).png(true) });
  }
  return sets;
}
