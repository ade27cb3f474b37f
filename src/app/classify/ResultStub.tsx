import { memo } from 'react';
import type { TFunction } from 'i18next';
import type { Card } from './cards';
import { resultAttrs, resultLine } from './result-attrs';

interface Props {
  card: Card;
  index: number;
  /** The height the list's virtualizer holds for this row, so the layout and its model agree. */
  height: number;
  t: TFunction;
}

/**
 * A result far from the viewport: the same `data-testid="result"` element and
 * attributes as the full card, with one line of text, at a fixed height. It
 * keeps every result in the page for scripts, find-in-page and screen readers
 * at a fraction of a card's cost (no thumbnail, bar or buttons).
 */
function ResultStub({ card, index, height, t }: Props) {
  return (
    <li className={`result-stub status-${card.status}`} data-testid="result" {...resultAttrs(card)} data-index={index} style={{ height }} aria-busy={card.status === 'pending'}>
      {resultLine(card, t)}
    </li>
  );
}

export default memo(ResultStub);
