import type { ModelCard } from '../../ml';

/** Which model the page uses: one shipped in public/models, or one in the local IndexedDB library. */
export type ModelRef = { kind: 'bundled'; id: string } | { kind: 'local'; id: string };

export interface ModelSummary {
  ref: ModelRef;
  id: string;
  version: string;
  name: string;
  /** Present when the card could be read; absent models still list with an error. */
  card?: ModelCard;
  error?: string;
}

/** Models shipped with the app under public/models/<id>/. */
export const BUNDLED_MODEL_IDS = ['cxr-pneumonia'] as const;

export const DEFAULT_MODEL: ModelRef = { kind: 'bundled', id: BUNDLED_MODEL_IDS[0] };

export function sameRef(a: ModelRef, b: ModelRef): boolean {
  return a.kind === b.kind && a.id === b.id;
}

export function refKey(ref: ModelRef): string {
  return `${ref.kind}:${ref.id}`;
}

export function parseRefKey(key: string): ModelRef | null {
  const match = /^(bundled|local):(.+)$/.exec(key);
  return match ? { kind: match[1] as ModelRef['kind'], id: match[2] } : null;
}
