/**
 * Names where a heatmap's weight lies, in the radiologist's words: lung zones
 * by image thirds (upper, middle, lower) and sides. On a PA or AP film the
 * patient faces the viewer, so the image's left half is the patient's right.
 */

export type Side = 'right' | 'left';
export type Zone = 'upper' | 'middle' | 'lower';

const ZONES: Zone[] = ['upper', 'middle', 'lower'];

/** Weight per zone: rows are upper/middle/lower, columns patient right (image left) then left. */
export function zoneWeights(values: ArrayLike<number>, width: number, height: number, floor = 0.5): number[][] {
  const w = [
    [0, 0],
    [0, 0],
    [0, 0],
  ];
  let top = 0;
  for (let i = 0; i < values.length; i++) if (values[i] > top) top = values[i];
  if (top <= 0) return w;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const v = values[y * width + x];
      // Only the hot part of the map counts, so a faint wash does not move the answer.
      if (v < floor * top) continue;
      const row = Math.min(2, Math.floor(((y + 0.5) * 3) / height));
      const side = (x + 0.5) * 2 < width ? 0 : 1;
      w[row][side] += v;
    }
  return w;
}

/**
 * "right lower zone"; "both lower zones" when the mirror zone is nearly as
 * hot; "no focal region" for an empty map.
 */
export function regionName(values: ArrayLike<number>, width: number, height: number): string {
  const w = zoneWeights(values, width, height);
  let best = -1, row = 0, side = 0;
  for (let r = 0; r < 3; r++)
    for (let s = 0; s < 2; s++)
      if (w[r][s] > best) {
        best = w[r][s];
        row = r;
        side = s;
      }
  if (best <= 0) return 'no focal region';
  if (w[row][1 - side] >= 0.8 * best) return `both ${ZONES[row]} zones`;
  return `${side === 0 ? 'right' : 'left'} ${ZONES[row]} zone`;
}
