/** Promise API over the training worker; one worker per Training page visit. */
import type { BackendName } from '../../ml';
import { callback, connect, type Connection } from '../worker/rpc';
import type { TrainApi } from './train-worker';
import type { DatasetRequest, TrainOptions, TrainProgress } from './train-protocol';

export class TrainingCancelled extends Error {
  constructor() {
    super('training was cancelled');
    this.name = 'TrainingCancelled';
  }
}

/** An aborted run comes back as an AbortError; the page shows it as a cancellation, not a failure. */
const cancelled = (e: unknown): never => {
  throw (e as Error)?.name === 'AbortError' ? new TrainingCancelled() : e;
};

export class TrainClient {
  private connection: Connection<TrainApi>;

  constructor() {
    this.connection = connect<TrainApi>(new Worker(new URL('./train-worker.ts', import.meta.url), { type: 'module', name: 'radlens-train' }));
  }

  private get api() {
    return this.connection.api;
  }

  init(order?: BackendName[]) {
    return this.api.init(order);
  }

  /** Scans the picked folder (labels, patients, split, warnings, thumbnails). */
  dataset(request: DatasetRequest, onScan?: (done: number, total: number) => void) {
    return this.api.dataset(request, onScan && callback((done: number, total: number) => void onScan(done, total)));
  }

  train(options: TrainOptions, onEvent?: (event: TrainProgress) => void) {
    return this.api.train(options, onEvent && callback((e: TrainProgress) => void onEvent(e))).catch(cancelled);
  }

  /** Overtakes the running job (it is not queued behind it). */
  cancel() {
    return this.api.cancel();
  }

  save(name: string) {
    return this.api.save(name);
  }

  discard() {
    return this.api.discard();
  }

  dispose(): void {
    this.connection.terminate(new TrainingCancelled());
  }
}
