import { type ModelCard, libraryKey } from '../../ml';
import type { ModelRef } from '../state/model-ref';
import { addHistory, filesOf, modelLibrary, withCard } from '../library/library-api';

/**
 * A new operating threshold goes into a LOCAL card: a local model's card is
 * updated in place; a bundled model gets a local copy (same weights, version
 * suffixed "-site") so the shipped files stay as published. Either way the
 * card's history records the change.
 */
export async function saveThresholdLocally(
  ref: ModelRef,
  card: ModelCard,
  threshold: number,
  entry: { n: number; detail: string },
): Promise<ModelRef> {
  const files = await filesOf(ref);
  let next: ModelCard = addHistory({ ...card, threshold: Number(threshold.toFixed(6)) }, { action: 'threshold', n: entry.n, detail: entry.detail });
  // The unsure band must still contain the threshold, or "unsure" would exclude the decision point.
  next = { ...next, unsureBand: { ...next.unsureBand, low: Math.min(next.unsureBand.low, next.threshold), high: Math.max(next.unsureBand.high, next.threshold) } };
  const library = modelLibrary();
  if (ref.kind === 'local') {
    await library.save(withCard(files, next));
    return ref;
  }
  next = { ...next, version: `${card.version}-site`, name: `${card.name} (site threshold)` };
  const saved = await library.save(withCard(files, next));
  if (saved.key !== libraryKey(next)) throw new Error('the library stored the copy under an unexpected key');
  return { kind: 'local', id: saved.key };
}
