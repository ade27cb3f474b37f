/**
 * What the Models page does to the local library (src/ml/store) and to bundle
 * files. Library keys are card id@version; a local ModelRef's id is that key.
 * Verifying that a bundle loads needs tfjs, so that step runs in the ML worker:
 * the page's main thread never loads tfjs.
 */
import { type ModelCard, IdbModelLibrary, withCard, decodeCard, libraryKey, parseCardBytes, exportBundleZip, loadIntranetIndex, fetchIntranetModel, type ModelLibrary, type IntranetModelEntry } from '../../ml';
import { getMlClient } from '../worker/client';
import type { ModelRef } from '../state/model-ref';

export type IndexEntry = IntranetModelEntry;

let shared: ModelLibrary | null = null;

export function modelLibrary(): ModelLibrary {
  shared ??= new IdbModelLibrary();
  return shared;
}

export { withCard };

export function addHistory(card: ModelCard, entry: { action: string; n?: number; detail?: string }): ModelCard {
  return { ...card, history: [...(card.history ?? []), { date: new Date().toISOString(), ...entry }] };
}

async function fetchBytes(url: string): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`could not fetch ${url}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

/** The files of a model shipped with the app, as a bundle. */
export async function bundledFiles(id: string): Promise<Map<string, Uint8Array>> {
  const base = `${import.meta.env.BASE_URL}models/${id}/`;
  const files = new Map<string, Uint8Array>();
  const card = await fetchBytes(base + 'card.json');
  files.set('card.json', card);
  files.set('model.json', await fetchBytes(base + 'model.json'));
  for (const w of decodeCard(card).weights) files.set(w.path, await fetchBytes(base + w.path));
  return files;
}

export async function filesOf(ref: ModelRef): Promise<Map<string, Uint8Array>> {
  if (ref.kind === 'bundled') return bundledFiles(ref.id);
  const files = await modelLibrary().getFiles(ref.id);
  if (!files) throw new Error(`model ${ref.id} is no longer in the library`);
  return files;
}

export async function exportBundle(ref: ModelRef): Promise<Uint8Array> {
  return exportBundleZip(await filesOf(ref));
}

async function refuseDuplicate(card: ModelCard): Promise<void> {
  const key = libraryKey(card);
  if ((await modelLibrary().list()).some((m) => m.key === key))
    throw new Error(`${key} is already in the library; delete or rename the existing model first (a model's id and version must be unique)`);
}

/** Checks a .zip bundle (structure, card, weight checksums, that it loads) and stores it. Returns its library key. */
export async function importBundle(bytes: Uint8Array, fileName: string): Promise<string> {
  const files = await getMlClient().unpackBundle(bytes, fileName);
  const card = parseCardBytes(files);
  await refuseDuplicate(card);
  const saved = await modelLibrary().save(withCard(files, addHistory(card, { action: 'import', detail: fileName })));
  return saved.key;
}

export async function readIndex(url: string, pinnedSha256?: string): Promise<IndexEntry[]> {
  return loadIntranetIndex(url, pinnedSha256 || undefined);
}

/** Downloads an index entry (sha256-checked), verifies it loads, and stores it. */
export async function installFromIndex(entry: IndexEntry): Promise<string> {
  const fetched = await fetchIntranetModel(entry);
  const zip = fetched.get('bundle.zip');
  if (zip) return importBundle(zip, entry.url);
  await getMlClient().verifyBundle(fetched, entry.url);
  const card = parseCardBytes(fetched);
  await refuseDuplicate(card);
  const saved = await modelLibrary().save(withCard(fetched, addHistory(card, { action: 'import', detail: entry.url })));
  return saved.key;
}

export async function renameLocal(key: string, name: string): Promise<void> {
  await modelLibrary().rename(key, name);
}

export async function deleteLocal(key: string): Promise<void> {
  await modelLibrary().delete(key);
}
