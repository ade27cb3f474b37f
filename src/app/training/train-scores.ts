/**
 * Per-image scores of the validation and test splits with the trained model,
 * through the same inference code as the Classify page (temperature, card),
 * so the page's ROC curves show exactly what classification will do.
 */
import type { DecodedImage } from '../../imaging/types';
import type { ModelCard, Classifier, DatasetItem, SplitName } from '../../ml';
import type { SplitScores } from './train-protocol';

export async function splitScores(
  model: Classifier,
  items: DatasetItem[],
  splits: SplitName[],
  which: SplitName,
  read: (file: string) => Promise<Uint8Array>,
  decode: (file: string, bytes: Uint8Array) => Promise<DecodedImage>,
  card: ModelCard = model.card,
): Promise<SplitScores> {
  const out: SplitScores = { scores: [], labels: [], files: [] };
  for (let i = 0; i < items.length; i++) {
    if (splits[i] !== which) continue;
    const image = await decode(items[i].file, await read(items[i].file));
    // Middle slice, as training used for volumes.
    const c = await model.classify(image, Math.floor(image.frames.length / 2));
    out.scores.push(c.scores[card.positiveLabel]);
    out.labels.push(items[i].label === card.positiveLabel ? 1 : 0);
    out.files.push(items[i].file);
  }
  return out;
}
