import { tf } from '../runtime';
import type { BundleReader } from '../model/reader';
import { checkLayersAndInput, loadModel, loadVerifiedLayersModel, type LoadedModel } from '../model/load';
import { isTrunkCardJson, validateTrunkCard } from './card';
import type { TransferBaseCard, TrunkCard } from './types';

export interface LoadedTrunk {
  card: TrunkCard;
  model: tf.LayersModel;
  source: string;
  dispose(): void;
}

/** A base for head or fine-tune training: a bundled classifier or a trunk. */
export interface TransferBase {
  card: TransferBaseCard;
  model: tf.LayersModel;
  source: string;
  dispose(): void;
}

export async function loadTrunk(reader: BundleReader): Promise<LoadedTrunk> {
  const card = validateTrunkCard(await reader.readJson('card.json'));
  const model = await loadVerifiedLayersModel(reader, card);
  try {
    checkLayersAndInput(model, card, reader.describe);
  } catch (e) {
    model.dispose();
    throw e;
  }
  return { card, model, source: reader.describe, dispose: () => model.dispose() };
}

/** Reads card.json once to tell a trunk from a classifier, then loads either as a transfer base. */
export async function loadTransferBase(reader: BundleReader): Promise<TransferBase | LoadedModel> {
  return isTrunkCardJson(await reader.readJson('card.json')) ? loadTrunk(reader) : loadModel(reader);
}
