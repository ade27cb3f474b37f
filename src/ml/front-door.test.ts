import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../config';

/**
 * src/ml has one front door, src/ml/index.ts: the page, the CLI, the bench and
 * the e2e specs import nothing deeper. Tests may also use the test fixtures
 * (src/ml/testing/, *.fixture). training/ is left out on purpose: its scripts
 * build the shipped artefacts (the texture trunk's files, parity inputs) from
 * internals that are no part of the public surface.
 */

const SCANNED = ['src/app', 'src/cli', 'src/report', 'bench', 'e2e'];
const SOURCE = /\.(ts|tsx|mts|mjs)$/;
// Static `import … from`, `export … from`, bare `import '…'` and dynamic `import('…')`.
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : sourceFiles(path);
    return SOURCE.test(e.name) ? [path] : [];
  });
}

/** Every import of src/ml outside it, as [importing file, imported module], both relative to the project root. */
function mlImports(root = PROJECT_ROOT): [string, string][] {
  const ml = resolve(root, 'src/ml');
  const out: [string, string][] = [];
  for (const file of SCANNED.flatMap((d) => sourceFiles(resolve(root, d)))) {
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(SPECIFIER)) {
      if (!spec.startsWith('.')) continue;
      const target = resolve(dirname(file), spec).replace(/\.(ts|tsx|js)$/, '').replace(/\/index$/, '');
      if (target === ml || target.startsWith(ml + '/')) out.push([relative(root, file), relative(root, target)]);
    }
  }
  return out;
}

const allowed = (file: string, target: string) =>
  target === 'src/ml' || (/\.test\.tsx?$/.test(file) && (target.startsWith('src/ml/testing/') || target.endsWith('.fixture')));

describe('src/ml front door', () => {
  it('finds the imports it checks (the scan itself works)', () => {
    const targets = new Set(mlImports().map(([, t]) => t));
    expect(targets.has('src/ml')).toBe(true);
  });

  it('is the only way in: no file outside src/ml imports a module below it', () => {
    const leaks = mlImports().filter(([file, target]) => !allowed(file, target)).map(([file, target]) => `${file} → ${target}`);
    expect(leaks).toEqual([]);
  });
});
