import { validateCard } from '../card';
import { libraryKey, parseCardBytes, renamedCard, totalBytes, type ModelLibrary, type StoredModelSummary } from './library';
import { MemoryFeatureCache } from './feature-cache';

/** The model library in memory (Node, tests, private browsing without IndexedDB). */
export class MemoryModelLibrary implements ModelLibrary {
  private readonly models = new Map<string, { files: Map<string, Uint8Array>; createdAt: string }>();
  private active: string | null = null;
  constructor(readonly features = new MemoryFeatureCache()) {}

  async list(): Promise<StoredModelSummary[]> {
    return [...this.models].map(([key, m]) => ({ key, card: parseCardBytes(m.files), createdAt: m.createdAt, bytes: totalBytes(m.files) }));
  }
  async save(files: Map<string, Uint8Array>): Promise<StoredModelSummary> {
    const card = validateCard(parseCardBytes(files));
    const key = libraryKey(card);
    const createdAt = new Date().toISOString();
    this.models.set(key, { files: new Map(files), createdAt });
    return { key, card, createdAt, bytes: totalBytes(files) };
  }
  async getFiles(key: string) {
    const m = this.models.get(key);
    return m ? new Map(m.files) : undefined;
  }
  async rename(key: string, name: string) {
    const m = this.models.get(key);
    if (!m) throw new Error(`no model ${key} in the library`);
    m.files = renamedCard(m.files, name);
  }
  async delete(key: string) {
    if (this.active === key) this.active = null;
    return this.models.delete(key);
  }
  async setActive(key: string | null) {
    if (key && !this.models.has(key)) throw new Error(`no model ${key} in the library`);
    this.active = key;
  }
  async getActive() {
    return this.active;
  }
  async estimate() {
    const list = await this.list();
    return { models: list.length, modelBytes: list.reduce((s, m) => s + m.bytes, 0), features: this.features.size };
  }
  async deleteAll() {
    const removed = { models: this.models.size, features: this.features.size, settings: this.active ? 1 : 0 };
    this.models.clear();
    this.active = null;
    this.features.clear();
    return removed;
  }
}
