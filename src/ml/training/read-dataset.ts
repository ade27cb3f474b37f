import { tf } from '../runtime';
import type { DecodedImage, InputSpec } from '../../imaging/types';
import { displayAtModelResolution, modelInputFromDisplay } from '../../imaging/preprocess';
import type { TransferBaseCard } from '../trunk/types';
import { modelTag } from '../card';
import { sha256Hex } from './hash';
import { datasetItem, type DatasetItem, type LabelledFile } from './dataset';
import type { PatientPattern } from './patient';
import { featureExtractor, checkAborted, batchFeatures } from './features';
import { featureKey, preprocessingId, type FeatureCache } from './feature-cache';

/**
 * One streaming pass over the files: read, hash, decode, describe, and either
 * compute frozen-trunk features (head mode; batched, cached) or keep a small
 * 8-bit display image at model resolution (fine-tune / scratch). Decoded
 * pixels are dropped right away, so memory stays at one batch plus results.
 */

export interface TrainingFile {
  /** Path relative to the dataset folder, '/'-separated: "CLASS/…/name.png". */
  file: string;
  read(): Promise<Uint8Array>;
}

export type Decoder = (file: string, bytes: Uint8Array) => DecodedImage | Promise<DecodedImage>;

export interface ReadOptions {
  labelled: LabelledFile[];
  files: Map<string, TrainingFile>;
  decode: Decoder;
  input: InputSpec;
  patterns?: PatientPattern[];
  /** Frozen trunk: when given, features are computed (and cached). */
  trunk?: { model: tf.LayersModel; card: Pick<TransferBaseCard, 'id' | 'version' | 'layers'> };
  cache?: FeatureCache;
  keepImages?: boolean;
  batchSize?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export interface ReadResult {
  items: DatasetItem[];
  features: Float32Array[];
  /** Display images at model resolution, 0…255, one channel. */
  images: Uint8Array[];
  unreadable: { file: string; error: string }[];
  cacheHits: number;
}

/** Middle slice of a volume; the only frame of a plain image. */
const frameOf = (image: DecodedImage) => Math.floor(image.frames.length / 2);

/** Display values (0…1) as the 8-bit image kept for augmented views and image training. */
function quantized(display: Float32Array): Uint8Array {
  const out = new Uint8Array(display.length);
  for (let i = 0; i < display.length; i++) out[i] = Math.round(Math.min(1, Math.max(0, display[i])) * 255);
  return out;
}

export async function readDataset(opts: ReadOptions): Promise<ReadResult> {
  const { labelled, files, decode, input, patterns, trunk, cache, keepImages, batchSize = 16, signal, onProgress } = opts;
  const result: ReadResult = { items: [], features: [], images: [], unreadable: [], cacheHits: 0 };
  const extractor = trunk ? featureExtractor(trunk.model, trunk.card.layers.features) : undefined;
  const prep = trunk ? preprocessingId(input, trunk.card.layers.features) : '';
  const ref = trunk ? modelTag(trunk.card) : '';
  let pending: { slot: number; key: string; input: Float32Array }[] = [];

  const flush = async () => {
    if (!pending.length || !extractor) return;
    const rows = await batchFeatures(extractor, pending.map((p) => p.input), input.size, input.channels);
    for (let k = 0; k < pending.length; k++) {
      const vec = rows[k];
      result.features[pending[k].slot] = vec;
      if (cache) await cache.put(pending[k].key, vec);
    }
    pending = [];
  };

  for (let i = 0; i < labelled.length; i++) {
    checkAborted(signal);
    const entry = labelled[i];
    const source = files.get(entry.file);
    try {
      if (!source) throw new Error('file not found');
      const bytes = await source.read();
      const sha = sha256Hex(bytes);
      const image = await decode(entry.file, bytes);
      const item = datasetItem(entry, sha, bytes.length, image, patterns);
      const slot = result.items.length;
      // One display image at model resolution serves the kept 8-bit copy and the trunk's input (quantized first: normalization works in place).
      let display: Float32Array | undefined;
      const displayOnce = () => (display ??= displayAtModelResolution(image, frameOf(image), input));
      if (keepImages) result.images[slot] = quantized(displayOnce());
      if (extractor) {
        const key = featureKey(sha, ref, prep);
        const hit = cache ? await cache.get(key) : undefined;
        if (hit) { result.features[slot] = hit; result.cacheHits++; }
        else pending.push({ slot, key, input: modelInputFromDisplay(displayOnce(), input) });
      }
      result.items.push(item);
      if (pending.length >= batchSize) await flush();
    } catch (e) {
      if ((e as Error).name === 'AbortError') throw e;
      result.unreadable.push({ file: entry.file, error: (e as Error).message || String(e) });
    }
    onProgress?.(i + 1, labelled.length);
  }
  await flush();
  return result;
}
