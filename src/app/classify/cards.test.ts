import { describe, expect, it } from 'vitest';
import { cardsReducer, type Card } from './cards';
import type { ItemDescriptor, ItemResult } from '../worker/protocol';

const thumb = { width: 1, height: 1, rgba: new Uint8ClampedArray(4) };
function item(itemId: string, files: string[]): ItemDescriptor {
  return { itemId, file: files[0], files, frames: files.length, kind: files.length > 1 ? 'volume' : 'image', rows: 1, columns: 1, modality: null, format: 'png', thumbnail: thumb, warnings: [] };
}
function result(itemId: string, ood = false): ItemResult {
  return { itemId, backend: 'cpu', positiveLabel: 'A', result: { label: ood ? null : 'A', probability: 0.9, scores: { A: 0.9, B: 0.1 }, threshold: 0.5, unsure: false, ood, model: 'm@1' } };
}

describe('cardsReducer', () => {
  it('keeps earlier cards when a batch is added and fails only the bad file', () => {
    let cards: Card[] = cardsReducer([], { type: 'add', batch: 1, files: ['a.png'] });
    cards = cardsReducer(cards, { type: 'event', batch: 1, event: { kind: 'item', item: item('item-1', ['a.png']) } });
    cards = cardsReducer(cards, { type: 'event', batch: 1, event: { kind: 'item-result', result: result('item-1') } });
    cards = cardsReducer(cards, { type: 'add', batch: 2, files: ['b.txt', 'c.png'] });
    cards = cardsReducer(cards, { type: 'event', batch: 2, event: { kind: 'file-error', file: 'b.txt', message: 'not an image' } });
    expect(cards.map((c) => [c.file, c.status])).toEqual([['a.png', 'done'], ['b.txt', 'error'], ['c.png', 'pending']]);
    expect(cards[1].error).toBe('not an image');
  });

  it('takes a card that comes with its result as answered, the same as the two events', () => {
    const added = cardsReducer([], { type: 'add', batch: 1, files: ['a.png', 'b.png'] });
    const together = cardsReducer(added, { type: 'events', batch: 1, events: [
      { kind: 'item', item: item('item-1', ['a.png']), result: result('item-1') },
      { kind: 'item', item: item('item-2', ['b.png']), result: result('item-2', true) },
    ] });
    const apart = cardsReducer(added, { type: 'events', batch: 1, events: [
      { kind: 'item', item: item('item-1', ['a.png']) }, { kind: 'item-result', result: result('item-1') },
      { kind: 'item', item: item('item-2', ['b.png']) }, { kind: 'item-result', result: result('item-2', true) },
    ] });
    expect(together.map((c) => [c.file, c.status])).toEqual([['a.png', 'done'], ['b.png', 'ood']]);
    expect(together).toEqual(apart);
  });

  it('merges the slices of a series into one card in place of the first', () => {
    let cards: Card[] = cardsReducer([], { type: 'add', batch: 1, files: ['x.png', 's1.dcm', 's2.dcm', 's3.dcm'] });
    cards = cardsReducer(cards, { type: 'event', batch: 1, event: { kind: 'item', item: item('item-9', ['s2.dcm', 's1.dcm', 's3.dcm']) } });
    expect(cards.map((c) => c.key)).toEqual(['b1-0', 'item-9']);
    cards = cardsReducer(cards, { type: 'event', batch: 1, event: { kind: 'item-result', result: result('item-9', true) } });
    expect(cards[1].status).toBe('ood');
  });

  it('marks what is still pending when the whole batch fails', () => {
    let cards: Card[] = cardsReducer([], { type: 'add', batch: 1, files: ['a.png', 'b.png'] });
    cards = cardsReducer(cards, { type: 'batch-failed', batch: 1, message: 'no model' });
    expect(cards.every((c) => c.status === 'error' && c.error === 'no model')).toBe(true);
  });
});

describe('cardsReducer with many events at once', () => {
  it('applies a flush of results in one pass, same as one by one', () => {
    const files = Array.from({ length: 300 }, (_, i) => `f${i}.png`);
    const events = files.flatMap((f, i) => [
      { kind: 'item' as const, item: item(`item-${i}`, [f]) },
      i % 7 === 0 ? { kind: 'item-error' as const, itemId: `item-${i}`, message: 'model failed' } : { kind: 'item-result' as const, result: result(`item-${i}`, i % 5 === 0) },
    ]);
    const start = cardsReducer([], { type: 'add', batch: 1, files });
    const bulk = cardsReducer(start, { type: 'events', batch: 1, events });
    const single = events.reduce((c, event) => cardsReducer(c, { type: 'event', batch: 1, event }), start);
    expect(bulk).toEqual(single);
    expect(bulk.map((c) => c.file)).toEqual(files);
    expect(bulk.filter((c) => c.status === 'error')).toHaveLength(43);
  });

  it('cancelling marks only what never finished, and says why', () => {
    let cards: Card[] = cardsReducer([], { type: 'add', batch: 1, files: ['a.png', 'b.png'] });
    cards = cardsReducer(cards, { type: 'events', batch: 1, events: [{ kind: 'item', item: item('item-1', ['a.png']) }, { kind: 'item-result', result: result('item-1') }] });
    cards = cardsReducer(cards, { type: 'batch-cancelled', batch: 1, message: 'cancelled' });
    expect(cards.map((c) => [c.status, c.errorScope])).toEqual([['done', undefined], ['error', 'cancelled']]);
  });
});
