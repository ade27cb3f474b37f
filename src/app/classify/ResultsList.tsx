import { useLayoutEffect, useRef, useState, type ReactElement } from 'react';
import { useWindowVirtualizer } from '@tanstack/react-virtual';
import type { Card } from './cards';

/** Up to this many cards all stay in the page; above it only those near the viewport are rendered. */
export const FULL_RENDER_LIMIT = 100;
const ESTIMATED_CARD_PX = 190;
const GAP_PX = 12;

export interface RowProps {
  ref?: (el: HTMLLIElement | null) => void;
  style?: React.CSSProperties;
  'data-index'?: number;
}

interface Props {
  cards: Card[];
  label: string;
  renderCard(card: Card, row?: RowProps): ReactElement;
}

/**
 * The results, with a cost that does not grow with their number once past
 * FULL_RENDER_LIMIT: a window virtualizer renders the cards on screen (plus a
 * margin) and measures their real height, so an opened heatmap still fits.
 * Small batches stay fully in the page for search, print and simple checks.
 */
export default function ResultsList({ cards, label, renderCard }: Props) {
  if (cards.length <= FULL_RENDER_LIMIT)
    return (
      <ul className="results" aria-label={label}>
        {cards.map((c) => renderCard(c))}
      </ul>
    );
  return <VirtualResults cards={cards} label={label} renderCard={renderCard} />;
}

function VirtualResults({ cards, label, renderCard }: Props) {
  const listRef = useRef<HTMLUListElement>(null);
  const [margin, setMargin] = useState(0);
  useLayoutEffect(() => {
    const el = listRef.current;
    if (el) setMargin(el.getBoundingClientRect().top + window.scrollY);
  });
  const virtualizer = useWindowVirtualizer({
    count: cards.length,
    estimateSize: () => ESTIMATED_CARD_PX,
    overscan: 6,
    gap: GAP_PX,
    scrollMargin: margin,
    getItemKey: (i) => cards[i].key,
  });
  const rows = virtualizer.getVirtualItems();
  return (
    <ul
      ref={listRef}
      className="results results-virtual"
      aria-label={label}
      aria-rowcount={cards.length}
      style={{ height: virtualizer.getTotalSize(), position: 'relative' }}
    >
      {rows.map((row) =>
        renderCard(cards[row.index], {
          ref: virtualizer.measureElement,
          'data-index': row.index,
          style: { position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${row.start - virtualizer.options.scrollMargin}px)` },
        }),
      )}
    </ul>
  );
}
