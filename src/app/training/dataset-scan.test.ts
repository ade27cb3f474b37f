import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeFile } from '../../imaging/decode';
import { makeThumbnail } from '../worker/thumbnail';
import { sharedDataDir } from '../../config';
import { requireSharedData } from '../../test-data';
import { DatasetScanner, type ScanFile } from './dataset-scan';

function classFolderFiles(root: string, perClass: number): ScanFile[] {
  const out: ScanFile[] = [];
  for (const label of ['COVID', 'NonCOVID']) {
    for (const name of readdirSync(join(root, label)).sort().slice(0, perClass)) {
      const full = join(root, label, name);
      out.push({ path: `${label}/${name}`, stamp: 'x', read: async () => new Uint8Array(readFileSync(full)) });
    }
  }
  return out;
}

describe('DatasetScanner on COVID-CT', () => {
  it('labels by folder, groups preprint figures into patients, splits and warns', async () => {
    requireSharedData();
    const root = join(sharedDataDir(), 'ct/covid-ct/train');
    const files = classFolderFiles(root, 12);
    let reads = 0;
    const counted = files.map((f) => ({ ...f, read: () => (reads++, f.read()) }));
    const scanner = new DatasetScanner({ decode: decodeFile, thumbnail: (img) => makeThumbnail(img, 0, 64) });
    const summary = await scanner.scan({ files: counted, ratios: { train: 0.6, val: 0.2, test: 0.2 }, seed: 42 });
    expect(summary.labels).toEqual(['COVID', 'NonCOVID']);
    expect(summary.positiveLabel).toBe('COVID');
    expect(summary.counts).toEqual({ COVID: 12, NonCOVID: 12 });
    expect(summary.errors).toEqual([]);
    expect(summary.thumbnails.COVID.length).toBe(6);
    expect(summary.patientSources['covid-ct-preprint']).toBeGreaterThan(0);
    expect(summary.patients).toBeLessThan(24);
    expect(summary.warnings.map((w) => w.code)).toContain('too-few');
    const total = Object.values(summary.splitCounts).flatMap((s) => Object.values(s)).reduce((a, b) => a + b, 0);
    expect(total).toBe(24);

    // A new pattern reuses what was read: no file is read again.
    const before = reads;
    const again = await scanner.scan({ files: counted, patientPattern: '^(.{6})', ratios: { train: 0.6, val: 0.2, test: 0.2 }, seed: 42 });
    expect(reads).toBe(before);
    expect(again.patientSources.user).toBe(24);
    const bad = await scanner.scan({ files: counted, patientPattern: '^.{6}', ratios: { train: 0.6, val: 0.2, test: 0.2 }, seed: 42 });
    expect(bad.patternError).toMatch(/capture group/);
  });
});
