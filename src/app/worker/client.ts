/**
 * Promise API over the ML worker. One worker per page (it owns tfjs and the
 * loaded model); every page shares it through `useMlClient()`.
 */
import { useSyncExternalStore } from 'react';
import type { BackendInfo, ChunkSummary, ClassifyEvent, DroppedFile, EvaluateRow, Heatmap, LabelledFile, LoadedModelInfo } from './protocol';
import type { MlApi } from './ml.worker';
import { callback, connect, type Connection } from './rpc';
import type { DecodedImage } from '../../imaging/types';
// Type-only: the page's main thread must not pull tfjs in (the worker owns it).
import type { BackendName, ModelCard } from '../../ml';

const BACKENDS: BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];
import type { ModelRef } from '../state/model-ref';
import { refKey } from '../state/model-ref';
import { backendOverride } from '../settings/backend-override';

export interface MlStatus {
  backend: BackendInfo | null;
  backendError: string | null;
  model: LoadedModelInfo | null;
  modelLoading: ModelRef | null;
  modelError: { ref: ModelRef; message: string } | null;
}

export class MlClient {
  private connection: Connection<MlApi> | null = null;
  private listeners = new Set<() => void>();
  private initPromise: Promise<BackendInfo> | null = null;
  private modelPromise: { key: string; promise: Promise<LoadedModelInfo> } | null = null;
  status: MlStatus = { backend: null, backendError: null, model: null, modelLoading: null, modelError: null };

  private get api(): Connection<MlApi>['api'] {
    this.connection ??= connect<MlApi>(new Worker(new URL('./ml.worker.ts', import.meta.url), { type: 'module', name: 'radlens-ml' }), (message) =>
      this.setStatus({ backendError: message }),
    );
    return this.connection.api;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private setStatus(patch: Partial<MlStatus>): void {
    this.status = { ...this.status, ...patch };
    for (const l of this.listeners) l();
  }

  /** Picks the tfjs backend once per page: forced (URL, Settings) or measured on `ref` (backend-choice.ts). */
  init(ref?: ModelRef): Promise<BackendInfo> {
    const fromUrl = backendOrderFromUrl();
    const fromSettings = backendOverride();
    const order = fromUrl ?? (fromSettings ? [fromSettings] : undefined);
    const forcedBy = fromUrl ? 'url' : fromSettings ? 'settings' : undefined;
    this.initPromise ??= this.api.init(order, ref, forcedBy).then(
      (info) => {
        this.setStatus({ backend: info, backendError: null });
        return info;
      },
      (e: Error) => {
        this.setStatus({ backendError: e.message });
        throw e;
      },
    );
    return this.initPromise;
  }

  /** Loads `ref` as the worker's active model; a second call for the same model reuses the first. */
  loadModel(ref: ModelRef, options: { force?: boolean } = {}): Promise<LoadedModelInfo> {
    const key = refKey(ref);
    if (!options.force && this.modelPromise?.key === key) return this.modelPromise.promise;
    this.setStatus({ modelLoading: ref, modelError: null });
    const promise = this.init(ref)
      .then(() => this.api.loadModel(ref, options.force))
      .then(
        (info) => {
          if (this.modelPromise?.key === key) this.setStatus({ model: info, modelLoading: null, modelError: null });
          return info;
        },
        (e: Error) => {
          if (this.modelPromise?.key === key) this.setStatus({ model: null, modelLoading: null, modelError: { ref, message: e.message } });
          throw e;
        },
      );
    this.modelPromise = { key, promise };
    return promise;
  }

  /** The model the worker holds now, waiting for a load in flight. */
  async currentModel(): Promise<LoadedModelInfo> {
    if (!this.modelPromise) throw new Error('no model selected');
    return this.modelPromise.promise;
  }

  /** One chunk of a streamed batch (src/app/classify/batch-queue.ts): File handles, read in the worker. */
  async classifyChunk(batch: number, files: DroppedFile[], final: boolean, onEvent: (event: ClassifyEvent) => void): Promise<ChunkSummary> {
    await this.currentModel();
    return this.api.classifyChunk(
      batch,
      files,
      final,
      callback((e: ClassifyEvent) => {
        // A backend recovered mid-batch: every page shows the one now in use.
        if (e.kind === 'backend-changed') this.setStatus({ backend: { backend: e.change.backend, attempts: e.change.attempts } });
        onEvent(e);
      }),
    );
  }

  /** Stops a streamed batch: the worker handles this ahead of its queue. */
  cancelBatch(batch: number): Promise<{ cancelled: true }> {
    return this.api.cancel(batch);
  }

  /** Scores labelled files with the active model, for site validation (no series grouping). */
  async evaluateFiles(
    files: { file: File; label: string }[],
    onProgress?: (done: number, total: number) => void,
  ): Promise<EvaluateRow[]> {
    await this.currentModel();
    // File handles, read in the worker one at a time (not the whole set in memory here first).
    const inputs: LabelledFile[] = files.map(({ file, label }) => ({ name: file.webkitRelativePath || file.name, file, label }));
    return this.api.evaluate(
      inputs,
      onProgress && callback((done: number, total: number) => void onProgress(done, total)),
    );
  }

  /** Grad-CAM for one classified item (frame = slice index for volumes). */
  explain(itemId: string, frame = 0): Promise<Heatmap> {
    return this.api.explain(itemId, frame);
  }

  /** The decoded pixels of an item, for the viewer. */
  getImage(itemId: string): Promise<DecodedImage> {
    return this.api.getImage(itemId);
  }

  /** Unzips and checks a model bundle (structure, card, weight checksums, that it loads): tfjs work, so in the worker. */
  async unpackBundle(bytes: Uint8Array, name: string): Promise<Map<string, Uint8Array>> {
    await this.init();
    return this.api.unpackBundle(bytes, name);
  }

  /** Checks that bundle files load as a model (card, checksums, layers, shapes), then lets the model go. */
  async verifyBundle(files: Map<string, Uint8Array>, describe: string): Promise<ModelCard> {
    await this.init();
    return this.api.verifyBundle(files, describe);
  }

  /** Drops decoded images the page no longer shows (all when no ids). */
  forget(itemIds?: string[]): Promise<{ forgotten: number }> {
    return this.api.forget(itemIds);
  }
}

/**
 * `?backend=wasm` (or a comma list, e.g. `webgl,cpu`) restricts the backends
 * tried, for support and for checking each backend; unknown names are ignored.
 */
export function backendOrderFromUrl(search = typeof location !== 'undefined' ? location.search : ''): BackendName[] | undefined {
  const raw = new URLSearchParams(search).get('backend');
  if (!raw) return undefined;
  const order = raw.split(',').filter((b): b is BackendName => (BACKENDS as string[]).includes(b));
  return order.length ? order : undefined;
}

let shared: MlClient | null = null;

export function getMlClient(): MlClient {
  shared ??= new MlClient();
  return shared;
}

export function useMlClient(): MlClient {
  return getMlClient();
}

/** Backend and model state, re-rendering when either changes. */
export function useMlStatus(): MlStatus {
  const client = getMlClient();
  return useSyncExternalStore(client.subscribe, () => client.status);
}
