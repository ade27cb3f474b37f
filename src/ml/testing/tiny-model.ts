import { tf } from '../runtime';
import type { ModelCard } from '../card-types';
import { sha256Hex } from '../model/sha256';
import { memoryReader, type BundleReader } from '../model/reader';
import type { DecodedImage } from '../../imaging/types';
import { modelToFiles } from '../bundle/files';

/**
 * Test fixtures: a small CNN with the reference model's layer names
 * (conv1…conv7, pool1…pool3, gap, dropout, logits), packed as a bundle in
 * memory with a generated card, and synthetic grey "radiographs".
 */

export const TINY_SIZE = 32;

export function buildTinyModel(seed = 1, size = TINY_SIZE): tf.Sequential {
  const init = (k: number) => tf.initializers.glorotUniform({ seed: seed * 100 + k });
  const m = tf.sequential();
  const conv = (name: string, filters: number, k: number, first = false) =>
    m.add(
      tf.layers.conv2d({
        name,
        filters,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: init(k),
        ...(first ? { inputShape: [size, size, 1] } : {}),
      }),
    );
  conv('conv1', 4, 1, true);
  m.add(tf.layers.maxPooling2d({ name: 'pool1', poolSize: 2 }));
  conv('conv2', 4, 2);
  conv('conv3', 8, 3);
  m.add(tf.layers.maxPooling2d({ name: 'pool2', poolSize: 2 }));
  conv('conv4', 8, 4);
  conv('conv5', 8, 5);
  m.add(tf.layers.maxPooling2d({ name: 'pool3', poolSize: 2 }));
  conv('conv6', 8, 6);
  conv('conv7', 8, 7);
  m.add(tf.layers.globalAveragePooling2d({ name: 'gap' }));
  m.add(tf.layers.dropout({ name: 'dropout', rate: 0.3 }));
  m.add(tf.layers.dense({ name: 'logits', units: 2, kernelInitializer: init(8) }));
  return m;
}

export const WEIGHTS_FILE = 'group1-shard1of1.bin';

export async function saveToFiles(model: tf.LayersModel): Promise<{ modelJson: object; weights: Uint8Array }> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!saved) throw new Error('save handler was not called');
  const data = saved.weightData;
  const weights = Array.isArray(data) ? concat(data.map((b) => new Uint8Array(b))) : new Uint8Array(data as ArrayBuffer);
  const modelJson = {
    format: 'layers-model',
    generatedBy: 'radlens tests',
    modelTopology: saved.modelTopology,
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: saved.weightSpecs }],
  };
  return { modelJson, weights };
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function tinyCard(weights: Uint8Array, size = TINY_SIZE, overrides: Partial<ModelCard> = {}): ModelCard {
  return {
    schema: 'radlens-model-card/1',
    id: 'tiny-test',
    version: '0.0.1',
    name: 'Tiny test model',
    task: 'pneumonia vs normal (test fixture)',
    modalities: ['CR', 'DX'],
    bodyPart: 'CHEST',
    labels: ['NORMAL', 'PNEUMONIA'],
    positiveLabel: 'PNEUMONIA',
    threshold: 0.5,
    unsureBand: { low: 0.4, high: 0.6, rule: 'fixture' },
    temperature: 1.5,
    input: {
      size: [size, size],
      channels: 1,
      fit: 'stretch',
      interpolation: 'area',
      window: { kind: 'display' },
      normalization: { kind: 'zscore-image' },
    },
    output: 'logits',
    layers: { gradcam: 'conv7', features: 'gap', headStart: 12 },
    metrics: { validation: { n: 10, auc: 0.5, accuracy: 0.5, sensitivity: 0.5, specificity: 0.5, threshold: 0.5 } },
    intendedUse: 'tests only',
    limitations: ['not a real model'],
    trainingData: { description: 'none', licence: 'n/a', counts: {}, split: 'n/a' },
    training: { date: '2025-01-01', mode: 'scratch', tool: 'tests' },
    weights: [{ path: WEIGHTS_FILE, sha256: sha256Hex(weights), bytes: weights.length }],
    ...overrides,
  };
}

export interface TinyBundle {
  files: Map<string, Uint8Array>;
  card: ModelCard;
  reader: BundleReader;
}

/** The bundle as files in memory; `overrides` change the card (e.g. add an ood block). */
export async function tinyBundle(model = buildTinyModel(), overrides: Partial<ModelCard> = {}): Promise<TinyBundle> {
  const { modelJson, weights } = await saveToFiles(model);
  const card = tinyCard(weights, model.inputs[0].shape[1] as number, overrides);
  const enc = new TextEncoder();
  const files = new Map<string, Uint8Array>([
    ['model.json', enc.encode(JSON.stringify(modelJson))],
    ['card.json', enc.encode(JSON.stringify(card))],
    [WEIGHTS_FILE, weights],
  ]);
  return { files, card, reader: memoryReader(files, 'tiny test bundle') };
}

/**
 * A grey image with a smooth "thorax" gradient and deterministic noise; `blob`
 * adds a bright patch at a fractional (x, y) position.
 */
export function syntheticXray(
  size = 96,
  { seed = 1, blob, file = 'synthetic.png' }: { seed?: number; blob?: [number, number]; file?: string } = {},
): DecodedImage {
  let s = seed >>> 0;
  const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
  const px = new Float32Array(size * size);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const dx = (x - size / 2) / size, dy = (y - size / 2) / size;
      let v = 180 - 300 * (dx * dx + dy * dy) + 20 * rand();
      if (blob) {
        const bx = (x / size - blob[0]) * 6, by = (y / size - blob[1]) * 6;
        v += 70 * Math.exp(-(bx * bx + by * by));
      }
      px[y * size + x] = Math.max(0, Math.min(255, v));
    }
  return greyImage(file, size, size, px);
}

export function greyImage(file: string, width: number, height: number, px: Float32Array, frames = 1): DecodedImage {
  return {
    file,
    format: 'png',
    modality: null,
    photometric: 'MONOCHROME2',
    transferSyntax: null,
    rows: height,
    columns: width,
    samplesPerPixel: 1,
    frames: Array.from({ length: frames }, () => px),
    units: 'intensity',
    windows: [{ center: 128, width: 256, source: 'file' }],
    metadata: [],
  };
}

/**
 * A tiny stand-in for the bundled cxr-pneumonia model (same layer names,
 * 16×16×1 input, 8-d features) so tests train in seconds on the cpu backend.
 */
export function tinyBaseModel(size = 16, seed = 7): tf.LayersModel {
  const init = (k: number) => tf.initializers.glorotUniform({ seed: seed + k });
  const input = tf.input({ shape: [size, size, 1], name: 'input' });
  let x: tf.SymbolicTensor = input;
  const conv = (name: string, filters: number, k: number) =>
    (x = tf.layers.conv2d({ name, filters, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(k) }).apply(x) as tf.SymbolicTensor);
  const pool = (name: string) => (x = tf.layers.maxPooling2d({ name, poolSize: 2 }).apply(x) as tf.SymbolicTensor);
  conv('conv1', 4, 1); conv('conv2', 4, 2); pool('pool1');
  conv('conv3', 6, 3); conv('conv4', 6, 4); pool('pool2');
  conv('conv5', 8, 5); conv('conv6', 8, 6); pool('pool3');
  conv('conv7', 8, 7);
  x = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.dropout({ name: 'dropout', rate: 0.2 }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.dense({ name: 'logits', units: 2, kernelInitializer: init(9) }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: x, name: 'tiny_cxr' });
}

/** The card of tinyBaseModel: the tiny card with the layer names and values the training tests expect. */
export function tinyBaseCard(model: tf.LayersModel, size = 16): ModelCard {
  return tinyCard(new Uint8Array(0), size, {
    id: 'tiny-cxr',
    task: 'test',
    unsureBand: { low: 0.4, high: 0.6, rule: 'test' },
    temperature: 1,
    layers: { gradcam: 'conv7', features: 'gap', headStart: model.layers.findIndex((l) => l.name === 'dropout') },
    metrics: { validation: { n: 0, auc: NaN, accuracy: NaN, sensitivity: NaN, specificity: NaN, threshold: 0.5 } },
    limitations: [],
    trainingData: { description: 'none', licence: 'none', counts: {}, split: 'none' },
    training: { date: '2024-01-01', mode: 'reference', tool: 'test' },
    weights: [],
  });
}

/** tinyBaseModel as bundle files (model.json, weights, card.json); the model itself is disposed. */
export async function tinyBaseFiles(): Promise<Map<string, Uint8Array>> {
  const model = tinyBaseModel();
  try {
    return await modelToFiles(model, tinyBaseCard(model));
  } finally {
    model.dispose();
  }
}
