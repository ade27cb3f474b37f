import { encode } from 'fast-png';
import { seededRandom } from '../random';
import type { TrainingFile } from './read-dataset';

/**
 * Small synthetic PNG datasets: class POSITIVE images have a bright blob in
 * the upper left, NEGATIVE ones in the lower right, plus noise. Each patient
 * gives `perPatient` images named like `pt12-001.png` (grouped by the default
 * "stem-number" patient rule).
 */
export function syntheticPng(size: number, positive: boolean, random: () => number): Uint8Array {
  const data = new Uint8Array(size * size);
  const cx = positive ? size * 0.3 : size * 0.7, cy = positive ? size * 0.3 : size * 0.7;
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const blob = Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * (size / 8) ** 2));
      data[y * size + x] = Math.max(0, Math.min(255, Math.round(40 + 180 * blob + random() * 40)));
    }
  return encode({ width: size, height: size, data, channels: 1, depth: 8 });
}

export function syntheticDataset(patientsPerClass = 12, perPatient = 2, size = 24, seed = 3): Map<string, Uint8Array> {
  const random = seededRandom(seed);
  const files = new Map<string, Uint8Array>();
  for (const [label, positive] of [['NEGATIVE', false], ['POSITIVE', true]] as const)
    for (let p = 0; p < patientsPerClass; p++)
      for (let k = 0; k < perPatient; k++)
        files.set(`${label}/pt${positive ? 100 + p : p}-${String(k).padStart(3, '0')}.png`, syntheticPng(size, positive, random));
  return files;
}

export function asTrainingFiles(files: Map<string, Uint8Array>): TrainingFile[] {
  return [...files].map(([file, bytes]) => ({ file, read: async () => bytes }));
}
