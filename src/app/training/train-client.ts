/** Promise API over the training worker; one worker per Training page visit. */
import type { TrainProgress, TrainRequest, TrainResponse, TrainResponseMap } from './train-protocol';

type Distribute<T> = T extends { type: infer K } ? Omit<T, 'id'> & { type: K } : never;

export class TrainingCancelled extends Error {
  constructor() {
    super('training was cancelled');
    this.name = 'TrainingCancelled';
  }
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  onEvent?: (e: TrainProgress) => void;
}

export class TrainClient {
  private worker: Worker;
  private nextId = 1;
  private pending = new Map<number, Pending>();

  constructor() {
    this.worker = new Worker(new URL('./train-worker.ts', import.meta.url), { type: 'module', name: 'radlens-train' });
    this.worker.onmessage = (e: MessageEvent<TrainResponse>) => this.receive(e.data);
    this.worker.onerror = (e) => {
      const error = new Error(e.message || 'the training worker failed to start');
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
    };
  }

  private receive(msg: TrainResponse): void {
    const p = this.pending.get(msg.id);
    if (!p) return;
    if (msg.type === 'event') return p.onEvent?.(msg.event);
    this.pending.delete(msg.id);
    if (msg.type === 'result') p.resolve(msg.value);
    else p.reject(msg.cancelled ? new TrainingCancelled() : new Error(msg.message));
  }

  call<K extends keyof TrainResponseMap>(
    request: Extract<Distribute<TrainRequest>, { type: K }>,
    onEvent?: (e: TrainProgress) => void,
  ): Promise<TrainResponseMap[K]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, onEvent });
      this.worker.postMessage({ ...request, id });
    });
  }

  dispose(): void {
    this.worker.terminate();
    for (const p of this.pending.values()) p.reject(new TrainingCancelled());
    this.pending.clear();
  }
}
