/// <reference lib="webworker" />
/**
 * The ML worker: owns tfjs, the loaded model and the decoded images of the
 * current batch. Files are handled one at a time so a bad file only fails its
 * own card, and the page stays responsive while a batch runs.
 */
import { currentBackend, type BackendName, Classifier, upsampleHeatmap, importBundleZip, memoryReader, warmUp, timed, timedSync } from '../../ml';
import { takeMeasuredModel } from './backend-choice';
import type { DecodedImage } from '../../imaging/types';
import { backendSwitched, ensureBackend, ensureMeasuredBackend } from './backend';
import { serve, withEvents } from './rpc';
import { readAndDecode } from './decoding';
import { loadModelByRef } from './model-loading';
import { makeThumbnail, modelView } from './thumbnail';
import { ImageCache } from './image-cache';
import type {
  BackendInfo,
  ClassifyEvent,
  EvaluateRow,
  Heatmap,
  DroppedFile,
  ItemDescriptor,
  ItemResult,
  LabelledFile,
  LoadedModelInfo,
} from './protocol';
import type { ModelRef } from '../state/model-ref';
import { cancelBatch, classifyChunk, type BatchHost } from './batch-session';
import { compactThumbnail } from './thumbnail-jpeg';
import { withBackendRecovery } from '../../ml';

/** The order the page asked for: a backend that fails mid-batch falls back along it. */
let backendOrder: BackendName[] | undefined;
let active: { ref: ModelRef; model: Classifier; info: LoadedModelInfo } | null = null;
const items = new ImageCache();
let nextItem = 1;

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

async function loadModelRequest(ref: ModelRef, force = false): Promise<LoadedModelInfo> {
  await ensureBackend();
  if (!force && active && active.ref.kind === ref.kind && active.ref.id === ref.id) return active.info;
  const model = takeMeasuredModel(ref, currentBackend()) ?? (await loadModelByRef(ref));
  await warmUp(model); // shaders and weights now, not on the first image
  active?.model.dispose();
  const info: LoadedModelInfo = {
    ref,
    card: model.card,
    model: model.tag,
    source: model.source,
  };
  active = { ref, model, info };
  return info;
}

function requireModel(): Classifier {
  if (!active) throw new Error('no model is loaded');
  return active.model;
}

function describe(itemId: string, image: DecodedImage, files: string[]): ItemDescriptor {
  const frames = image.frames.length;
  return {
    itemId,
    file: files[0],
    files,
    frames,
    kind: frames > 1 ? 'volume' : 'image',
    seriesDescription: image.series?.seriesDescription,
    rows: image.rows,
    columns: image.columns,
    modality: image.modality,
    format: image.format,
    thumbnail: makeThumbnail(image, Math.floor(frames / 2)),
    warnings: [...(image.geometry?.warnings ?? []), ...(image.downsampled ? [image.downsampled] : [])],
    ...(image.dicom ? { dicom: image.dicom } : {}),
  };
}

async function classifyItem(itemId: string, image: DecodedImage, backend: BackendName, onSlice: (done: number) => void): Promise<ItemResult> {
  const model = requireModel();
  const { slices, aggregate } = await model.classifyVolume(image, onSlice);
  const positiveLabel = model.card.positiveLabel;
  if (slices.length === 1) return { itemId, result: slices[0], positiveLabel, backend };
  const { representative, ...summary } = aggregate;
  return { itemId, result: representative, positiveLabel, backend, slices, aggregate: summary };
}

/** The streamed Classify path (batch-session.ts) on this worker's model, cache and backend recovery. */
function batchHost(emit: (event: ClassifyEvent) => void): BatchHost {
  return {
    emit,
    async register(image, files) {
      const itemId = `item-${nextItem++}`;
      items.set(itemId, image);
      const item = timedSync('thumbnail', () => describe(itemId, image, files));
      return { ...item, thumbnail: await compactThumbnail(item.thumbnail) };
    },
    classifySingles: (images) => timed('classify', () => requireModel().classifyBatch(images.map((image) => ({ image, frame: 0 })))),
    classifyVolume: (itemId, image) => timed('classify', () => classifyItem(itemId, image, currentBackend(), () => {})),
    guard: (work) =>
      withBackendRecovery(work, {
        order: backendOrder,
        async onSwitch(change) {
          // The model's weights lived on the failed backend: load them again on the new one.
          backendSwitched({ backend: change.backend, attempts: change.attempts });
          if (active) {
            try {
              active.model.dispose();
            } catch {
              /* its backend is gone */
            }
            active = { ...active, model: await loadModelByRef(active.ref) };
          }
          emit({ kind: 'backend-changed', change });
        },
      }),
    backend: () => currentBackend(),
    positiveLabel: () => requireModel().card.positiveLabel,
  };
}

async function evaluateRequest(files: LabelledFile[], onProgress: (done: number, total: number) => void): Promise<EvaluateRow[]> {
  const model = requireModel();
  const rows: EvaluateRow[] = [];
  for (let i = 0; i < files.length; i++) {
    const { name, label } = files[i];
    try {
      const image = await readAndDecode(files[i]);
      const c = await model.classify(image, 0);
      rows.push({ file: name, label, scores: c.scores, probability: c.probability, predicted: c.label, ood: c.ood, oodReason: c.oodReason });
    } catch (e) {
      rows.push({ file: name, label, error: message(e) });
    }
    onProgress(i + 1, files.length);
  }
  return rows;
}

function imageFor(itemId: string): DecodedImage {
  const image = items.get(itemId);
  if (!image) throw new Error(`image ${itemId} is no longer in memory; add the file again`);
  return image;
}

const api = {
  /** Without `order`, the backend is chosen by timing `ref` on each backend (backend-choice.ts). */
  init: (order?: BackendName[], ref?: ModelRef, forcedBy?: 'url' | 'settings'): Promise<BackendInfo> => {
    backendOrder ??= order;
    return ensureMeasuredBackend(order, ref, forcedBy);
  },
  loadModel: (ref: ModelRef, force?: boolean): Promise<LoadedModelInfo> => loadModelRequest(ref, force),
  evaluate: (files: LabelledFile[], onProgress?: (done: number, total: number) => unknown) =>
    withEvents<[number, number], EvaluateRow[]>(onProgress && (([done, total]) => onProgress(done, total)), (emit) => evaluateRequest(files, (done, total) => emit([done, total]))),
  async explain(itemId: string, frame: number): Promise<Heatmap> {
    const model = requireModel();
    const image = imageFor(itemId);
    const heatmap = await model.explain(image, frame);
    const base = modelView(image, frame, model.card.input);
    return {
      width: base.width,
      height: base.height,
      values: upsampleHeatmap(heatmap, base.width, base.height),
      region: heatmap.region,
      label: heatmap.label,
      frame,
      base,
    };
  },
  // Structured clone copies the frames: the worker keeps its own for Grad-CAM.
  getImage: async (itemId: string): Promise<DecodedImage> => imageFor(itemId),
  async forget(itemIds?: string[]): Promise<{ forgotten: number }> {
    let forgotten = 0;
    for (const itemId of itemIds ?? [...items.keys()]) if (items.delete(itemId)) forgotten++;
    return { forgotten };
  },
  /** One chunk of a streamed Classify batch (batch-session.ts); `final` closes the batch. */
  classifyChunk: (batch: number, files: DroppedFile[], final: boolean, onEvent?: (event: ClassifyEvent) => unknown) =>
    withEvents(onEvent, (emit) => {
      requireModel();
      return classifyChunk(batchHost(emit), batch, files, final);
    }),
  /** Served ahead of the queue (see `serve` below): it must reach the batch that is running. */
  async cancel(batch: number): Promise<{ cancelled: true }> {
    cancelBatch(batch);
    return { cancelled: true };
  },
  /** Unzips and checks a bundle, loading it once (tfjs work, so here and not on the page's main thread). */
  async unpackBundle(bytes: Uint8Array, name: string): Promise<Map<string, Uint8Array>> {
    await ensureBackend();
    return importBundleZip(bytes, name);
  },
  /** Checks that bundle files load as a model, then lets it go. */
  async verifyBundle(files: Map<string, Uint8Array>, describe: string) {
    await ensureBackend();
    const model = await Classifier.load(memoryReader(files, describe));
    model.dispose();
    return model.card;
  },
};

export type MlApi = typeof api;

// A cancel must overtake the chunk it stops.
serve(api, ['cancel']);
