import { useTranslation } from 'react-i18next';
import { useFormat } from '../charts/format';
import type { SplitRatios } from '../../ml';
import type { DatasetSummary } from './train-protocol';
import RgbaImage from './RgbaImage';

interface Props {
  summary: DatasetSummary;
  pattern: string;
  onPattern(p: string): void;
  ratios: SplitRatios;
  onRatios(r: SplitRatios): void;
  disabled?: boolean;
}

const SPLITS = ['train', 'val', 'test'] as const;

/** What was found in the folder, what may be wrong with it, and how it will be split. */
export default function DatasetReview({ summary, pattern, onPattern, ratios, onRatios, disabled }: Props) {
  const { t } = useTranslation('train');
  const f = useFormat();
  const total = summary.items.length;
  const dupFiles = new Set(summary.duplicates.flat());
  return (
    <>
      <div className="panel">
        <h2>{t('classesTitle')}</h2>
        <table className="data" data-testid="class-counts">
          <thead>
            <tr>
              <th scope="col">{t('class')}</th>
              <th scope="col" className="num">
                {t('images')}
              </th>
              {SPLITS.map((s) => (
                <th key={s} scope="col" className="num">
                  {t(`split_${s}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {summary.labels.map((l) => (
              <tr key={l}>
                <th scope="row">
                  {l}
                  {l === summary.positiveLabel && <span className="muted"> ({t('positiveClass')})</span>}
                </th>
                <td className="num">{f.int(summary.counts[l] ?? 0)}</td>
                {SPLITS.map((s) => (
                  <td key={s} className="num">
                    {f.int(summary.splitCounts[s][l] ?? 0)}
                  </td>
                ))}
              </tr>
            ))}
            <tr>
              <th scope="row">{t('total')}</th>
              <td className="num">{f.int(total)}</td>
              {SPLITS.map((s) => (
                <td key={s} className="num">
                  {f.int(Object.values(summary.splitCounts[s]).reduce((a, b) => a + b, 0))}
                </td>
              ))}
            </tr>
          </tbody>
        </table>
        <p className="muted">
          {t('patientsFound', { n: summary.patients })}{' '}
          {Object.entries(summary.patientSources)
            .map(([src, n]) => t('patientSource', { source: t(`source_${src}`, { defaultValue: src }), n }))
            .join(', ')}
        </p>
        {summary.errors.length > 0 && (
          <details className="notice error">
            <summary>{t('unreadable', { count: summary.errors.length })}</summary>
            <ul>
              {summary.errors.map((e) => (
                <li key={e.file}>
                  <code>{e.file}</code>: {e.message}
                </li>
              ))}
            </ul>
          </details>
        )}
        {summary.ignored.length > 0 && (
          <details className="notice">
            <summary>{t('ignored', { count: summary.ignored.length })}</summary>
            <ul>
              {summary.ignored.slice(0, 50).map((p) => (
                <li key={p}>
                  <code>{p}</code>
                </li>
              ))}
            </ul>
          </details>
        )}
      </div>

      <div className="panel" aria-live="polite">
        <h2>{t('warningsTitle')}</h2>
        {summary.warnings.length === 0 ? (
          <p>{t('noWarnings')}</p>
        ) : (
          <ul className="warning-list" data-testid="dataset-warnings">
            {summary.warnings.map((w) => (
              <li key={w.code + w.message} className="notice" data-code={w.code}>
                {t(`warn_${w.code}`, { defaultValue: '' }) && <strong>{t(`warn_${w.code}`)}: </strong>}
                {w.message}
              </li>
            ))}
          </ul>
        )}
        {summary.duplicates.length > 0 && (
          <details>
            <summary>{t('duplicatesTitle', { count: summary.duplicates.length })}</summary>
            <ul>
              {summary.duplicates.map((g) => (
                <li key={g.join('|')}>{g.join(' = ')}</li>
              ))}
            </ul>
          </details>
        )}
      </div>

      <div className="panel">
        <h2>{t('examplesTitle')}</h2>
        {summary.labels.map((l) => (
          <div key={l}>
            <h3>{l}</h3>
            <ul className="thumbs">
              {(summary.thumbnails[l] ?? []).map((th) => (
                <li key={th.file}>
                  <RgbaImage width={th.width} height={th.height} rgba={th.rgba} label={th.file} />
                  <span>{th.file.split('/').pop()}</span>
                  {dupFiles.has(th.file) && <span className="badge warn">{t('duplicate')}</span>}
                </li>
              ))}
            </ul>
          </div>
        ))}
      </div>

      <div className="panel">
        <h2>{t('splitTitle')}</h2>
        <p className="muted">{t('splitExplain')}</p>
        <div className="field-grid">
          <label className="field">
            <span>{t('patientPattern')}</span>
            <input
              type="text"
              value={pattern}
              disabled={disabled}
              spellCheck={false}
              placeholder={t('patientPatternPlaceholder')}
              aria-invalid={!!summary.patternError}
              aria-describedby="patient-pattern-help"
              onChange={(e) => onPattern(e.currentTarget.value)}
            />
            <small id="patient-pattern-help">{summary.patternError ?? t('patientPatternHelp')}</small>
          </label>
          {SPLITS.map((s) => (
            <label key={s} className="field">
              <span>{t('ratio', { split: t(`split_${s}`) })}</span>
              <input
                type="number"
                min={s === 'train' ? 1 : 0}
                max={100}
                step={5}
                disabled={disabled}
                value={Math.round(ratios[s] * 100)}
                onChange={(e) => {
                  const v = Math.max(0, Math.min(100, Number(e.currentTarget.value) || 0)) / 100;
                  onRatios({ ...ratios, [s]: v });
                }}
              />
            </label>
          ))}
        </div>
      </div>
    </>
  );
}
