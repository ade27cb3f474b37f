/// <reference lib="webworker" />
/**
 * The ML worker: owns tfjs, the loaded model and the decoded images of the
 * current batch. Files are handled one at a time so a bad file only fails its
 * own card, and the page stays responsive while a batch runs.
 */
import { initBackend, setWasmLocation, currentBackend, type BackendName } from '../../ml/runtime';
import type { LoadedModel } from '../../ml/model';
import { classifyBatch, classifyImage, DEFAULT_BATCH } from '../../ml/inference';
import { gradCam, upsampleHeatmap } from '../../ml/explain';
import { ImagingError, type DecodedImage } from '../../imaging/types';
import { tfjsWasmUrls } from './tfjs-wasm-urls';
import { decodeInput, groupDecoded } from './decoding';
import { loadModelByRef } from './model-loading';
import { makeThumbnail, modelView } from './thumbnail';
import { aggregateSlices } from '../../ml/inference/aggregate';
import { ImageCache } from './image-cache';
import type {
  BackendInfo,
  ClassifyEvent,
  EvaluateRow,
  FrameScore,
  Heatmap,
  InputFile,
  ItemDescriptor,
  ItemResult,
  LabelledFile,
  LoadedModelInfo,
  Request,
  Response,
} from './protocol';
import type { ModelRef } from '../state/model-ref';
import { cancelBatch, classifyChunk, type BatchHost } from './batch-session';
import { compactThumbnail } from './thumbnail-jpeg';
import { withBackendRecovery } from '../../ml';

declare const self: DedicatedWorkerGlobalScope;

setWasmLocation(tfjsWasmUrls);

let backendInfo: Promise<BackendInfo> | null = null;
/** The order the page asked for: a backend that fails mid-batch falls back along it. */
let backendOrder: BackendName[] | undefined;
let active: { ref: ModelRef; model: LoadedModel; info: LoadedModelInfo } | null = null;
const items = new ImageCache();
let nextItem = 1;

function post(msg: Response, transfer: Transferable[] = []): void {
  self.postMessage(msg, transfer);
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function ensureBackend(order?: BackendName[]): Promise<BackendInfo> {
  backendOrder ??= order;
  backendInfo ??= initBackend(order);
  return backendInfo;
}

async function loadModelRequest(ref: ModelRef, force = false): Promise<LoadedModelInfo> {
  await ensureBackend();
  if (!force && active && active.ref.kind === ref.kind && active.ref.id === ref.id) return active.info;
  const model = await loadModelByRef(ref);
  active?.model.dispose();
  const info: LoadedModelInfo = {
    ref,
    card: model.card,
    model: `${model.card.id}@${model.card.version}`,
    source: model.source,
  };
  active = { ref, model, info };
  return info;
}

function requireModel(): LoadedModel {
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
  };
}

async function classifyItem(itemId: string, image: DecodedImage, backend: BackendName, onSlice: (done: number) => void): Promise<ItemResult> {
  const model = requireModel();
  const slices: FrameScore[] = [];
  const frames = image.frames.length;
  for (let start = 0; start < frames; start += DEFAULT_BATCH) {
    const chunk = Array.from({ length: Math.min(DEFAULT_BATCH, frames - start) }, (_, i) => ({ image, frame: start + i }));
    slices.push(...(await classifyBatch(model, chunk)));
    onSlice(slices.length);
  }
  const positiveLabel = model.card.positiveLabel;
  if (slices.length === 1) return { itemId, result: slices[0], positiveLabel, backend };
  const aggregate = aggregateSlices(slices, model.card.positiveLabel);
  const { representative, ...summary } = aggregate;
  return { itemId, result: representative, positiveLabel, backend, slices, aggregate: summary };
}

async function classifyRequest(id: number, files: InputFile[]): Promise<{ items: number; errors: number }> {
  const emit = (event: ClassifyEvent) => post({ id, type: 'event', event });
  requireModel();
  const backend = currentBackend();
  let errors = 0;
  const decoded: { file: string; image: DecodedImage }[] = [];
  for (let i = 0; i < files.length; i++) {
    const { name, bytes } = files[i];
    emit({ kind: 'progress', phase: 'decode', done: i, total: files.length, file: name });
    try {
      decoded.push({ file: name, image: await decodeInput(name, new Uint8Array(bytes)) });
    } catch (e) {
      errors++;
      emit({ kind: 'file-error', file: name, message: message(e), ...(e instanceof ImagingError ? { code: e.code } : {}) });
    }
    files[i].bytes = new ArrayBuffer(0); // let the raw file go once decoded
  }
  const groups = groupDecoded(decoded);
  const total = groups.length;
  let done = 0;
  for (const group of groups) {
    const itemId = `item-${nextItem++}`;
    items.set(itemId, group.image);
    try {
      const descriptor = describe(itemId, group.image, group.files);
      emit({ kind: 'item', item: descriptor });
      emit({ kind: 'progress', phase: 'classify', done, total, file: descriptor.file });
      const result = await classifyItem(itemId, group.image, backend, (slice) => {
        if (group.image.frames.length > 1) emit({ kind: 'progress', phase: 'classify', done, total, file: `${descriptor.file} (${slice}/${group.image.frames.length})` });
      });
      emit({ kind: 'item-result', result });
    } catch (e) {
      errors++;
      emit({ kind: 'item-error', itemId, message: message(e) });
    }
    done++;
    emit({ kind: 'progress', phase: 'classify', done, total });
  }
  return { items: groups.length, errors };
}

/** The streamed Classify path (batch-session.ts) on this worker's model, cache and backend recovery. */
function batchHost(id: number): BatchHost {
  const emit = (event: ClassifyEvent) => post({ id, type: 'event', event });
  return {
    emit,
    async register(image, files) {
      const itemId = `item-${nextItem++}`;
      items.set(itemId, image);
      const item = describe(itemId, image, files);
      return { ...item, thumbnail: await compactThumbnail(item.thumbnail) };
    },
    classifySingles: (images) => classifyBatch(requireModel(), images.map((image) => ({ image, frame: 0 }))),
    classifyVolume: (itemId, image) => classifyItem(itemId, image, currentBackend(), () => {}),
    guard: (work) =>
      withBackendRecovery(work, {
        order: backendOrder,
        async onSwitch(change) {
          // The model's weights lived on the failed backend: load them again on the new one.
          backendInfo = Promise.resolve({ backend: change.backend, attempts: change.attempts });
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

async function evaluateRequest(id: number, files: LabelledFile[]): Promise<EvaluateRow[]> {
  const model = requireModel();
  const rows: EvaluateRow[] = [];
  for (let i = 0; i < files.length; i++) {
    const { name, bytes, label } = files[i];
    try {
      const image = await decodeInput(name, new Uint8Array(bytes));
      const c = await classifyImage(model, image, 0);
      rows.push({ file: name, label, scores: c.scores, probability: c.probability, predicted: c.label, ood: c.ood, oodReason: c.oodReason });
    } catch (e) {
      rows.push({ file: name, label, error: message(e) });
    }
    files[i].bytes = new ArrayBuffer(0);
    post({ id, type: 'event', event: { kind: 'progress', done: i + 1, total: files.length } });
  }
  return rows;
}

function imageFor(itemId: string): DecodedImage {
  const image = items.get(itemId);
  if (!image) throw new Error(`image ${itemId} is no longer in memory; add the file again`);
  return image;
}

async function handle(req: Request): Promise<{ value: unknown; transfer?: Transferable[] }> {
  switch (req.type) {
    case 'init':
      return { value: await ensureBackend(req.order) };
    case 'loadModel':
      return { value: await loadModelRequest(req.ref, req.force) };
    case 'classify':
      return { value: await classifyRequest(req.id, req.files) };
    case 'classifyChunk':
      requireModel();
      return { value: await classifyChunk(batchHost(req.id), req.batch, req.files, req.final) };
    case 'cancel':
      cancelBatch(req.batch);
      return { value: { cancelled: true } };
    case 'evaluate':
      return { value: await evaluateRequest(req.id, req.files) };
    case 'explain': {
      const model = requireModel();
      const image = imageFor(req.itemId);
      const heatmap = await gradCam(model, image, req.frame);
      const base = modelView(image, req.frame, model.card.input);
      const value: Heatmap = {
        width: base.width,
        height: base.height,
        values: upsampleHeatmap(heatmap, base.width, base.height),
        region: heatmap.region,
        label: heatmap.label,
        frame: req.frame,
        base,
      };
      return { value };
    }
    case 'getImage':
      // Structured clone copies the frames: the worker keeps its own for Grad-CAM.
      return { value: imageFor(req.itemId) };
    case 'forget': {
      const ids = req.itemIds ?? items.keys();
      let forgotten = 0;
      for (const itemId of ids) if (items.delete(itemId)) forgotten++;
      return { value: { forgotten } };
    }
  }
}

// One request at a time: tfjs work is serialised and memory stays bounded.
let queue: Promise<void> = Promise.resolve();

self.onmessage = (e: MessageEvent<Request>) => {
  const req = e.data;
  if (req.type === 'cancel') {
    // Not queued: it must reach the batch that is running.
    cancelBatch(req.batch);
    post({ id: req.id, type: 'result', value: { cancelled: true } });
    return;
  }
  queue = queue.then(async () => {
    try {
      const { value, transfer } = await handle(req);
      post({ id: req.id, type: 'result', value }, transfer);
    } catch (err) {
      post({ id: req.id, type: 'error', message: message(err) });
    }
  });
};
