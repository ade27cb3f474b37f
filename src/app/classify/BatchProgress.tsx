import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { addSample, progressFigures, type ProgressSample } from './batch-progress';

interface Props {
  done: number;
  total: number;
  onCancel(): void;
  cancelling: boolean;
}

/** done / total, results per second, time left, and Cancel, for the batches still running. */
export default function BatchProgress({ done, total, onCancel, cancelling }: Props) {
  const { t } = useTranslation('classify');
  const [samples, setSamples] = useState<ProgressSample[]>([]);
  useEffect(() => setSamples((s) => addSample(s, { t: performance.now(), done })), [done]);
  const f = progressFigures(samples, done, total);
  const eta = f.etaSeconds === null ? null : f.etaSeconds >= 60 ? t('progress.etaMinutes', { m: Math.floor(f.etaSeconds / 60), s: f.etaSeconds % 60 }) : t('progress.etaSeconds', { s: f.etaSeconds });
  return (
    <div className="batch-progress" role="status" data-testid="batch-progress" data-done={done} data-total={total}>
      <progress max={total} value={done} aria-label={t('progress.label')} />
      <span>{t('progress.text', { done, total })}</span>
      {f.rate !== null && <span className="progress-rate">{t('progress.rate', { rate: f.rate.toFixed(1) })}</span>}
      {eta && <span className="progress-eta">{t('progress.eta', { eta })}</span>}
      <button type="button" data-testid="batch-cancel" onClick={onCancel} disabled={cancelling}>
        {cancelling ? t('progress.cancelling') : t('progress.cancel')}
      </button>
    </div>
  );
}
