import { tf } from '../runtime';
import { validateCard, modelTag } from '../card';
import type { ModelCard } from '../card-types';
import type { BundleReader } from './reader';
import { sha256Hex } from './sha256';

export interface LoadedModel {
  card: ModelCard;
  model: tf.LayersModel;
  /** Where it was loaded from (the reader's description). */
  source: string;
  dispose(): void;
}

interface WeightsGroup {
  paths: string[];
  weights: tf.io.WeightsManifestEntry[];
}

/** Damaged or swapped model files are refused before any weight reaches the backend. */
export class ModelIntegrityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelIntegrityError';
  }
}

/**
 * Reads every weight file named in model.json and checks it against the
 * card's sha256 and size. The card is the trust anchor: a weight file the card
 * does not list is refused too.
 */
export async function readVerifiedWeights(reader: BundleReader, card: Pick<ModelCard, 'weights'>, manifest: WeightsGroup[]): Promise<ArrayBuffer> {
  const expected = new Map(card.weights.map((w) => [w.path, w]));
  const parts: Uint8Array[] = [];
  for (const group of manifest)
    for (const path of group.paths) {
      const entry = expected.get(path);
      if (!entry)
        throw new ModelIntegrityError(`weights ${path}: model.json names it but card.json does not list it; the model files do not belong together`);
      const bytes = await reader.readBytes(path);
      const got = sha256Hex(bytes);
      if (got !== entry.sha256.toLowerCase())
        throw new ModelIntegrityError(
          `weights ${path}: sha256 mismatch, expected ${entry.sha256.toLowerCase()}, got ${got}; the model files are damaged or were changed`,
        );
      if (bytes.length !== entry.bytes)
        throw new ModelIntegrityError(`weights ${path}: ${bytes.length} bytes, card says ${entry.bytes}; the model files are damaged or were changed`);
      parts.push(bytes);
    }
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out.buffer;
}

/** The layers a card names exist and the input matches its spec; shared by model and trunk cards. */
export function checkLayersAndInput(model: tf.LayersModel, card: Pick<ModelCard, 'input'> & { layers: { gradcam: string; features: string } }, source: string): void {
  const names = new Set(model.layers.map((l) => l.name));
  for (const [field, name] of [['layers.gradcam', card.layers.gradcam], ['layers.features', card.layers.features]] as const)
    if (!names.has(name)) throw new Error(`${source}: card ${field} names layer "${name}", which the model does not have`);
  const inShape = model.inputs[0].shape; // [null, h, w, c]
  const [h, w] = card.input.size;
  if (inShape[1] !== h || inShape[2] !== w || inShape[3] !== card.input.channels)
    throw new Error(`${source}: the model takes ${inShape.slice(1).join('×')} but the card says ${h}×${w}×${card.input.channels}`);
}

function checkAgainstCard(model: tf.LayersModel, card: ModelCard, source: string): void {
  checkLayersAndInput(model, card, source);
  const outShape = model.outputs[0].shape;
  if (outShape[outShape.length - 1] !== card.labels.length)
    throw new Error(`${source}: the model has ${outShape[outShape.length - 1]} outputs but the card lists ${card.labels.length} labels`);
}

/** model.json with weights checked against a card (a model card or a trunk card). */
export async function loadVerifiedLayersModel(reader: BundleReader, card: Pick<ModelCard, 'weights'>): Promise<tf.LayersModel> {
  const modelJson = (await reader.readJson('model.json')) as { modelTopology?: object; weightsManifest?: WeightsGroup[] };
  if (!modelJson?.modelTopology || !Array.isArray(modelJson.weightsManifest))
    throw new Error(`${reader.describe}: model.json is not a TensorFlow.js layers model (no modelTopology or weightsManifest)`);
  const weightData = await readVerifiedWeights(reader, card, modelJson.weightsManifest);
  const weightSpecs = modelJson.weightsManifest.flatMap((g) => g.weights);
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs, weightData }));
}

/** Loads card.json + model.json + verified weights into a LayersModel. */
export async function loadModel(reader: BundleReader): Promise<LoadedModel> {
  const card = validateCard(await reader.readJson('card.json'));
  const model = await loadVerifiedLayersModel(reader, card);
  try {
    checkAgainstCard(model, card, reader.describe);
  } catch (e) {
    model.dispose();
    throw e;
  }
  return {
    card,
    model,
    source: reader.describe,
    dispose: () => model.dispose(),
  };
}

export { modelTag };
