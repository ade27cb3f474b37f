import { memo, useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getMlClient } from '../worker/client';
import type { Heatmap } from '../worker/protocol';
import type { Card } from './cards';
import GreyCanvas from './GreyCanvas';
import HeatmapPanel from './HeatmapPanel';
import ProbabilityBar from './ProbabilityBar';
import { oodText } from './ood-text';
import { SrExportButton } from './SrExport';
import { formatPercent } from '../charts/format';
import { resultAttrs } from './result-attrs';
import BlobImage from './BlobImage';
import type { RowProps } from './ResultsList';

interface Props {
  card: Card;
  onOpen(card: Card): void;
  onPrint(card: Card): void;
  onExport(card: Card, format: 'csv' | 'json'): void;
  onHeatmap(key: string, dataUrl: string | null): void;
  /** Position and measuring ref when the list is virtualized. */
  row?: RowProps;
}


/** A virtual row's style object is new on every render; only its position matters. */
function sameProps(a: Props, b: Props): boolean {
  return (
    a.card === b.card &&
    a.onOpen === b.onOpen &&
    a.onPrint === b.onPrint &&
    a.onExport === b.onExport &&
    a.onHeatmap === b.onHeatmap &&
    a.row?.ref === b.row?.ref &&
    a.row?.['data-index'] === b.row?.['data-index'] &&
    a.row?.style?.transform === b.row?.style?.transform
  );
}

export default memo(ResultCard, sameProps);

function ResultCard({ card, onOpen, onPrint, onExport, onHeatmap, row }: Props) {
  const { t } = useTranslation('classify');
  const [heatmap, setHeatmap] = useState<Heatmap | null>(null);
  const [heatmapState, setHeatmapState] = useState<'off' | 'loading' | 'on' | 'error'>('off');
  const [heatmapError, setHeatmapError] = useState('');
  const r = card.result;
  const done = card.status === 'done';
  const title = card.item?.seriesDescription || card.file;

  async function toggleHeatmap() {
    if (heatmapState === 'on') {
      setHeatmapState('off');
      onHeatmap(card.key, null);
      return;
    }
    if (heatmap) {
      setHeatmapState('on');
      return;
    }
    setHeatmapState('loading');
    try {
      setHeatmap(await getMlClient().explain(card.key, r?.aggregate?.maxFrame ?? 0));
      setHeatmapState('on');
    } catch (e) {
      setHeatmapError((e as Error).message);
      setHeatmapState('error');
    }
  }

  const rendered = useCallback((url: string) => onHeatmap(card.key, url), [card.key, onHeatmap]);

  const attrs = resultAttrs(card);

  return (
    <li className={`result-card status-${card.status}`} data-testid="result" {...attrs} {...row} aria-busy={card.status === 'pending'}>
      <div className="result-thumb">
        {card.item?.thumbnail.jpeg ? (
          <BlobImage blob={card.item.thumbnail.jpeg} width={card.item.thumbnail.width} height={card.item.thumbnail.height} alt={t('card.thumbnail', { file: card.file })} />
        ) : card.item ? (
          <GreyCanvas
            width={card.item.thumbnail.width}
            height={card.item.thumbnail.height}
            rgba={card.item.thumbnail.rgba}
            role="img"
            aria-label={t('card.thumbnail', { file: card.file })}
          />
        ) : (
          <div className="thumb-placeholder" aria-hidden="true" />
        )}
      </div>
      <div className="result-body">
        <h3 className="result-title" title={card.files.join('\n')}>
          {title}
          {card.item?.kind === 'volume' && <span className="result-sub"> · {t('card.slices', { count: card.item.frames })}</span>}
        </h3>

        {card.status === 'pending' && <p className="result-pending">{card.item ? t('card.analysing') : t('card.waiting')}</p>}

        {card.status === 'error' && (
          <p className="result-error" role="alert">
            {(card.errorScope === 'decode' || card.errorScope === 'analyse') && <strong>{t(card.errorScope === 'analyse' ? 'card.analyseErrorPrefix' : 'card.errorPrefix')} </strong>}
            {card.errorCode && <>{t(`decodeErrors.${card.errorCode}`, { defaultValue: '' })} </>}
            {card.error}
          </p>
        )}

        {card.status === 'ood' && r && (
          <p className="result-ood">{t('card.notAnalysed', { reason: oodText(r.result) })}</p>
        )}

        {done && r && (
          <>
            <p className="result-label">
              <span className="label-name">{r.result.label}</span>{' '}
              <span className="label-prob">{formatPercent(r.result.probability)}</span>
              {r.result.unsure && <span className="unsure-flag">{t('card.unsure')}</span>}
            </p>
            <ProbabilityBar label={r.positiveLabel} probability={r.result.scores[r.positiveLabel] ?? 0} threshold={r.result.threshold} band={r.result.unsureBand} />
            {r.aggregate && (
              <p className="result-series">
                {t('card.seriesSummary', {
                  slice: r.aggregate.maxFrame + 1,
                  max: formatPercent(r.aggregate.maxProbability),
                  mean: formatPercent(r.aggregate.meanProbability),
                  label: r.aggregate.positiveLabel,
                })}
              </p>
            )}
          </>
        )}

        {r && (
          <p className="result-meta">
            {t('card.meta', { model: r.result.model, backend: r.backend })}
          </p>
        )}
        {done && r?.result.populationCheck && !r.result.populationCheck.checked && r.result.populationCheck.ageYears && (
          <p className="result-population" data-testid="population-warning">
            {t('card.ageNotChecked', { min: r.result.populationCheck.ageYears.min, max: r.result.populationCheck.ageYears.max })}
          </p>
        )}
        {card.item && card.item.warnings.length > 0 && (
          <ul className="result-warnings">
            {card.item.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        )}

        {(done || card.status === 'ood') && (
          <div className="result-actions">
            {done && (
              <button type="button" data-testid="heatmap-toggle" aria-pressed={heatmapState === 'on'} onClick={() => void toggleHeatmap()} disabled={heatmapState === 'loading'}>
                {heatmapState === 'loading' ? t('heatmap.computing') : heatmapState === 'on' ? t('heatmap.hide') : t('heatmap.show')}
              </button>
            )}
            <button type="button" onClick={() => onOpen(card)}>
              {t('card.open')}
            </button>
            <button type="button" onClick={() => onExport(card, 'csv')}>
              CSV
            </button>
            <button type="button" onClick={() => onExport(card, 'json')}>
              JSON
            </button>
            <button type="button" onClick={() => onPrint(card)}>
              {t('card.print')}
            </button>
            <SrExportButton card={card} />
          </div>
        )}
        {heatmapState === 'error' && <p className="result-error">{t('heatmap.failed', { message: heatmapError })}</p>}
        {heatmapState === 'on' && heatmap && <HeatmapPanel heatmap={heatmap} onRendered={rendered} />}
      </div>
    </li>
  );
}
