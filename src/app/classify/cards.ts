import type { ClassifyEvent, ItemDescriptor, ItemResult } from '../worker/protocol';

export type CardStatus = 'pending' | 'done' | 'error' | 'ood';

/** One result card: a dropped file until the worker groups it, then an image or a series. */
export interface Card {
  key: string;
  batch: number;
  file: string;
  files: string[];
  status: CardStatus;
  error?: string;
  /** The decoder's error kind, for a summary in the user's language. */
  errorCode?: string;
  /**
   * decode: the file could not be read; analyse: the model failed on it;
   * batch: nothing could run (e.g. no model); cancelled: the user stopped the batch first.
   */
  errorScope?: 'decode' | 'analyse' | 'batch' | 'cancelled';
  item?: ItemDescriptor;
  result?: ItemResult;
}

export type CardAction =
  | { type: 'add'; batch: number; files: string[] }
  | { type: 'event'; batch: number; event: ClassifyEvent }
  /** Events that arrived together, applied in one pass (one render for many results). */
  | { type: 'events'; batch: number; events: ClassifyEvent[] }
  | { type: 'batch-failed'; batch: number; message: string }
  | { type: 'batch-cancelled'; batch: number; message: string }
  | { type: 'clear' };

export function cardsReducer(cards: Card[], action: CardAction): Card[] {
  switch (action.type) {
    case 'add':
      return [
        ...cards,
        ...action.files.map((file, i) => ({ key: `b${action.batch}-${i}`, batch: action.batch, file, files: [file], status: 'pending' as const })),
      ];
    case 'clear':
      return [];
    case 'batch-failed':
      return failPending(cards, action.batch, action.message, 'batch');
    case 'batch-cancelled':
      return failPending(cards, action.batch, action.message, 'cancelled');
    case 'event':
      return applyEvents(cards, action.batch, [action.event]);
    case 'events':
      return action.events.length ? applyEvents(cards, action.batch, action.events) : cards;
  }
}

function failPending(cards: Card[], batch: number, message: string, scope: 'batch' | 'cancelled'): Card[] {
  return cards.map((c) => (c.batch === batch && c.status === 'pending' ? { ...c, status: 'error', error: message, errorScope: scope } : c));
}

/**
 * Applies events with two indexes built once (card key → slot, pending file →
 * slots), so a flush costs O(cards + events) however many results it holds.
 */
const resultStatus = (result: ItemResult): Card['status'] => (result.result.ood ? 'ood' : 'done');

function applyEvents(cards: Card[], batch: number, events: ClassifyEvent[]): Card[] {
  const next: (Card | null)[] = cards.slice();
  const byKey = new Map<string, number>();
  const waiting = new Map<string, number[]>();
  next.forEach((c, i) => {
    if (!c) return;
    byKey.set(c.key, i);
    if (c.batch === batch && c.status === 'pending' && !c.item) {
      const list = waiting.get(c.file);
      if (list) list.push(i);
      else waiting.set(c.file, [i]);
    }
  });
  const takeWaiting = (file: string) => waiting.get(file)?.shift() ?? -1;
  const update = (i: number | undefined, patch: Partial<Card>) => {
    if (i === undefined || i < 0 || !next[i]) return;
    next[i] = { ...next[i]!, ...patch };
  };
  for (const event of events) {
    switch (event.kind) {
      case 'file-error':
        update(takeWaiting(event.file), { status: 'error', error: event.message, errorCode: event.code, errorScope: 'decode' });
        break;
      case 'item': {
        // The item takes the place of its first file's card; its other slices' cards go.
        const { item } = event;
        const slots = item.files.map(takeWaiting).filter((i) => i >= 0);
        const { result } = event;
        const card: Card = { key: item.itemId, batch, file: item.file, files: item.files, status: result ? resultStatus(result) : 'pending', item, ...(result ? { result } : {}) };
        if (!slots.length) {
          byKey.set(card.key, next.length);
          next.push(card);
          break;
        }
        const first = Math.min(...slots);
        for (const i of slots) next[i] = null;
        next[first] = card;
        byKey.set(card.key, first);
        break;
      }
      case 'item-result':
        update(byKey.get(event.result.itemId), { status: resultStatus(event.result), result: event.result });
        break;
      case 'item-error':
        update(byKey.get(event.itemId), { status: 'error', error: event.message, errorScope: 'analyse' });
        break;
      case 'progress':
      case 'backend-changed':
        break;
    }
  }
  return next.filter((c): c is Card => c !== null);
}
