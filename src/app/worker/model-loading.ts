import { Classifier, fetchReader, memoryReader, IdbModelLibrary } from '../../ml';
import type { ModelRef } from '../state/model-ref';

/** Loads a bundled model over HTTP (same origin) or a local one from the IndexedDB library. */
export async function loadModelByRef(ref: ModelRef): Promise<Classifier> {
  if (ref.kind === 'bundled') return Classifier.load(fetchReader(`${import.meta.env.BASE_URL}models/${ref.id}/`));
  const files = await new IdbModelLibrary().getFiles(ref.id);
  if (!files) throw new Error(`${ref.id} is not in the local model library (it may have been deleted)`);
  try {
    return await Classifier.load(memoryReader(files, `local library: ${ref.id}`));
  } catch (e) {
    // Name the model and the way out: the bundled and other local models still work.
    throw new Error(`the local model ${ref.id} cannot be used: ${(e as Error).message}. Choose another model, or delete this one on the Models page and import it again.`);
  }
}
