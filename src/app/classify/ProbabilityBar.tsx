import { useTranslation } from 'react-i18next';
import { formatPercent } from '../charts/format';

/** The positive label's calibrated probability, with the operating threshold marked. */
export default function ProbabilityBar({
  label,
  probability,
  threshold,
  band,
}: {
  label: string;
  probability: number;
  threshold: number;
  band?: { low: number; high: number };
}) {
  const { t } = useTranslation('classify');
  const pct = Math.min(Math.max(probability, 0), 1) * 100;
  return (
    <div className="prob">
      <div
        className="prob-bar"
        role="meter"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(pct)}
        aria-label={t('card.probabilityOf', { label })}
        aria-valuetext={t('card.barText', { label, p: formatPercent(probability), threshold: formatPercent(threshold) })}
      >
        <div className={`prob-fill ${probability >= threshold ? 'above' : 'below'}`} style={{ width: `${pct}%` }} />
        {band && (
          <div
            className="prob-band"
            style={{ left: `${band.low * 100}%`, width: `${Math.max(0, band.high - band.low) * 100}%` }}
            title={t('card.unsureBand', { low: formatPercent(band.low), high: formatPercent(band.high) })}
          />
        )}
        <div className="prob-threshold" style={{ left: `${threshold * 100}%` }} title={t('card.threshold', { threshold: formatPercent(threshold) })} />
      </div>
      <div className="prob-caption">
        <span>{t('card.probabilityOf', { label })}</span>
        {band && <span className="prob-band-key">{t('card.unsureBand', { low: formatPercent(band.low), high: formatPercent(band.high) })}</span>}
        <span>{t('card.threshold', { threshold: formatPercent(threshold) })}</span>
      </div>
    </div>
  );
}
