import type { DroppedFile, ChunkSummary, ClassifyEvent } from '../worker/protocol';

/**
 * A big drop as a bounded stream: files go to the worker a chunk at a time and
 * at most `inFlight` chunks are in its hands, so 5,000 films are never all in
 * memory, and the first chunk is small so its result shows at once. The
 * worker reads, decodes and classifies each chunk (batch-session.ts); the page
 * only hands over File handles.
 */

export interface ChunkClient {
  classifyChunk(batch: number, files: DroppedFile[], final: boolean, onEvent: (event: ClassifyEvent) => void): Promise<ChunkSummary>;
  cancelBatch(batch: number): Promise<unknown>;
}

export interface QueueOptions {
  /** Files in the first chunk: small, for a fast first result. */
  first: number;
  /** Files per later chunk: one forward pass for the single images among them. */
  chunk: number;
  /** Chunks read ahead of the worker. */
  inFlight: number;
}

/** 8 per chunk matches the bench's batch rate on WASM; 2 in flight keep the next chunk queued in the worker while it works on one. */
export const QUEUE_DEFAULTS: QueueOptions = { first: 2, chunk: 8, inFlight: 2 };

export interface BatchSummary {
  items: number;
  errors: number;
  cancelled: boolean;
}

export interface BatchRun {
  /** Stops reading, tells the worker to stop; `done` then resolves with cancelled: true. */
  cancel(): void;
  done: Promise<BatchSummary>;
}

const fileName = (f: File) => f.webkitRelativePath || f.name;

export function runBatch(client: ChunkClient, batch: number, files: File[], onEvent: (event: ClassifyEvent) => void, options: Partial<QueueOptions> = {}): BatchRun {
  const opts = { ...QUEUE_DEFAULTS, ...options };
  let cancelled = false;
  const summary: BatchSummary = { items: 0, errors: 0, cancelled: false };

  async function drive(): Promise<BatchSummary> {
    const running: Promise<void>[] = [];
    let next = 0;
    while (next < files.length && !cancelled) {
      const size = next === 0 ? opts.first : opts.chunk;
      const slice = files.slice(next, next + size);
      next += slice.length;
      const inputs = slice.map((file) => ({ name: fileName(file), file }));
      const final = next >= files.length;
      running.push(
        client.classifyChunk(batch, inputs, final, onEvent).then((r) => {
          summary.items += r.items;
          summary.errors += r.errors;
          if (r.cancelled) cancelled = true;
        }),
      );
      if (running.length >= opts.inFlight) await running.shift();
    }
    await Promise.all(running);
    summary.cancelled = cancelled;
    return summary;
  }

  return {
    cancel() {
      if (cancelled) return;
      cancelled = true;
      void client.cancelBatch(batch).catch(() => {});
    },
    done: drive(),
  };
}

/**
 * Collects events and hands them over in one call per frame (or per 100 ms
 * when frames are throttled), so hundreds of results cost one render, not
 * hundreds. Outside a burst (no frame-paced delivery in the last frame), up
 * to EAGER_PER_FRAME events per frame go out at the end of their task
 * instead: a single film sends its card and then its result, and waiting for
 * the next frame would add up to 16 ms to its drop → result. Once a burst is
 * on, every delivery waits for the frame, so a big drop renders once per frame.
 */
export const FRAME_MS = 16;
export const EAGER_PER_FRAME = 2;

export function coalesce<T>(deliver: (items: T[]) => void, maxDelayMs = 100): { push(item: T): void; flush(): void } {
  let buffer: T[] = [];
  let scheduled = false;
  let frame = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let eagerTimes: number[] = []; // the latest eager deliveries, newest last
  let lastPaced = -Infinity; // the latest delivery by frame or timer
  const flush = (eager = false) => {
    if (frame && typeof cancelAnimationFrame !== 'undefined') cancelAnimationFrame(frame);
    if (timer) clearTimeout(timer);
    frame = 0;
    timer = undefined;
    scheduled = false;
    if (!buffer.length) return;
    const items = buffer;
    buffer = [];
    const now = performance.now();
    if (eager) eagerTimes = [...eagerTimes, now].slice(-EAGER_PER_FRAME);
    else lastPaced = now;
    deliver(items);
  };
  return {
    push(item) {
      buffer.push(item);
      if (scheduled) return;
      scheduled = true;
      const now = performance.now();
      const quiet = now - lastPaced >= FRAME_MS;
      if (quiet && eagerTimes.filter((t) => now - t < FRAME_MS).length < EAGER_PER_FRAME) {
        queueMicrotask(() => {
          if (scheduled) flush(true);
        });
        return;
      }
      if (typeof requestAnimationFrame !== 'undefined') frame = requestAnimationFrame(() => flush());
      timer = setTimeout(() => flush(), maxDelayMs);
    },
    flush: () => flush(),
  };
}
