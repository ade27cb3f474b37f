import { useTranslation } from 'react-i18next';
import { LineChart } from '../charts';
import type { EpochStats } from '../../ml';
import { etaSeconds, formatDuration } from './eta';
import type { TrainProgress } from './train-protocol';

export interface ProgressState {
  phase: Extract<TrainProgress, { kind: 'phase' }>['phase'];
  done?: number;
  total?: number;
  /** performance.now() when this phase began, for the ETA. */
  phaseStarted: number;
  history: EpochStats[];
  epochs: number;
}

interface Props {
  progress: ProgressState;
  running: boolean;
  onCancel?: () => void;
  now: number;
}

export default function TrainProgressView({ progress, running, onCancel, now }: Props) {
  const { t } = useTranslation('train');
  const { history, epochs, phase } = progress;
  const elapsed = (now - progress.phaseStarted) / 1000;
  let fraction: number | undefined;
  let eta: number | null = null;
  if (phase === 'epochs') {
    fraction = epochs ? history.length / epochs : undefined;
    const spent = history.reduce((s, h) => s + h.seconds, 0);
    eta = history.length ? etaSeconds(history.length, epochs, spent) : null;
  } else if (progress.total) {
    fraction = (progress.done ?? 0) / progress.total;
    eta = etaSeconds(progress.done ?? 0, progress.total, elapsed);
  }
  const x = history.map((h) => h.epoch);
  const series = (pick: (h: EpochStats) => number) => history.map((h) => (Number.isFinite(pick(h)) ? pick(h) : null));
  return (
    <div className="panel">
      <h2>{t('progressTitle')}</h2>
      {running && (
        <>
          <p aria-live="polite" data-testid="train-phase">
            {t(`phase_${phase}`)}
            {progress.total ? ` — ${progress.done ?? 0} / ${progress.total}` : ''}
            {phase === 'epochs' ? ` — ${t('epochOf', { epoch: history.length, epochs })}` : ''}
            {eta != null ? ` — ${t('eta', { time: formatDuration(eta) })}` : ''}
          </p>
          <progress max={1} value={fraction} aria-label={t('progressTitle')} />
          <div className="actions" style={{ marginTop: 'var(--space-2)' }}>
            <button type="button" onClick={onCancel} data-testid="train-cancel">
              {t('cancel')}
            </button>
          </div>
        </>
      )}
      {x.length > 0 && (
        <div className="chart-row" style={{ marginTop: 'var(--space-3)' }}>
          <LineChart
            title={t('chartLoss')}
            xLabel={t('epoch')}
            yLabel={t('loss')}
            series={[
              { name: t('train'), values: series((h) => h.loss) },
              { name: t('validation'), values: series((h) => h.valLoss) },
            ]}
          />
          <LineChart
            title={t('chartAccuracy')}
            xLabel={t('epoch')}
            yLabel={t('accuracy')}
            yDomain={[0, 1]}
            series={[
              { name: t('train'), values: series((h) => h.acc) },
              { name: t('validation'), values: series((h) => h.valAcc) },
            ]}
          />
          <LineChart title={t('chartValAuc')} xLabel={t('epoch')} yLabel="AUC" yDomain={[0, 1]} series={[{ name: t('validation'), values: series((h) => h.valAuc) }]} />
        </div>
      )}
    </div>
  );
}
