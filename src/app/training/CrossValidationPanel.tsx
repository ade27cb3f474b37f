import { useTranslation } from 'react-i18next';
import { useFormat } from '../charts';
import type { ModelCard } from '../../ml';

type CrossValidation = NonNullable<ModelCard['training']['crossValidation']>;

/**
 * The AUC over patient-disjoint folds of the training split: every fold's
 * value, their mean with its 95 % CI, and the "too small to trust" notice when
 * that CI is wider than the stated limit. Shown above the single validation
 * split so one split's number is never read alone.
 */
export default function CrossValidationPanel({ cv }: { cv: CrossValidation }) {
  const { t } = useTranslation('train');
  const f = useFormat();
  return (
    <section className="panel" aria-label={t('cvTitle', { folds: cv.folds })} data-testid="train-cv">
      <h2>{t('cvTitle', { folds: cv.folds })}</h2>
      <dl className="facts">
        <dt>{t('cvMean')}</dt>
        <dd data-testid="train-cv-mean">
          {f.num(cv.mean)} {t('ci95', { lo: f.num(cv.ci95[0]), hi: f.num(cv.ci95[1]) })}
        </dd>
        <dt>{t('cvFolds')}</dt>
        <dd data-testid="train-cv-folds">
          {cv.aucs.map((a, i) => `${f.num(a)} (n ${f.int(cv.foldSizes[i] ?? 0)})`).join(' · ')}
        </dd>
        <dt>{t('cvPooled')}</dt>
        <dd>{f.num(cv.pooledAuc)}</dd>
      </dl>
      {cv.tooSmall ? (
        <p className="notice" role="status" data-testid="train-cv-too-small">
          {t('cvTooSmall', { width: f.num(cv.ci95[1] - cv.ci95[0]), limit: cv.ciWidthLimit })}
        </p>
      ) : (
        <p className="muted">{t('cvOk', { limit: cv.ciWidthLimit })}</p>
      )}
      <p className="muted">{t('cvNote')}</p>
    </section>
  );
}
