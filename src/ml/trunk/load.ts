import { tf } from '../runtime';
import type { BundleReader } from '../model/reader';
import { loadModel, loadVerifiedLayersModel, type LoadedModel } from '../model/load';
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
  const names = new Set(model.layers.map((l) => l.name));
  const [h, w] = card.input.size;
  const inShape = model.inputs[0].shape;
  const problem =
    !names.has(card.layers.features) ? `card layers.features names layer "${card.layers.features}", which the model does not have`
    : !names.has(card.layers.gradcam) ? `card layers.gradcam names layer "${card.layers.gradcam}", which the model does not have`
    : inShape[1] !== h || inShape[2] !== w || inShape[3] !== card.input.channels ? `the model takes ${inShape.slice(1).join('×')} but the card says ${h}×${w}×${card.input.channels}`
    : undefined;
  if (problem) {
    model.dispose();
    throw new Error(`${reader.describe}: ${problem}`);
  }
  return { card, model, source: reader.describe, dispose: () => model.dispose() };
}

/** Reads card.json once to tell a trunk from a classifier, then loads either as a transfer base. */
export async function loadTransferBase(reader: BundleReader): Promise<TransferBase | LoadedModel> {
  return isTrunkCardJson(await reader.readJson('card.json')) ? loadTrunk(reader) : loadModel(reader);
}
