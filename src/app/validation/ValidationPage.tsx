import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfusionMatrix, PrChart, ReliabilityChart, RocChart, useFormat, type ConfusionCell } from '../charts';
import { useModels } from '../state/ModelContext';
import { useMlClient, useMlStatus } from '../worker/client';
import type { EvaluateRow } from '../worker/protocol';
import DatasetPicker, { type PickedDataset } from '../training/DatasetPicker';
import CellImages from './CellImages';
import ThresholdControl from './ThresholdControl';
import { cellOf, matchFolders, operatingMetrics, siteData, thresholdFreeMetrics } from './site-metrics';
import { saveThresholdLocally } from './save-threshold';
import './validation.css';
import { modelTag } from '../../ml';

type RunState = 'idle' | 'running' | 'done' | 'error';

export default function ValidationPage() {
  const { t } = useTranslation('validate');
  const f = useFormat();
  const client = useMlClient();
  const status = useMlStatus();
  const { active, setActive, refresh } = useModels();
  const card = status.model?.card ?? null;

  const [picked, setPicked] = useState<PickedDataset | null>(null);
  const [state, setState] = useState<RunState>('idle');
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [rows, setRows] = useState<EvaluateRow[] | null>(null);
  const [evaluatedWith, setEvaluatedWith] = useState<string | null>(null);
  const [threshold, setThreshold] = useState(0.5);
  const [cell, setCell] = useState<ConfusionCell | null>(null);
  const [saving, setSaving] = useState(false);
  const [saveMessage, setSaveMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const match = useMemo(() => (picked && card ? matchFolders(picked.files.map((p) => p.path), card.labels) : null), [picked, card]);
  const fileMap = useMemo(() => new Map((picked?.files ?? []).map((p) => [p.path, p.file])), [picked]);
  const data = useMemo(() => (rows && card ? siteData(rows, card.positiveLabel) : null), [rows, card]);
  const free = useMemo(() => (data && data.images.length ? thresholdFreeMetrics(data) : null), [data]);
  const op = useMemo(() => (data && data.images.length ? operatingMetrics(data, threshold) : null), [data, threshold]);
  const negative = card?.labels.find((l) => l !== card.positiveLabel) ?? '';

  async function run() {
    if (!picked || !match || !card) return;
    setState('running');
    setError(null);
    setRows(null);
    setCell(null);
    setSaveMessage(null);
    setProgress({ done: 0, total: match.matched.length });
    try {
      const inputs = match.matched.map(({ index, label }) => ({ file: picked.files[index].file, label }));
      const result = await client.evaluateFiles(inputs, (done, total) => setProgress({ done, total }));
      // Rows come back in input order; name them by the dataset-relative path the page shows.
      setRows(result.map((r, i) => ({ ...r, file: picked.files[match.matched[i].index].path })));
      setEvaluatedWith(status.model?.model ?? null);
      setThreshold(card.threshold);
      setState('done');
    } catch (e) {
      setError((e as Error).message);
      setState('error');
    } finally {
      setProgress(null);
    }
  }

  async function save() {
    if (!card || !data || !op) return;
    setSaving(true);
    setSaveMessage(null);
    try {
      const saved = await saveThresholdLocally(active, card, threshold, {
        n: data.images.length,
        detail: t('historyDetail', {
          from: card.threshold.toFixed(4),
          to: threshold.toFixed(4),
          sens: (op.sensitivity * 100).toFixed(1),
          spec: (op.specificity * 100).toFixed(1),
          folder: picked?.folder ?? '',
        }),
      });
      await refresh();
      if (saved.kind !== active.kind || saved.id !== active.id) setActive(saved);
      else await client.loadModel(saved, { force: true });
      setSaveMessage({ ok: true, text: t('saved', { id: saved.id }) });
    } catch (e) {
      setSaveMessage({ ok: false, text: (e as Error).message });
    } finally {
      setSaving(false);
    }
  }

  const cellTitle: Record<ConfusionCell, string> = { tp: t('cell_tp'), fp: t('cell_fp'), tn: t('cell_tn'), fn: t('cell_fn') };

  return (
    <section className="page validation-page" aria-labelledby="validate-title">
      <h1 id="validate-title">{t('title')}</h1>
      <p className="muted">{t('intro')}</p>
      <div className="panel">
        {card ? (
          <p>
            {t('activeModel', { name: card.name, model: modelTag(card) })}{' '}
            {t('expectFolders', { labels: card.labels.join(', '), positive: card.positiveLabel })}
          </p>
        ) : (
          <p className="notice">{status.modelError ? status.modelError.message : t('noModel')}</p>
        )}
      </div>

      <DatasetPicker
        inputTestId="validate-input"
        idPrefix="validate"
        onFiles={(p) => {
          setPicked(p);
          setRows(null);
          setState('idle');
        }}
        onCsv={() => undefined}
        disabled={state === 'running'}
      />

      {match && (
        <div className="panel" aria-live="polite">
          <p>{t('found', { n: match.matched.length, folder: picked?.folder ?? '' })}</p>
          <ul>
            {card!.labels.map((l) => (
              <li key={l}>
                {l}: {f.int(match.matched.filter((m) => m.label === l).length)}
              </li>
            ))}
          </ul>
          {match.unknownFolders.length > 0 && <p className="notice">{t('unknownFolders', { folders: match.unknownFolders.join(', '), labels: card!.labels.join(', ') })}</p>}
          <div className="actions">
            <button type="button" className="primary" disabled={!match.matched.length || state === 'running'} onClick={() => void run()} data-testid="validate-start">
              {t('start')}
            </button>
            <span data-testid="validate-status" data-state={state} role="status">
              {t(`state_${state}`)}
              {progress && ` ${progress.done} / ${progress.total}`}
            </span>
          </div>
          {progress && <progress max={progress.total} value={progress.done} aria-hidden="true" />}
          {error && <p className="notice error">{error}</p>}
        </div>
      )}

      {data && card && (
        <>
          <div className="panel" aria-live="polite">
            <h2>{t('summaryTitle')}</h2>
            {evaluatedWith && <p className="muted">{t('evaluatedWith', { model: evaluatedWith })}</p>}
            <dl className="facts" data-testid="validate-summary">
              <dt>{t('nImages')}</dt>
              <dd>{f.int(data.images.length)}</dd>
              <dt>{t('refusedCount')}</dt>
              <dd data-testid="validate-ood">
                {f.int(data.oodRefused)} <span className="muted">{t('refusedNote')}</span>
              </dd>
              {data.errors.length > 0 && (
                <>
                  <dt>{t('unreadable')}</dt>
                  <dd>
                    <details>
                      <summary>{f.int(data.errors.length)}</summary>
                      <ul>
                        {data.errors.map((e) => (
                          <li key={e.file}>
                            <code>{e.file}</code>: {e.message}
                          </li>
                        ))}
                      </ul>
                    </details>
                  </dd>
                </>
              )}
              {free && (
                <>
                  <dt>AUC</dt>
                  <dd>
                    {f.num(free.auc)} {Number.isFinite(free.ci[0]) && t('ci95', { lo: f.num(free.ci[0]), hi: f.num(free.ci[1]) })}
                  </dd>
                  <dt>ECE</dt>
                  <dd>{f.num(free.ece)}</dd>
                </>
              )}
              {card.metrics.validation && (
                <>
                  <dt>{t('cardAuc')}</dt>
                  <dd>{f.num(card.metrics.validation.auc)}</dd>
                </>
              )}
            </dl>
          </div>

          {op && free && (
            <>
              <div className="panel">
                <h2>{t('operatingTitle')}</h2>
                <ThresholdControl threshold={threshold} onThreshold={setThreshold} data={data} cardThreshold={card.threshold} />
                <dl className="facts" style={{ marginTop: 'var(--space-3)' }} aria-live="polite">
                  <dt>{t('sensitivity')}</dt>
                  <dd data-testid="validate-sensitivity">{f.pct(op.sensitivity)}</dd>
                  <dt>{t('specificity')}</dt>
                  <dd data-testid="validate-specificity">{f.pct(op.specificity)}</dd>
                  <dt>{t('accuracy')}</dt>
                  <dd>{f.pct(op.accuracy)}</dd>
                </dl>
                <div className="actions" style={{ marginTop: 'var(--space-3)' }}>
                  <button type="button" className="primary" disabled={saving || threshold === card.threshold} onClick={() => void save()} data-testid="validate-save-threshold">
                    {t('saveThreshold')}
                  </button>
                  <small className="muted">{active.kind === 'bundled' ? t('saveCopyNote') : t('saveLocalNote')}</small>
                </div>
                <div aria-live="polite">{saveMessage && <p className={`notice ${saveMessage.ok ? 'ok' : 'error'}`}>{saveMessage.text}</p>}</div>
              </div>

              <div className="chart-row">
                <RocChart points={free.roc} auc={free.auc} ci={free.ci} operating={{ fpr: 1 - op.specificity, tpr: op.sensitivity }} />
                <PrChart points={free.pr} ap={free.ap} prevalence={free.prevalence} />
                <ReliabilityChart {...free.reliability} ece={free.ece} />
                <div>
                  <ConfusionMatrix
                    positiveLabel={card.positiveLabel}
                    negativeLabel={negative}
                    confusion={op.confusion}
                    onSelect={(c) => setCell((prev) => (prev === c ? null : c))}
                    selected={cell}
                  />
                  <p className="muted">{t('cellHint')}</p>
                </div>
              </div>
              {cell && (
                <CellImages
                  title={`${cellTitle[cell]} (${op.confusion[cell]})`}
                  images={data.images.filter((i) => cellOf(i, threshold) === cell)}
                  files={fileMap}
                  onClose={() => setCell(null)}
                />
              )}
            </>
          )}
        </>
      )}
    </section>
  );
}
