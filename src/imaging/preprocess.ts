import type { DecodedImage, InputSpec, VoiWindow } from './types';

/**
 * The pixel pipeline in the standard's order, after the decoder's modality LUT:
 * non-finite cleaning → VOI (window or VOI LUT) → MONOCHROME1 inversion →
 * grey/colour → resize → the card's normalization. Pure functions: the page's
 * worker, the CLI and the training-data dumper all call these same lines.
 */

export interface FrameStats {
  min: number;
  max: number;
  mean: number;
  finite: number;
}

/** Min, max and mean over finite values only. */
export function frameStats(values: ArrayLike<number>): FrameStats {
  let min = Infinity, max = -Infinity, sum = 0, finite = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    finite++;
  }
  if (!finite) return { min: 0, max: 0, mean: 0, finite: 0 };
  return { min, max, mean: sum / finite, finite };
}

/**
 * NaN and -Inf become the finite minimum (background), +Inf the finite maximum,
 * so one bad voxel cannot poison a window or a mean. A frame with no finite
 * value becomes all zeros.
 */
export function cleanNonFinite(values: Float32Array): Float32Array {
  let dirty = false;
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) { dirty = true; break; }
  if (!dirty) return values;
  const { min, max, finite } = frameStats(values);
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = Number.isFinite(v) ? v : !finite ? 0 : v === Infinity ? max : min;
  }
  return out;
}

/** A window covering the finite range; a constant frame gets width 1, not 0. */
export function minMaxWindow(values: ArrayLike<number>): VoiWindow {
  const { min, max } = frameStats(values);
  const width = Math.max(max - min, 1e-6);
  return { center: min + width / 2, width, source: 'minmax' };
}

/**
 * Linear VOI function of DICOM PS3.3 C.11.2.1.2.1, mapped to [0, 1], for
 * windows of width 1 or more. A min-max window is no DICOM window: it maps the
 * range exactly linearly, as does any narrower window (float data such as
 * NIfTI), which keeps its true width instead of being clamped to 1.
 */
export function applyWindow(values: ArrayLike<number>, window: VoiWindow, out = new Float32Array(values.length)): Float32Array {
  const c = window.center;
  const w = window.width;
  if (w >= 1 && window.source !== 'minmax') {
    const lo = c - 0.5 - (w - 1) / 2;
    const hi = c - 0.5 + (w - 1) / 2;
    for (let i = 0; i < values.length; i++) {
      const x = values[i];
      out[i] = x <= lo ? 0 : x > hi ? 1 : (x - (c - 0.5)) / (w - 1) + 0.5;
    }
  } else {
    const lo = c - w / 2;
    const span = Math.max(w, 1e-12);
    for (let i = 0; i < values.length; i++) {
      const v = (values[i] - lo) / span;
      out[i] = v < 0 ? 0 : v > 1 ? 1 : v;
    }
  }
  return out;
}

/** A DICOM VOI LUT (PS3.3 C.11.2): values outside the table clamp to its ends. */
export function applyVoiLut(
  values: ArrayLike<number>,
  lut: { firstMapped: number; bitsPerEntry: number; data: ArrayLike<number> },
  out = new Float32Array(values.length),
): Float32Array {
  let top = 0;
  for (let i = 0; i < lut.data.length; i++) if (lut.data[i] > top) top = lut.data[i];
  const scale = 1 / Math.max(top, (1 << Math.min(lut.bitsPerEntry, 16)) - 1);
  const last = lut.data.length - 1;
  for (let i = 0; i < values.length; i++) {
    let k = Math.round(values[i]) - lut.firstMapped;
    k = k < 0 ? 0 : k > last ? last : k;
    out[i] = lut.data[k] * scale;
  }
  return out;
}

/** ITU-R BT.601 luma, the Y of JPEG's YCbCr, so grey JPEG and RGB agree. */
export function rgbToGrey(rgb: ArrayLike<number>, count: number): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = 0.299 * rgb[i * 3] + 0.587 * rgb[i * 3 + 1] + 0.114 * rgb[i * 3 + 2];
  return out;
}

/** Which window the pipeline uses for a frame when the caller names none. */
export function defaultWindow(image: DecodedImage, frame: Float32Array): VoiWindow {
  return image.windows[0] ?? minMaxWindow(frame);
}

/**
 * Display values in [0, 1] for one frame, one sample per pixel (colour becomes
 * luma after windowing), MONOCHROME1 inverted so bright always means dense.
 */
export function toDisplayGrey(
  image: DecodedImage,
  frameIndex = 0,
  window?: VoiWindow | 'minmax',
): Float32Array {
  const raw = image.frames[frameIndex];
  if (!raw) throw new RangeError(`frame ${frameIndex} of ${image.frames.length}`);
  const clean = cleanNonFinite(raw);
  const count = image.rows * image.columns;
  const grey = image.samplesPerPixel === 3 ? rgbToGrey(clean, count) : clean;
  let display: Float32Array;
  if (window === 'minmax') display = applyWindow(grey, minMaxWindow(grey));
  else if (window) display = applyWindow(grey, window);
  else if (image.voiLut) display = applyVoiLut(grey, image.voiLut);
  else display = applyWindow(grey, defaultWindow(image, grey));
  if (image.photometric === 'MONOCHROME1') for (let i = 0; i < display.length; i++) display[i] = 1 - display[i];
  return display;
}

/** Source rectangle [x0, y0, w, h] that a fit rule takes from a width×height image. */
export function fitRect(width: number, height: number, outW: number, outH: number, fit: InputSpec['fit']): [number, number, number, number] {
  if (fit === 'stretch') return [0, 0, width, height];
  const scale = Math.max(outW / width, outH / height);
  const w = outW / scale, h = outH / scale;
  return [(width - w) / 2, (height - h) / 2, w, h];
}

/**
 * Box-filter resampling: each output pixel is the exact area-weighted mean of
 * the source pixels it covers (fractional edges included). Anti-aliased for
 * downsampling, equal to nearest-neighbour replication when upsampling by whole
 * factors. `rect` is the source region in pixels.
 */
export function resizeArea(
  src: ArrayLike<number>,
  width: number,
  height: number,
  outW: number,
  outH: number,
  rect: [number, number, number, number] = [0, 0, width, height],
): Float32Array {
  const [x0, y0, rw, rh] = rect;
  const sx = rw / outW, sy = rh / outH;
  const xw = axisWeights(x0, sx, outW, width);
  const yw = axisWeights(y0, sy, outH, height);
  // Separable: rows first into a temporary outW × height buffer.
  const tmp = new Float32Array(outW * height);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let ox = 0; ox < outW; ox++) {
      const { start, weights, total } = xw[ox];
      let acc = 0;
      for (let k = 0; k < weights.length; k++) acc += src[row + start + k] * weights[k];
      tmp[y * outW + ox] = acc / total;
    }
  }
  const out = new Float32Array(outW * outH);
  for (let oy = 0; oy < outH; oy++) {
    const { start, weights, total } = yw[oy];
    for (let ox = 0; ox < outW; ox++) {
      let acc = 0;
      for (let k = 0; k < weights.length; k++) acc += tmp[(start + k) * outW + ox] * weights[k];
      out[oy * outW + ox] = acc / total;
    }
  }
  return out;
}

interface AxisWeight { start: number; weights: Float64Array; total: number }

function axisWeights(origin: number, step: number, outN: number, srcN: number): AxisWeight[] {
  const result: AxisWeight[] = [];
  for (let o = 0; o < outN; o++) {
    const a = origin + o * step;
    const b = a + step;
    const start = Math.max(0, Math.floor(a));
    const end = Math.min(srcN, Math.ceil(b));
    const weights = new Float64Array(Math.max(1, end - start));
    let total = 0;
    for (let i = start; i < end; i++) {
      const w = Math.min(b, i + 1) - Math.max(a, i);
      weights[i - start] = w > 0 ? w : 0;
      total += weights[i - start];
    }
    if (total <= 0) { weights[0] = 1; total = 1; }
    result.push({ start: Math.min(start, srcN - 1), weights, total });
  }
  return result;
}

/** Bilinear resampling with half-pixel centres (the convention of tf.image.resizeBilinear with halfPixelCenters). */
export function resizeBilinear(
  src: ArrayLike<number>,
  width: number,
  height: number,
  outW: number,
  outH: number,
  rect: [number, number, number, number] = [0, 0, width, height],
): Float32Array {
  const [x0, y0, rw, rh] = rect;
  const out = new Float32Array(outW * outH);
  for (let oy = 0; oy < outH; oy++) {
    const fy = Math.min(Math.max(y0 + (oy + 0.5) * (rh / outH) - 0.5, 0), height - 1);
    const y1 = Math.floor(fy), y2 = Math.min(y1 + 1, height - 1), ty = fy - y1;
    for (let ox = 0; ox < outW; ox++) {
      const fx = Math.min(Math.max(x0 + (ox + 0.5) * (rw / outW) - 0.5, 0), width - 1);
      const x1 = Math.floor(fx), x2 = Math.min(x1 + 1, width - 1), tx = fx - x1;
      const top = src[y1 * width + x1] * (1 - tx) + src[y1 * width + x2] * tx;
      const bottom = src[y2 * width + x1] * (1 - tx) + src[y2 * width + x2] * tx;
      out[oy * outW + ox] = top * (1 - ty) + bottom * ty;
    }
  }
  return out;
}

/** The card's normalization, in place. A constant image becomes all zeros. */
export function normalize(values: Float32Array, spec: InputSpec['normalization'], channels = 1): Float32Array {
  if (spec.kind === 'unit') return values;
  if (spec.kind === 'fixed') {
    for (let i = 0; i < values.length; i++) {
      const c = i % channels;
      values[i] = (values[i] - spec.mean[c]) / spec.std[c];
    }
    return values;
  }
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  const mean = sum / values.length;
  let sq = 0;
  for (let i = 0; i < values.length; i++) sq += (values[i] - mean) ** 2;
  const std = Math.sqrt(sq / values.length);
  const inv = std > 1e-6 ? 1 / std : 0;
  for (let i = 0; i < values.length; i++) values[i] = (values[i] - mean) * inv;
  return values;
}

/** The display-space [0, 1] grey image at model resolution, before normalization. */
export function resizeForModel(display: Float32Array, width: number, height: number, spec: InputSpec): Float32Array {
  const [outH, outW] = spec.size;
  const rect = fitRect(width, height, outW, outH, spec.fit);
  return spec.interpolation === 'area'
    ? resizeArea(display, width, height, outW, outH, rect)
    : resizeBilinear(display, width, height, outW, outH, rect);
}

/** The window a card asks for, resolved against one frame. */
export function cardWindow(image: DecodedImage, spec: InputSpec): VoiWindow | 'minmax' | undefined {
  if (spec.window.kind === 'window') return { center: spec.window.center, width: spec.window.width, source: 'card' };
  if (spec.window.kind === 'minmax') return 'minmax';
  return undefined;
}

/**
 * Model input for one frame, laid out HWC (channels repeated when the model
 * wants 3): the single function both the page and the CLI call.
 */
export function prepareModelInput(image: DecodedImage, frameIndex: number, spec: InputSpec): Float32Array {
  return modelInputFromDisplay(displayAtModelResolution(image, frameIndex, spec), spec);
}

/** The display values (0…1) at the model's resolution: prepareModelInput before normalization. */
export function displayAtModelResolution(image: DecodedImage, frameIndex: number, spec: InputSpec): Float32Array {
  return resizeForModel(toDisplayGrey(image, frameIndex, cardWindow(image, spec)), image.columns, image.rows, spec);
}

/** The rest of prepareModelInput: normalization (in place) and channels. */
export function modelInputFromDisplay(resized: Float32Array, spec: InputSpec): Float32Array {
  const normalized = normalize(resized, spec.normalization, 1);
  if (spec.channels === 1) return normalized;
  const out = new Float32Array(normalized.length * 3);
  for (let i = 0; i < normalized.length; i++) out[i * 3] = out[i * 3 + 1] = out[i * 3 + 2] = normalized[i];
  return out;
}
