import { describe, expect, it } from 'vitest';
import { coalesce, runBatch, type ChunkClient } from './batch-queue';
import type { DroppedFile, ClassifyEvent } from '../worker/protocol';

function files(n: number): File[] {
  return Array.from({ length: n }, (_, i) => new File([new Uint8Array([i])], `f${i}.png`));
}

/** A worker stand-in that records what it was given and how many chunks it held at once. */
function fakeWorker(delayMs = 5) {
  const chunks: { names: string[]; final: boolean }[] = [];
  let open = 0;
  let maxOpen = 0;
  let cancelled = false;
  const client: ChunkClient = {
    async classifyChunk(_batch, inputs: DroppedFile[], final, onEvent) {
      open++;
      maxOpen = Math.max(maxOpen, open);
      chunks.push({ names: inputs.map((f) => f.name), final });
      await new Promise((r) => setTimeout(r, delayMs));
      open--;
      if (cancelled) return { items: 0, errors: 0, cancelled: true };
      for (const f of inputs) onEvent({ kind: 'file-error', file: f.name, message: 'x' });
      return { items: inputs.length, errors: 0, cancelled: false };
    },
    async cancelBatch() {
      cancelled = true;
    },
  };
  return { client, chunks, maxOpen: () => maxOpen };
}

describe('runBatch', () => {
  it('streams a big drop in small chunks, never more than inFlight at once, the last one final', async () => {
    const w = fakeWorker();
    const events: ClassifyEvent[] = [];
    const run = runBatch(w.client, 1, files(37), (e) => events.push(e), { first: 2, chunk: 8, inFlight: 2 });
    const summary = await run.done;
    expect(w.chunks.map((c) => c.names.length)).toEqual([2, 8, 8, 8, 8, 3]);
    expect(w.chunks.map((c) => c.final)).toEqual([false, false, false, false, false, true]);
    expect(w.chunks.flatMap((c) => c.names)).toEqual(files(37).map((f) => f.name));
    expect(w.maxOpen()).toBeLessThanOrEqual(2);
    expect(summary).toEqual({ items: 37, errors: 0, cancelled: false });
    expect(events).toHaveLength(37);
  });

  it('stops reading on cancel and says so; what finished before stays reported', async () => {
    const w = fakeWorker(20);
    const events: ClassifyEvent[] = [];
    const run = runBatch(w.client, 1, files(200), (e) => events.push(e));
    await new Promise((r) => setTimeout(r, 30));
    run.cancel();
    const summary = await run.done;
    expect(summary.cancelled).toBe(true);
    expect(w.chunks.length).toBeLessThan(5);
    expect(events.length).toBeGreaterThan(0);
    expect(events.length).toBeLessThan(200);
  });

  it('hands the worker File handles and never reads a byte on the page', async () => {
    const w = fakeWorker();
    const untouchable = new File([], 'film.png');
    Object.defineProperty(untouchable, 'arrayBuffer', { value: () => Promise.reject(new Error('read on the main thread')) });
    const seen: DroppedFile[] = [];
    const client = { ...w.client, classifyChunk: (b: number, f: DroppedFile[], fin: boolean, on: (e: ClassifyEvent) => void) => (seen.push(...f), w.client.classifyChunk(b, f, fin, on)) };
    const summary = await runBatch(client, 1, [untouchable, ...files(2)], () => {}).done;
    expect(summary.errors).toBe(0);
    expect(seen[0]).toEqual({ name: 'film.png', file: untouchable });
  });
});

describe('coalesce', () => {
  it('delivers many pushes in one call, and flush hands over what is left', async () => {
    const calls: number[][] = [];
    const c = coalesce<number>((items) => calls.push(items), 10);
    for (let i = 0; i < 50; i++) c.push(i);
    await new Promise((r) => setTimeout(r, 30));
    c.push(99);
    c.flush();
    expect(calls).toEqual([Array.from({ length: 50 }, (_, i) => i), [99]]);
  });

  it('hands a card and its result over at the end of their tasks, and holds a burst for a frame', async () => {
    const calls: number[][] = [];
    const c = coalesce<number>((items) => calls.push(items), 40);
    c.push(1); // a film's card
    expect(calls).toEqual([]);
    await Promise.resolve();
    expect(calls).toEqual([[1]]);
    c.push(2); // its result, in the next message
    await Promise.resolve();
    expect(calls).toEqual([[1], [2]]);
    // The allowance for this frame is spent: the rest waits and goes out together (frame or fallback timer).
    c.push(3);
    c.push(4);
    await Promise.resolve();
    expect(calls).toEqual([[1], [2]]);
    await new Promise((r) => setTimeout(r, 60));
    expect(calls).toEqual([[1], [2], [3, 4]]);
  });

  it('once a burst is paced by frames, the next event waits for the frame too', async () => {
    const calls: number[][] = [];
    const c = coalesce<number>((items) => calls.push(items), 30);
    for (const i of [1, 2, 3]) {
      c.push(i);
      await Promise.resolve();
    }
    while (calls.length < 3) await new Promise((r) => setTimeout(r, 1)); // 3 goes out by the timer: a paced delivery
    expect(calls).toEqual([[1], [2], [3]]);
    c.push(4); // right after a paced delivery
    await Promise.resolve();
    expect(calls).toEqual([[1], [2], [3]]);
    await new Promise((r) => setTimeout(r, 40));
    expect(calls).toEqual([[1], [2], [3], [4]]);
  });
});
