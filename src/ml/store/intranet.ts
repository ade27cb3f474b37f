import { sha256Hex } from '../model/sha256';
import { decodeCard, modelTag } from '../card';

/**
 * Models from a clinic intranet: a models.json index lists each model with the
 * URL of its folder (or .zip bundle) and the sha256 of its card.json (or of
 * the bundle). The index itself is pinned by a sha256 configured in the app,
 * so a changed index or a swapped card is refused, and the card in turn pins
 * every weight file.
 */

export interface IntranetModelEntry {
  id: string;
  version: string;
  /** Model folder (ending in '/') or bundle (.zip), relative to the index URL or absolute. */
  url: string;
  /** sha256 of card.json for a folder, of the whole file for a bundle. */
  sha256: string;
  name?: string;
}

export class IntranetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IntranetError';
  }
}

type Fetch = (url: string) => Promise<Response>;

async function getBytes(url: string, fetchFn: Fetch): Promise<Uint8Array> {
  let res: Response;
  try {
    res = await fetchFn(url);
  } catch (e) {
    throw new IntranetError(`could not fetch ${url}: ${(e as Error).message}`);
  }
  if (!res.ok) throw new IntranetError(`could not fetch ${url}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

export async function loadIntranetIndex(indexUrl: string, pinnedSha256: string | undefined, fetchFn: Fetch = fetch): Promise<IntranetModelEntry[]> {
  const bytes = await getBytes(indexUrl, fetchFn);
  if (pinnedSha256 !== undefined) {
    const got = sha256Hex(bytes);
    if (got !== pinnedSha256.toLowerCase()) throw new IntranetError(`models.json at ${indexUrl} does not match its pinned sha256 (expected ${pinnedSha256.toLowerCase()}, got ${got}); refusing it`);
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new IntranetError(`models.json at ${indexUrl} is not valid JSON`);
  }
  const list = Array.isArray(json) ? json : (json as { models?: unknown }).models;
  if (!Array.isArray(list)) throw new IntranetError(`models.json at ${indexUrl} must be a list or {"models": [...]}`);
  return list.map((e, i) => {
    const entry = e as Partial<IntranetModelEntry>;
    for (const k of ['id', 'version', 'url', 'sha256'] as const)
      if (typeof entry[k] !== 'string' || !entry[k]) throw new IntranetError(`models.json entry ${i} has no ${k}`);
    if (!/^[0-9a-f]{64}$/i.test(entry.sha256!)) throw new IntranetError(`models.json entry ${i} (${entry.id}): sha256 must be 64 hex digits`);
    return { ...(entry as IntranetModelEntry), url: new URL(entry.url!, new URL(indexUrl, pageBase())).href };
  });
}

/** Relative index URLs resolve against the page (or worker) location. */
const pageBase = () => (globalThis as { location?: { href: string } }).location?.href ?? 'http://localhost/';

/**
 * Downloads one entry as bundle files (folder: card.json, model.json and the
 * weights the card lists; bundle: the zip bytes under "bundle.zip"), refusing
 * a card or bundle whose sha256 differs from the index.
 */
export async function fetchIntranetModel(entry: IntranetModelEntry, fetchFn: Fetch = fetch): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  if (/\.zip$/i.test(entry.url)) {
    const bytes = await getBytes(entry.url, fetchFn);
    const got = sha256Hex(bytes);
    if (got !== entry.sha256.toLowerCase()) throw new IntranetError(`bundle ${entry.url} does not match the sha256 in models.json; refusing it`);
    files.set('bundle.zip', bytes);
    return files;
  }
  const base = entry.url.endsWith('/') ? entry.url : entry.url + '/';
  const card = await getBytes(base + 'card.json', fetchFn);
  if (sha256Hex(card) !== entry.sha256.toLowerCase()) throw new IntranetError(`card.json of ${modelTag(entry)} does not match the sha256 in models.json; refusing it`);
  files.set('card.json', card);
  files.set('model.json', await getBytes(base + 'model.json', fetchFn));
  for (const w of decodeCard(card).weights ?? []) files.set(w.path, await getBytes(base + w.path, fetchFn));
  return files;
}
