import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../config';
import { requireSharedData } from '../test-data';

/**
 * The bundled model on real films: the only test that needs public/models/cxr-pneumonia
 * (trained by training/) and the shared Kermany images. Missing either is a failure.
 */
const run = promisify(execFile);
const TSX = join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');
const MODEL = join(PROJECT_ROOT, 'public', 'models', 'cxr-pneumonia');

function firstFiles(dir: string, n: number): string[] {
  return readdirSync(dir).filter((f) => !f.startsWith('.')).sort().slice(0, n).map((f) => join(dir, f));
}

describe('classify with the bundled cxr-pneumonia model on Kermany films', () => {
  it('accepts the films as in-distribution and ranks pneumonia above normal', async () => {
    if (!existsSync(join(MODEL, 'card.json'))) throw new Error(`the bundled model is missing: ${MODEL}/card.json (run npm run train:reference)`);
    const normal = firstFiles(requireSharedData('xray', 'kermany224', 'train', 'NORMAL'), 1);
    const pneumonia = firstFiles(requireSharedData('xray', 'kermany224', 'train', 'PNEUMONIA'), 2);
    const { stdout } = await run(TSX, [join(PROJECT_ROOT, 'src', 'cli', 'classify.ts'), ...normal, ...pneumonia, '--backend', 'wasm'], { cwd: PROJECT_ROOT });
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    for (const l of lines) {
      expect(l.error).toBeUndefined();
      expect(l.model).toMatch(/^cxr-pneumonia@/);
      expect(l.ood).toBe(false);
      expect(['NORMAL', 'PNEUMONIA']).toContain(l.label);
      expect(l.probability).toBe(l.scores[l.label]);
    }
    const byFile = new Map(lines.map((l) => [l.file, l.scores.PNEUMONIA as number]));
    for (const p of pneumonia) expect(byFile.get(p)!).toBeGreaterThan(byFile.get(normal[0])!);
  });
});
