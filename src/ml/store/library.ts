import type { ModelCard } from '../card-types';
import { cardOf, modelTag, withCard } from '../card';

/**
 * The local model library: models trained or imported on this machine, kept
 * as their bundle files. The page uses the IndexedDB implementation; Node
 * tests use the in-memory one. Both satisfy this interface.
 */

export interface StoredModelSummary {
  /** Library key: card id@version (unique). */
  key: string;
  card: ModelCard;
  createdAt: string;
  bytes: number;
}

/** A library entry that cannot be read, with a message that says what to do. */
export interface DamagedEntry {
  key: string;
  message: string;
}

export interface RemovedCounts {
  models: number;
  features: number;
  settings: number;
}

export interface ModelLibrary {
  list(): Promise<StoredModelSummary[]>;
  save(files: Map<string, Uint8Array>): Promise<StoredModelSummary>;
  getFiles(key: string): Promise<Map<string, Uint8Array> | undefined>;
  /** Changes card.name only (the card's sha256 does not cover itself, so weights stay verified). */
  rename(key: string, name: string): Promise<void>;
  delete(key: string): Promise<boolean>;
  setActive(key: string | null): Promise<void>;
  getActive(): Promise<string | null>;
  estimate(): Promise<{ usage?: number; quota?: number; models: number; modelBytes: number; features: number }>;
  deleteAll(): Promise<RemovedCounts>;
  /** Entries left out of list() because they are damaged (only a persistent store has them). */
  damaged?(): Promise<DamagedEntry[]>;
}

/** The card of a model's files (card.ts owns card.json). */
export const parseCardBytes = cardOf;

/** A model's library key is its tag, id@version. */
export const libraryKey = modelTag;

export function totalBytes(files: Map<string, Uint8Array>): number {
  let n = 0;
  for (const b of files.values()) n += b.length;
  return n;
}

export function renamedCard(files: Map<string, Uint8Array>, name: string): Map<string, Uint8Array> {
  if (!name.trim()) throw new Error('a model name cannot be empty');
  return withCard(files, { ...cardOf(files), name: name.trim() });
}
