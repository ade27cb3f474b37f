import { IdbModelLibrary } from '../../ml';
import type { ModelSummary } from './model-ref';

/** Models in the IndexedDB library (src/ml/store), as picker entries; the ref id is the library key (id@version). */
export async function listLocalModels(): Promise<ModelSummary[]> {
  if (typeof indexedDB === 'undefined') return [];
  const rows = await new IdbModelLibrary().list();
  return rows.map((r) => ({ ref: { kind: 'local', id: r.key }, id: r.card.id, version: r.card.version, name: r.card.name, card: r.card }));
}
