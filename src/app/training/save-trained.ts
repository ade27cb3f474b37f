import { type ModelCard, IdbModelLibrary, type TrainModelResult } from '../../ml';

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
  const files = new Map(result.files);
  files.set('card.json', new TextEncoder().encode(JSON.stringify(card, null, 2) + '\n'));
  library ??= new IdbModelLibrary();
  const saved = await library.save(files);
  return { id: saved.key, card: saved.card };
}
