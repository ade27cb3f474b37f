import { useTranslation } from 'react-i18next';
import type { FrameScore } from '../worker/protocol';
import { formatPercent } from '../charts/format';

/** One bar per slice (positive probability); the threshold is a line; click or Enter picks a slice. */
export default function SliceScores({
  slices,
  positiveLabel,
  threshold,
  current,
  onPick,
}: {
  slices: FrameScore[];
  positiveLabel: string;
  threshold: number;
  current: number;
  onPick(frame: number): void;
}) {
  const { t } = useTranslation('classify');
  const w = 240, h = 60, bw = w / slices.length;
  return (
    <figure className="slice-scores">
      <svg width={w} height={h} viewBox={`0 0 ${w} ${h}`} role="img" aria-label={t('viewer.sliceChart', { label: positiveLabel, count: slices.length })}>
        {slices.map((s, i) => {
          const p = s.scores[positiveLabel] ?? 0;
          return (
            <rect
              key={i}
              x={i * bw}
              y={h - p * h}
              width={Math.max(bw - 1, 1)}
              height={Math.max(p * h, 1)}
              className={i === current ? 'current' : s.ood ? 'ood' : p >= threshold ? 'above' : 'below'}
              onClick={() => onPick(i)}
            >
              <title>{t('viewer.thisSlice', { slice: i + 1, p: formatPercent(p), label: positiveLabel })}</title>
            </rect>
          );
        })}
        <line x1={0} x2={w} y1={h - threshold * h} y2={h - threshold * h} className="threshold" />
      </svg>
    </figure>
  );
}
