import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfusionMatrix, RocChart, useFormat } from '../charts';
import { bootstrapAucCI, metricsAt, rocCurve, type ModelCard } from '../../ml';
import type { SplitScores, TrainOutcome } from './train-protocol';
import { formatDuration } from './eta';
import CrossValidationPanel from './CrossValidationPanel';

function SplitMetrics({ title, split, card }: { title: string; split: SplitScores; card: ModelCard }) {
  const { t } = useTranslation('train');
  const f = useFormat();
  const data = useMemo(() => {
    const m = metricsAt(split.scores, split.labels, card.threshold);
    const roc = rocCurve(split.scores, split.labels);
    const ci = bootstrapAucCI(split.scores, split.labels, { resamples: 500 });
    const fpr = 1 - m.specificity;
    return { m, roc, ci, operating: Number.isFinite(fpr) && Number.isFinite(m.sensitivity) ? { fpr, tpr: m.sensitivity } : undefined };
  }, [split, card.threshold]);
  const negative = card.labels.find((l) => l !== card.positiveLabel) ?? '';
  return (
    <section className="panel" aria-label={title}>
      <h2>{title}</h2>
      <dl className="facts">
        <dt>{t('nImages')}</dt>
        <dd>{f.int(data.m.n)}</dd>
        <dt>AUC</dt>
        <dd>
          {f.num(data.m.auc)} {Number.isFinite(data.ci[0]) && t('ci95', { lo: f.num(data.ci[0]), hi: f.num(data.ci[1]) })}
        </dd>
        <dt>{t('accuracy')}</dt>
        <dd>{f.pct(data.m.accuracy)}</dd>
        <dt>{t('sensitivity')}</dt>
        <dd>{f.pct(data.m.sensitivity)}</dd>
        <dt>{t('specificity')}</dt>
        <dd>{f.pct(data.m.specificity)}</dd>
        <dt>{t('threshold')}</dt>
        <dd>{f.num(card.threshold)}</dd>
      </dl>
      <div className="chart-row">
        <RocChart points={data.roc} auc={data.m.auc} ci={data.ci} operating={data.operating} />
        <ConfusionMatrix positiveLabel={card.positiveLabel} negativeLabel={negative} confusion={data.m.confusion} />
      </div>
    </section>
  );
}

interface Props {
  outcome: TrainOutcome;
  name: string;
  onName(name: string): void;
  onSave(): void;
  onUse(): void;
  saving: boolean;
  savedId: string | null;
  saveError: string | null;
  isActive: boolean;
}

export default function TrainResults({ outcome, name, onName, onSave, onUse, saving, savedId, saveError, isActive }: Props) {
  const { t } = useTranslation('train');
  const { card } = outcome;
  return (
    <>
      <div className="panel">
        <h2>{t('resultsTitle')}</h2>
        <p>
          {t('trainedSummary', {
            epochs: outcome.history.length,
            best: outcome.bestEpoch,
            time: formatDuration(outcome.seconds),
            backend: outcome.backend,
          })}
          {outcome.stoppedEarly && ` ${t('stoppedEarly')}`}
          {card.training.mode === 'head' &&
            ` ${t('headSummary', { base: card.training.baseModel ?? '', views: card.training.augmentViews ?? 0, penalty: card.training.l2Penalty ?? '' })}`}
        </p>
        {card.training.finalFit && <p data-testid="train-final-fit">{t('finalFitNote', { images: card.training.finalFit.images })}</p>}
        <p className="muted">{t('resultsCaveat')}</p>
      </div>
      {card.training.crossValidation && <CrossValidationPanel cv={card.training.crossValidation} />}
      <SplitMetrics title={t('valMetrics')} split={outcome.val} card={card} />
      {outcome.test && outcome.test.scores.length > 0 ? (
        <SplitMetrics title={t('testMetrics')} split={outcome.test} card={card} />
      ) : (
        <p className="notice">{t('noTestSplit')}</p>
      )}
      <div className="panel">
        <h2>{t('saveTitle')}</h2>
        <div className="actions">
          <label className="field" style={{ minWidth: '18rem' }}>
            <span>{t('modelName')}</span>
            <input type="text" value={name} onChange={(e) => onName(e.currentTarget.value)} disabled={!!savedId} data-testid="train-name" />
          </label>
          <button type="button" className="primary" onClick={onSave} disabled={saving || !!savedId || !name.trim()} data-testid="train-save">
            {savedId ? t('saved') : saving ? t('saving') : t('save')}
          </button>
          <button type="button" onClick={onUse} disabled={!savedId || isActive} data-testid="train-use">
            {isActive ? t('inUse') : t('useForClassification')}
          </button>
        </div>
        <div aria-live="polite">
          {savedId && <p className="notice ok" data-testid="train-saved">{t('savedAs', { id: savedId })}</p>}
          {saveError && <p className="notice error">{saveError}</p>}
        </div>
      </div>
    </>
  );
}
