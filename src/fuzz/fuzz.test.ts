import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../config';
import { decodeWithTimeLimit } from '../imaging/time-limit';
import { ImagingError } from '../imaging/types';
import { FUZZ_KINDS, makeFuzzCases, type FuzzCase } from './cases';

/**
 * Damaged files through the decoders and through the `classify` CLI: every
 * file ends with an image or a clear error, nothing escapes, no file takes
 * longer than the per-file limit, memory stays bounded. CI runs FUZZ_COUNT
 * (default 120) files; `npm run fuzz` runs the full 1,200.
 */
const COUNT = Number(process.env.FUZZ_COUNT || 120);
/** The full set takes minutes; CI's smaller one well under two. */
const TEST_TIMEOUT_MS = Math.max(120_000, COUNT * 1_500);
const PER_FILE_LIMIT_MS = 20_000;
const TSX = join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');
const run = promisify(execFile);

let cases: FuzzCase[];
let dir: string;

beforeAll(() => {
  cases = makeFuzzCases(COUNT);
  dir = mkdtempSync(join(tmpdir(), 'radlens-fuzz-'));
  for (const c of cases) writeFileSync(join(dir, c.name), c.bytes);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Clear: an ImagingError (it has a kind and names the file), or any error whose message names the file. */
function clear(e: unknown, name: string): boolean {
  return e instanceof ImagingError || (e instanceof Error && e.message.includes(name));
}

describe(`fuzz: ${COUNT} damaged files (fixed seed)`, () => {
  it('are made the same way every time, of every kind', () => {
    const again = makeFuzzCases(Math.min(COUNT, 40));
    expect(again.map((c) => [c.name, c.bytes.length])).toEqual(cases.slice(0, again.length).map((c) => [c.name, c.bytes.length]));
    expect(new Set(cases.map((c) => c.kind))).toEqual(new Set(FUZZ_KINDS));
  });

  it('decode to an image or a clear error, each within the per-file limit, with bounded memory', async () => {
    const tally: Record<string, { ok: number; error: number }> = {};
    const unclear: string[] = [];
    const slow: string[] = [];
    let peakRss = 0;
    for (const c of cases) {
      const t0 = performance.now();
      const row = (tally[c.kind] ??= { ok: 0, error: 0 });
      try {
        await decodeWithTimeLimit(c.name, c.bytes, PER_FILE_LIMIT_MS);
        row.ok++;
      } catch (e) {
        row.error++;
        if (!clear(e, c.name)) unclear.push(`${c.name}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
      }
      const ms = performance.now() - t0;
      if (ms > PER_FILE_LIMIT_MS) slow.push(`${c.name}: ${Math.round(ms)} ms`);
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }
    console.info(`fuzz decode tally (${COUNT} files): ${JSON.stringify(tally)}; peak RSS ${Math.round(peakRss / 2 ** 20)} MB`);
    expect(unclear).toEqual([]);
    expect(slow).toEqual([]);
    expect(peakRss).toBeLessThan(4 * 2 ** 30);
  }, TEST_TIMEOUT_MS);

  it('through the classify CLI: exit 0, one line per input file (a series line names its files), no crash', async () => {
    const { stdout } = await run(TSX, [join(PROJECT_ROOT, 'src', 'cli', 'classify.ts'), dir, '--backend', 'wasm'], {
      cwd: PROJECT_ROOT,
      maxBuffer: 256 * 2 ** 20,
      timeout: TEST_TIMEOUT_MS,
    });
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as { file: string; files?: string[]; error?: string; series?: { files: number }; label?: string | null });
    const covered = new Set<string>();
    let seriesFiles = 0;
    for (const l of lines) {
      if (l.files) l.files.forEach((f) => covered.add(f));
      else if (l.series) seriesFiles += l.series.files; // until every series line carries `files` (issue 10)
      else covered.add(l.file);
      if (l.error !== undefined) expect(typeof l.error).toBe('string');
      else expect(l.label === null || typeof l.label === 'string').toBe(true);
    }
    expect(covered.size + seriesFiles).toBe(cases.length);
    const errors = lines.filter((l) => l.error !== undefined).length;
    console.info(`fuzz CLI: ${lines.length} lines for ${cases.length} files, ${errors} errors, ${lines.length - errors} results`);
  }, TEST_TIMEOUT_MS);
});
