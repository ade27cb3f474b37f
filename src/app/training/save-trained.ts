import { type ModelCard, IdbModelLibrary, withCard, type TrainModelResult } from '../../ml';

let library: IdbModelLibrary | null = null;

/**
 * Stores a freshly trained model's bundle files in the local library under
 * the user's name. The version carries the time of saving, so two models
 * trained on one day never overwrite each other (the library key is id@version).
 */
export async function saveTrainedModel(result: TrainModelResult, name: string): Promise<{ id: string; card: ModelCard }> {
  if (!name.trim()) throw new Error('give the model a name');
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const card: ModelCard = { ...result.card, name: name.trim(), version: `${result.card.version.split('-')[0]}-${stamp.slice(9)}` };
  library ??= new IdbModelLibrary();
  const saved = await library.save(withCard(result.files, card));
  return { id: saved.key, card: saved.card };
}
