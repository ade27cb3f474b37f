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
  /** decode: the file could not be read; analyse: the model failed on it; batch: nothing could run (e.g. no model). */
  errorScope?: 'decode' | 'analyse' | 'batch';
  item?: ItemDescriptor;
  result?: ItemResult;
}

export type CardAction =
  | { type: 'add'; batch: number; files: string[] }
  | { type: 'event'; batch: number; event: ClassifyEvent }
  | { type: 'batch-failed'; batch: number; message: string }
  | { type: 'clear' };

function pendingIndex(cards: Card[], batch: number, file: string): number {
  return cards.findIndex((c) => c.batch === batch && c.status === 'pending' && !c.item && c.file === file);
}

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
      return cards.map((c) => (c.batch === action.batch && c.status === 'pending' ? { ...c, status: 'error', error: action.message, errorScope: 'batch' } : c));
    case 'event':
      return applyEvent(cards, action.batch, action.event);
  }
}

function applyEvent(cards: Card[], batch: number, event: ClassifyEvent): Card[] {
  switch (event.kind) {
    case 'progress':
      return cards;
    case 'file-error': {
      const i = pendingIndex(cards, batch, event.file);
      if (i < 0) return cards;
      const next = cards.slice();
      next[i] = { ...next[i], status: 'error', error: event.message, errorCode: event.code, errorScope: 'decode' };
      return next;
    }
    case 'item': {
      const { item } = event;
      // The item takes the place of its first file's card; its other slices' cards go.
      const indices = item.files.map((f) => pendingIndex(cards, batch, f)).filter((i) => i >= 0);
      const card: Card = { key: item.itemId, batch, file: item.file, files: item.files, status: 'pending', item };
      if (!indices.length) return [...cards, card];
      const first = Math.min(...indices);
      const drop = new Set(indices);
      return cards.flatMap((c, i) => (i === first ? [card] : drop.has(i) ? [] : [c]));
    }
    case 'item-result':
      return cards.map((c) =>
        c.key === event.result.itemId ? { ...c, status: event.result.result.ood ? 'ood' : 'done', result: event.result } : c,
      );
    case 'item-error':
      return cards.map((c) => (c.key === event.itemId ? { ...c, status: 'error', error: event.message, errorScope: 'analyse' } : c));
  }
}
