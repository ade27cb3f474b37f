import { readFile, readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/**
 * Shared helpers for the Node command-line entry points. The contract: stdout
 * carries only JSON; diagnostics go to stderr; a whole-job failure prints
 * {"error": ...} on stdout and exits non-zero.
 */

/** Prints one pretty JSON object (a command's single result). */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, jsonReplacer, 2) + '\n');
}

/** Prints one compact JSON object on its own line (one line per batch item). */
export function printJsonLine(value: unknown): void {
  process.stdout.write(JSON.stringify(value, jsonReplacer) + '\n');
}

/** Diagnostics for people: stderr only, so stdout stays parseable. */
export function logInfo(message: string): void {
  process.stderr.write(message + '\n');
}

/** Ends the whole command: {"error": message} on stdout, exit code 1. */
export function fail(message: string, exitCode = 1): never {
  process.stdout.write(JSON.stringify({ error: message }) + '\n');
  process.exit(exitCode);
}

/** The message of anything thrown, without a stack. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}

/**
 * Runs a command's main function and turns an escaped error into the
 * contract's {"error"} output, after awaiting stdout so nothing is cut off.
 */
export async function runCli(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (err) {
    fail(errorMessage(err));
  }
}

/** Reads a whole file as bytes (a plain Uint8Array, not a Node Buffer view). */
export async function readFileBytes(path: string): Promise<Uint8Array> {
  const buf = await readFile(path);
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/**
 * Expands files and folders into a sorted list of files. Folders are walked
 * recursively; hidden entries (names starting with '.') are skipped. A path
 * that does not exist throws, naming it.
 */
export async function listInputFiles(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    const abs = resolve(p);
    let info;
    try {
      info = await stat(abs);
    } catch {
      throw new Error(`No such file or folder: ${p}`);
    }
    if (info.isDirectory()) out.push(...(await walk(p)));
    else out.push(p);
  }
  return out;
}

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const full = join(dir, e.name);
    // Follow symbolic links: clinics often link image folders into a working tree.
    const kind = e.isSymbolicLink() ? await stat(full).catch(() => null) : e;
    if (!kind) continue;
    if (kind.isDirectory()) files.push(...(await walk(full)));
    else if (kind.isFile()) files.push(full);
  }
  return files;
}

/** Minimal flag parser: --name value, --flag (boolean), and positional args. */
export function parseArgs(argv: string[]): { positional: string[]; flags: Record<string, string | true> } {
  const positional: string[] = [];
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') continue;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) {
        flags[a.slice(2, eq)] = a.slice(eq + 1);
      } else {
        const next = argv[i + 1];
        if (next !== undefined && !next.startsWith('--')) {
          flags[a.slice(2)] = next;
          i++;
        } else flags[a.slice(2)] = true;
      }
    } else positional.push(a);
  }
  return { positional, flags };
}

/** JSON cannot hold NaN/Infinity; write them as null rather than crash or lie. */
function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  return value;
}
