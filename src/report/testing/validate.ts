import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../config';

/**
 * Independent checks of the DICOM we write: Debian's dicom3tools (dciodvfy)
 * for the IOD, and pydicom (Debian's /usr/bin/python3) reading it back. A
 * missing tool fails the test: .ci/run installs both.
 */

export const SYSTEM_PYTHON = '/usr/bin/python3';

export interface IodReport {
  errors: string[];
  warnings: string[];
  output: string;
}

export function dciodvfy(path: string): IodReport {
  const run = spawnSync('dciodvfy', [path], { encoding: 'utf8' });
  if (run.error) throw new Error(`dciodvfy (Debian package dicom3tools) is needed to check the SR: ${run.error.message}`);
  const output = `${run.stdout}${run.stderr}`;
  const lines = output.split('\n').map((l) => l.trim()).filter(Boolean);
  return { errors: lines.filter((l) => l.startsWith('Error')), warnings: lines.filter((l) => l.startsWith('Warning')), output };
}

export interface ContentNode {
  relationship: string | null;
  type: string;
  name: { value: string; scheme: string; meaning: string } | null;
  value?: unknown;
  unit?: { value: string; scheme: string; meaning: string };
  children?: ContentNode[];
}

export interface ReadBack {
  file: string;
  transferSyntax: string;
  attributes: Record<string, string | string[] | null>;
  root: { value: string; scheme: string; meaning: string };
  template: string | null;
  evidence: { study: string; series: string; sopClass: string; sopInstance: string }[];
  content: ContentNode[];
}

export function pydicomReadBack(paths: string[]): ReadBack[] {
  if (!existsSync(SYSTEM_PYTHON)) throw new Error(`${SYSTEM_PYTHON} with python3-pydicom is needed to read the SR back`);
  const out = execFileSync(SYSTEM_PYTHON, [join(PROJECT_ROOT, 'scripts', 'sr_readback.py'), ...paths], { encoding: 'utf8' });
  return out.trim().split('\n').map((l) => JSON.parse(l) as ReadBack);
}

/** Every content item, depth first. */
export function flatten(nodes: ContentNode[]): ContentNode[] {
  return nodes.flatMap((n) => [n, ...flatten(n.children ?? [])]);
}

export function findByMeaning(nodes: ContentNode[], meaning: string | RegExp): ContentNode[] {
  return flatten(nodes).filter((n) => n.name && (typeof meaning === 'string' ? n.name.meaning === meaning : meaning.test(n.name.meaning)));
}
