import { zipSync, unzipSync } from 'fflate';
import { memoryReader } from '../model/reader';
import { loadModel } from '../model/load';
import { cardOf, validateCard } from '../card';

/**
 * One-file model bundles (.radlens.zip). fflate rather than JSZip: it is
 * synchronous, about 8 kB, has no Node Buffer or stream dependencies, and runs
 * the same in a Worker and in Node; a bundle is a few MB, so streaming is not
 * needed. Weights are stored, not deflated (float noise does not compress).
 */

export class BundleImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BundleImportError';
  }
}

export async function exportBundleZip(files: Map<string, Uint8Array>): Promise<Uint8Array> {
  const entries: Record<string, [Uint8Array, { level: 0 | 6 }]> = {};
  for (const [path, bytes] of files) entries[path] = [bytes, { level: path.endsWith('.json') ? 6 : 0 }];
  return zipSync(entries, { mtime: new Date('2020-01-01T00:00:00Z') });
}

const isZip = (b: Uint8Array) => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && (b[2] === 3 || b[2] === 5) && (b[3] === 4 || b[3] === 6);

/**
 * Unpacks and verifies a bundle: it must be a zip with model.json and
 * card.json (at the root or in one top folder), a valid card, and weights
 * matching the card's sha256. The model is loaded once to prove it, then freed.
 */
export async function importBundleZip(bytes: Uint8Array, describe = 'the model bundle'): Promise<Map<string, Uint8Array>> {
  if (!isZip(bytes)) throw new BundleImportError(`${describe} is not a zip file`);
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch (e) {
    throw new BundleImportError(`${describe} is a damaged zip file (${(e as Error).message})`);
  }
  const paths = Object.keys(entries).filter((p) => !p.endsWith('/') && !p.startsWith('__MACOSX/'));
  const cardPath = paths.find((p) => p === 'card.json' || /^[^/]+\/card\.json$/.test(p));
  const root = cardPath ? cardPath.slice(0, cardPath.length - 'card.json'.length) : '';
  const files = new Map<string, Uint8Array>();
  for (const p of paths) if (p.startsWith(root)) files.set(p.slice(root.length), entries[p]);
  for (const need of ['model.json', 'card.json'])
    if (!files.has(need)) throw new BundleImportError(`${describe} has no ${need}; a model bundle needs model.json, card.json and the weight files`);
  try {
    validateCard(cardOf(files));
  } catch (e) {
    throw new BundleImportError(`${describe}: card.json is invalid: ${(e as Error).message}`);
  }
  try {
    const loaded = await loadModel(memoryReader(files, describe));
    loaded.dispose();
  } catch (e) {
    throw new BundleImportError(`${describe} was refused: ${(e as Error).message}`);
  }
  return files;
}
