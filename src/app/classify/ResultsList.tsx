import { useEffect, useLayoutEffect, useRef, useState, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { useWindowVirtualizer } from '@tanstack/react-virtual';
import type { Card } from './cards';
import ResultStub from './ResultStub';

/** Up to this many cards are all rendered in full; above it only those near the viewport are. */
export const FULL_RENDER_LIMIT = 100;
/** About a finished card's height, so rows not yet measured rarely move when they turn full. */
const ESTIMATED_CARD_PX = 193;
/** New rows are put in the page this many per frame, so a drop of 1,000 files is not one long task. */
const MOUNT_PER_FRAME = 150;
/** Must equal the rows' CSS spacing (.results-virtual > li + li: var(--space-3)). */
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
  /** Cards kept in full wherever they are (e.g. an open heatmap, whose state lives in the card). */
  pinned?: Readonly<Record<string, unknown>>;
}

/**
 * Every result is in the page at all times, one element per card (CONTRACT.md:
 * scripts count and query `[data-testid="result"]`). Past FULL_RENDER_LIMIT,
 * a window virtualizer decides which rows are near the viewport: those render
 * the full card and are measured; every other row is a light ResultStub held
 * at the height the virtualizer has for it, so the normal-flow layout and the
 * virtualizer's model agree and scrolling stays put. Rows are memoized: a flush
 * of results re-renders only the rows whose card changed.
 */
export default function ResultsList({ cards, label, renderCard, pinned }: Props) {
  const { t } = useTranslation('classify');
  const listRef = useRef<HTMLUListElement>(null);
  const [margin, setMargin] = useState(0);
  const big = cards.length > FULL_RENDER_LIMIT;
  const mounted = useMountedCount(cards.length);
  // Reading the list's offset forces a layout of every row: only when rows are added, not on every flush of results.
  useLayoutEffect(() => {
    const el = listRef.current;
    if (el && big) setMargin(el.getBoundingClientRect().top + window.scrollY);
  }, [big, cards.length]);
  const virtualizer = useWindowVirtualizer({
    count: big ? cards.length : 0,
    estimateSize: () => ESTIMATED_CARD_PX,
    overscan: 6,
    gap: GAP_PX,
    scrollMargin: margin,
    getItemKey: (i) => cards[i].key,
  });
  if (!big)
    return (
      <ul ref={listRef} className="results" aria-label={label}>
        {cards.map((c) => renderCard(c))}
      </ul>
    );

  const near = new Set<number>();
  for (const row of virtualizer.getVirtualItems()) near.add(row.index);
  const sizes = virtualizer.measurementsCache;
  return (
    <ul ref={listRef} className="results results-virtual" aria-label={label}>
      {(mounted < cards.length ? cards.slice(0, mounted) : cards).map((card, i) =>
        near.has(i) || pinned?.[card.key] !== undefined ? (
          renderCard(card, { ref: virtualizer.measureElement, 'data-index': i })
        ) : (
          <ResultStub key={card.key} card={card} index={i} height={sizes[i]?.size ?? ESTIMATED_CARD_PX} t={t} />
        ),
      )}
    </ul>
  );
}

/**
 * How many rows are in the page: all of them, except for the few frames after
 * a big drop while its new rows are added MOUNT_PER_FRAME at a time.
 */
function useMountedCount(count: number): number {
  const [mounted, setMounted] = useState(Math.min(count, MOUNT_PER_FRAME));
  useEffect(() => {
    if (mounted > count) setMounted(count);
    if (mounted >= count) return;
    const id = requestAnimationFrame(() => setMounted((m) => Math.min(count, m + MOUNT_PER_FRAME)));
    return () => cancelAnimationFrame(id);
  }, [mounted, count]);
  return Math.min(mounted, count);
}
