import { describe, expect, it } from 'vitest';
import { encode } from 'fast-png';
import type { Classification } from '../../ml';
import type { DecodedImage } from '../../imaging/types';
import { classifyChunk, type BatchHost } from './batch-session';
import type { DroppedFile, ClassifyEvent, ItemDescriptor } from './protocol';

function png(seed: number): DroppedFile {
  const side = 64;
  const data = new Uint8Array(side * side).map((_, i) => (i * 7 + seed * 13) % 251);
  const bytes = encode({ width: side, height: side, data, channels: 1, depth: 8 });
  return { name: `film-${seed}.png`, file: new Blob([bytes.slice()]) };
}

const answer = (image: DecodedImage) => ({ label: 'NORMAL', probability: 0.9, rows: image.rows }) as unknown as Classification;

/**
 * A worker host that logs what happened in which order; `failBatch` makes every
 * multi-image pass throw; `passMs` is how long the forward pass takes (the
 * thumbnails take 5 ms).
 */
function host(failBatch = false, passMs = 0) {
  const log: string[] = [];
  const events: ClassifyEvent[] = [];
  let passes = 0;
  const h: BatchHost = {
    emit: (e) => {
      events.push(e);
      log.push(e.kind);
    },
    async register(_image, files) {
      log.push(`register ${files[0]}`);
      await new Promise((r) => setTimeout(r, 5)); // the thumbnail's JPEG encoding, off-thread
      log.push(`registered ${files[0]}`);
      return { itemId: files[0], file: files[0], files } as ItemDescriptor;
    },
    async classifySingles(images) {
      passes++;
      log.push(`pass of ${images.length}`);
      if (passMs) await new Promise((r) => setTimeout(r, passMs));
      if (failBatch && images.length > 1) throw new Error('backend lost');
      return images.map(answer);
    },
    classifyVolume: () => Promise.reject(new Error('no volumes here')),
    guard: (work) => work(),
    backend: () => 'wasm',
    positiveLabel: () => 'PNEUMONIA',
  };
  return { h, log, events, passes: () => passes };
}

describe('classifyChunk (the streamed Classify path in the worker)', () => {
  it('runs the forward pass while the thumbnails encode, and sends each card with its result when the pass ended first', async () => {
    const { h, log, events, passes } = host();
    const summary = await classifyChunk(h, 1, [png(1), png(2), png(3)], true);
    expect(summary).toEqual({ items: 3, errors: 0, cancelled: false });
    expect(passes()).toBe(1);
    // The pass starts before the first thumbnail is done.
    expect(log.indexOf('pass of 3')).toBeLessThan(log.indexOf('registered film-1.png'));
    // The pass ended before any thumbnail: one message per card, with its result.
    expect(events.map((e) => e.kind)).toEqual(['item', 'item', 'item']);
    expect(events.map((e) => e.kind === 'item' && e.result?.itemId)).toEqual(['film-1.png', 'film-2.png', 'film-3.png']);
  });

  it('sends a card at once when its thumbnail is ready before the pass ends, and its result after', async () => {
    const { h, events } = host(false, 40);
    await classifyChunk(h, 4, [png(7), png(8)], true);
    expect(events.map((e) => e.kind)).toEqual(['item', 'item', 'item-result', 'item-result']);
    expect(events.every((e) => e.kind !== 'item' || e.result === undefined)).toBe(true);
  });

  it('reads each file itself, and a file that cannot be read fails alone with a clear message', async () => {
    const { h, events } = host();
    const gone = new Blob([]);
    Object.defineProperty(gone, 'arrayBuffer', { value: () => Promise.reject(new Error('NotReadableError')) });
    const summary = await classifyChunk(h, 3, [{ name: 'gone.png', file: gone }, png(6)], true);
    expect(summary).toEqual({ items: 1, errors: 1, cancelled: false });
    expect(events[0]).toMatchObject({ kind: 'file-error', file: 'gone.png' });
    expect(events[0].kind === 'file-error' && events[0].message).toMatch(/gone\.png: the file could not be read \(NotReadableError\)/);
    expect(events.filter((e) => e.kind === 'item-result' || (e.kind === 'item' && e.result))).toHaveLength(1);
  });

  it('falls back to one image at a time when the batch pass fails', async () => {
    const { h, events, passes } = host(true);
    const summary = await classifyChunk(h, 2, [png(4), png(5)], true);
    expect(summary.errors).toBe(0);
    expect(passes()).toBe(3);
    expect(events.filter((e) => e.kind === 'item-result')).toHaveLength(2);
  });
});
