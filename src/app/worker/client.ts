/**
 * Promise API over the ML worker. One worker per page (it owns tfjs and the
 * loaded model); every page shares it through `useMlClient()`.
 */
import { useSyncExternalStore } from 'react';
import type {
  BackendInfo,
  ClassifyEvent,
  EvaluateRow,
  Heatmap,
  InputFile,
  LabelledFile,
  LoadedModelInfo,
  Request,
  Response,
  ResponseMap,
} from './protocol';
import type { DecodedImage } from '../../imaging/types';
// Type-only: the page's main thread must not pull tfjs in (the worker owns it).
import type { BackendName } from '../../ml/runtime';

const BACKENDS: BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];
import type { ModelRef } from '../state/model-ref';
import { refKey } from '../state/model-ref';

export interface MlStatus {
  backend: BackendInfo | null;
  backendError: string | null;
  model: LoadedModelInfo | null;
  modelLoading: ModelRef | null;
  modelError: { ref: ModelRef; message: string } | null;
}

type Pending = {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  onEvent?: (event: ClassifyEvent) => void;
};

type Distribute<T> = T extends { type: infer K } ? Omit<T, 'id'> & { type: K } : never;

export class MlClient {
  private worker: Worker | null = null;
  private nextId = 1;
  private pending = new Map<number, Pending>();
  private listeners = new Set<() => void>();
  private initPromise: Promise<BackendInfo> | null = null;
  private modelPromise: { key: string; promise: Promise<LoadedModelInfo> } | null = null;
  status: MlStatus = { backend: null, backendError: null, model: null, modelLoading: null, modelError: null };

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./ml.worker.ts', import.meta.url), { type: 'module', name: 'radlens-ml' });
    worker.onmessage = (e: MessageEvent<Response>) => this.receive(e.data);
    worker.onerror = (e) => {
      const message = e.message || 'the ML worker failed to start';
      for (const p of this.pending.values()) p.reject(new Error(message));
      this.pending.clear();
      this.setStatus({ backendError: message });
    };
    this.worker = worker;
    return worker;
  }

  private receive(msg: Response): void {
    const p = this.pending.get(msg.id);
    if (!p) return;
    if (msg.type === 'event') {
      const event = msg.event as ClassifyEvent;
      // A backend recovered mid-batch: every page shows the one now in use.
      if (event.kind === 'backend-changed') this.setStatus({ backend: { backend: event.change.backend, attempts: event.change.attempts } });
      p.onEvent?.(event);
      return;
    }
    this.pending.delete(msg.id);
    if (msg.type === 'result') p.resolve(msg.value);
    else p.reject(new Error(msg.message));
  }

  private call<K extends keyof ResponseMap>(
    request: Extract<Distribute<Request>, { type: K }>,
    transfer: Transferable[] = [],
    onEvent?: (event: ClassifyEvent) => void,
  ): Promise<ResponseMap[K]> {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise<ResponseMap[K]>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, onEvent });
      worker.postMessage({ ...request, id }, transfer);
    });
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private setStatus(patch: Partial<MlStatus>): void {
    this.status = { ...this.status, ...patch };
    for (const l of this.listeners) l();
  }

  /** Picks the tfjs backend (webgpu → webgl → wasm → cpu) once per page. */
  init(): Promise<BackendInfo> {
    this.initPromise ??= this.call({ type: 'init', order: backendOrderFromUrl() }).then(
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
    const promise = this.init()
      .then(() => this.call({ type: 'loadModel', ref, force: options.force }))
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

  /**
   * Decodes, groups (DICOM series) and classifies `files` one at a time; a bad
   * file only produces its own `file-error` event. Resolves when all are done.
   */
  async classifyFiles(files: File[], onEvent: (event: ClassifyEvent) => void): Promise<ResponseMap['classify']> {
    await this.currentModel();
    const inputs = await readFiles(files);
    return this.call({ type: 'classify', files: inputs }, inputs.map((f) => f.bytes), onEvent);
  }

  /** One chunk of a streamed batch (src/app/classify/batch-queue.ts); the bytes are transferred. */
  async classifyChunk(batch: number, files: InputFile[], final: boolean, onEvent: (event: ClassifyEvent) => void): Promise<ResponseMap['classifyChunk']> {
    await this.currentModel();
    return this.call({ type: 'classifyChunk', batch, files, final }, files.map((f) => f.bytes), onEvent);
  }

  /** Stops a streamed batch: the worker handles this ahead of its queue. */
  cancelBatch(batch: number): Promise<ResponseMap['cancel']> {
    return this.call({ type: 'cancel', batch });
  }

  /** Scores labelled files with the active model, for site validation (no series grouping). */
  async evaluateFiles(
    files: { file: File; label: string }[],
    onProgress?: (done: number, total: number) => void,
  ): Promise<EvaluateRow[]> {
    await this.currentModel();
    const inputs: LabelledFile[] = [];
    for (const { file, label } of files) inputs.push({ name: file.webkitRelativePath || file.name, bytes: await file.arrayBuffer(), label });
    return this.call(
      { type: 'evaluate', files: inputs },
      inputs.map((f) => f.bytes),
      (e) => {
        if (e.kind === 'progress') onProgress?.(e.done, e.total);
      },
    );
  }

  /** Grad-CAM for one classified item (frame = slice index for volumes). */
  explain(itemId: string, frame = 0): Promise<Heatmap> {
    return this.call({ type: 'explain', itemId, frame });
  }

  /** The decoded pixels of an item, for the viewer. */
  getImage(itemId: string): Promise<DecodedImage> {
    return this.call({ type: 'getImage', itemId });
  }

  /** Drops decoded images the page no longer shows (all when no ids). */
  forget(itemIds?: string[]): Promise<{ forgotten: number }> {
    return this.call({ type: 'forget', itemIds });
  }
}

async function readFiles(files: File[]): Promise<InputFile[]> {
  const out: InputFile[] = [];
  for (const file of files) out.push({ name: file.webkitRelativePath || file.name, bytes: await file.arrayBuffer() });
  return out;
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
