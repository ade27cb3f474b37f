import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { thresholdForSensitivity } from '../../ml';
import type { SiteData } from './site-metrics';

interface Props {
  threshold: number;
  onThreshold(t: number): void;
  data: SiteData;
  cardThreshold: number;
}

/** A new operating threshold: by slider, typed, or computed from a target sensitivity. */
export default function ThresholdControl({ threshold, onThreshold, data, cardThreshold }: Props) {
  const { t } = useTranslation('validate');
  const [target, setTarget] = useState('90');
  const [targetError, setTargetError] = useState<string | null>(null);
  function applyTarget() {
    const v = Number(target) / 100;
    if (!(v > 0 && v <= 1)) return setTargetError(t('targetInvalid'));
    try {
      onThreshold(thresholdForSensitivity(data.scores, data.labels, v));
      setTargetError(null);
    } catch (e) {
      setTargetError((e as Error).message);
    }
  }
  return (
    <div className="field-grid">
      <label className="field">
        <span>{t('threshold')}</span>
        <input
          type="range"
          min={0}
          max={1}
          step={0.001}
          value={threshold}
          onChange={(e) => onThreshold(Number(e.currentTarget.value))}
          data-testid="validate-threshold"
        />
        <input
          type="number"
          min={0}
          max={1}
          step={0.001}
          value={Number(threshold.toFixed(4))}
          aria-label={t('thresholdExact')}
          onChange={(e) => {
            const v = Number(e.currentTarget.value);
            if (v >= 0 && v <= 1) onThreshold(v);
          }}
        />
        <small>
          {t('cardThreshold', { value: cardThreshold.toFixed(3) })}{' '}
          <button type="button" onClick={() => onThreshold(cardThreshold)}>
            {t('resetThreshold')}
          </button>
        </small>
      </label>
      <div className="field">
        <label htmlFor="target-sensitivity">{t('targetSensitivity')}</label>
        <div className="actions">
          <input
            id="target-sensitivity"
            type="number"
            min={1}
            max={100}
            step={1}
            value={target}
            onChange={(e) => setTarget(e.currentTarget.value)}
            style={{ width: '6rem' }}
          />
          <span>%</span>
          <button type="button" onClick={applyTarget}>
            {t('computeThreshold')}
          </button>
        </div>
        <small>{targetError ?? t('targetHelp')}</small>
      </div>
    </div>
  );
}
