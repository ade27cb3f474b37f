import { useTranslation } from 'react-i18next';
import { intlLocale } from '../i18n';
import type { Card } from './cards';
import type { ReportMeta } from './export';
import GreyCanvas from './GreyCanvas';
import BlobImage from './BlobImage';
import { formatPercent } from '../charts/format';
import { oodText } from './ood-text';

/** Shown only when printing (print CSS hides the app around it). */
export default function PrintReport({ cards, heatmaps, meta }: { cards: Card[]; heatmaps: Record<string, string>; meta: ReportMeta }) {
  const { t } = useTranslation('classify');
  const date = new Intl.DateTimeFormat(intlLocale(), { dateStyle: 'long', timeStyle: 'short' }).format(new Date(meta.generatedAt));
  return (
    <div className="print-report" aria-hidden="true">
      <header>
        <h1>{t('report.title')}</h1>
        <p className="print-notice">{t('report.notice')}</p>
        <dl>
          <dt>{t('report.date')}</dt>
          <dd>{date}</dd>
          <dt>{t('report.model')}</dt>
          <dd>{meta.model ?? '—'}</dd>
          <dt>{t('report.weights')}</dt>
          <dd className="mono">{meta.weightsSha256.join(', ') || '—'}</dd>
          <dt>{t('report.backend')}</dt>
          <dd>{meta.backend ?? '—'}</dd>
        </dl>
      </header>
      {cards.map((card) => {
        const r = card.result;
        return (
          <section key={card.key} className="print-item">
            <h2>{card.item?.seriesDescription || card.file}</h2>
            <div className="print-images">
              {card.item?.thumbnail.jpeg ? (
                <BlobImage blob={card.item.thumbnail.jpeg} alt="" />
              ) : card.item && (
                <GreyCanvas width={card.item.thumbnail.width} height={card.item.thumbnail.height} rgba={card.item.thumbnail.rgba} />
              )}
              {heatmaps[card.key] && <img src={heatmaps[card.key]} alt={t('report.heatmapAlt')} />}
            </div>
            {card.status === 'error' && <p>{t('card.errorPrefix')} {card.error}</p>}
            {card.status === 'ood' && r && <p>{t('card.notAnalysed', { reason: oodText(r.result) })}</p>}
            {card.status === 'done' && r && (
              <dl>
                <dt>{t('report.result')}</dt>
                <dd>
                  {r.result.label} ({formatPercent(r.result.probability)})
                </dd>
                <dt>{t('report.positive', { label: r.positiveLabel })}</dt>
                <dd>
                  {formatPercent(r.result.scores[r.positiveLabel] ?? 0)} · {t('card.threshold', { threshold: formatPercent(r.result.threshold) })}
                </dd>
                <dt>{t('report.unsure')}</dt>
                <dd>{r.result.unsure ? t('card.unsure') : t('report.no')}</dd>
                {r.aggregate && (
                  <>
                    <dt>{t('report.series')}</dt>
                    <dd>
                      {t('card.seriesSummary', {
                        slice: r.aggregate.maxFrame + 1,
                        max: formatPercent(r.aggregate.maxProbability),
                        mean: formatPercent(r.aggregate.meanProbability),
                        label: r.aggregate.positiveLabel,
                      })}
                    </dd>
                  </>
                )}
                <dt>{t('report.model')}</dt>
                <dd>
                  {r.result.model} · {r.backend}
                </dd>
              </dl>
            )}
          </section>
        );
      })}
      <footer>
        <p className="print-notice">{t('report.notice')}</p>
      </footer>
    </div>
  );
}
