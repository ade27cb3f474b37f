import { useTranslation } from 'react-i18next';
import { formatPercent } from './ResultCard';

/** The positive label's calibrated probability, with the operating threshold marked. */
export default function ProbabilityBar({ label, probability, threshold }: { label: string; probability: number; threshold: number }) {
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
        <div className="prob-threshold" style={{ left: `${threshold * 100}%` }} title={t('card.threshold', { threshold: formatPercent(threshold) })} />
      </div>
      <div className="prob-caption">
        <span>{t('card.probabilityOf', { label })}</span>
        <span>{t('card.threshold', { threshold: formatPercent(threshold) })}</span>
      </div>
    </div>
  );
}
