/**
 * Viridis (perceptually uniform, readable with the common colour-vision
 * deficiencies and in greyscale print), as ten stops interpolated linearly.
 */
const VIRIDIS_STOPS: [number, number, number][] = [
  [68, 1, 84], [72, 40, 120], [62, 73, 137], [49, 104, 142], [38, 130, 142],
  [31, 158, 137], [53, 183, 121], [110, 206, 88], [181, 222, 43], [253, 231, 37],
];

export function viridis(t: number): [number, number, number] {
  const x = Math.min(Math.max(Number.isFinite(t) ? t : 0, 0), 1) * (VIRIDIS_STOPS.length - 1);
  const i = Math.min(Math.floor(x), VIRIDIS_STOPS.length - 2);
  const f = x - i;
  const a = VIRIDIS_STOPS[i], b = VIRIDIS_STOPS[i + 1];
  return [0, 1, 2].map((k) => Math.round(a[k] + (b[k] - a[k]) * f)) as [number, number, number];
}

/** CSS gradient for the legend bar. */
export function viridisGradient(): string {
  return `linear-gradient(to right, ${VIRIDIS_STOPS.map((c, i) => `rgb(${c.join(' ')}) ${(i / (VIRIDIS_STOPS.length - 1)) * 100}%`).join(', ')})`;
}

/**
 * Blends a heatmap over a grey image, both at the same size: alpha follows the
 * heat value so cold areas show the anatomy unchanged.
 */
export function blendHeatmap(grey: Float32Array, heat: Float32Array, opacity: number): Uint8ClampedArray<ArrayBuffer> {
  const out = new Uint8ClampedArray(grey.length * 4);
  for (let i = 0; i < grey.length; i++) {
    const g = Math.round(Math.min(Math.max(grey[i], 0), 1) * 255);
    const h = Math.min(Math.max(heat[i] ?? 0, 0), 1);
    const [r, gg, b] = viridis(h);
    const a = opacity * (0.25 + 0.75 * h);
    out[i * 4] = g * (1 - a) + r * a;
    out[i * 4 + 1] = g * (1 - a) + gg * a;
    out[i * 4 + 2] = g * (1 - a) + b * a;
    out[i * 4 + 3] = 255;
  }
  return out;
}

/** Nearest-neighbour resize of a heatmap to the base image's size. */
export function resizeNearest(values: Float32Array, w: number, h: number, outW: number, outH: number): Float32Array {
  if (w === outW && h === outH) return values;
  const out = new Float32Array(outW * outH);
  for (let y = 0; y < outH; y++) {
    const sy = Math.min(h - 1, Math.floor(((y + 0.5) * h) / outH));
    for (let x = 0; x < outW; x++) out[y * outW + x] = values[sy * w + Math.min(w - 1, Math.floor(((x + 0.5) * w) / outW))];
  }
  return out;
}
