import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import '../charts';
import './training.css';
import { useModels } from '../state/ModelContext';
import { backendOrderFromUrl } from '../worker/client';
import { DEFAULT_SPLIT, type SplitRatios, TEXTURE_TRUNK, SSL_TRUNK, DEFAULT_HEAD_BASE, modelTag } from '../../ml';
import DatasetPicker, { type PickedDataset } from './DatasetPicker';
import DatasetReview from './DatasetReview';
import TrainOptionsForm, { defaultOptions, offeredModes } from './TrainOptionsForm';
import TrainProgressView, { type ProgressState } from './TrainProgressView';
import TrainResults from './TrainResults';
import { TrainClient, TrainingCancelled } from './train-client';
import type { DatasetSummary, TrainOptions, TrainOutcome } from './train-protocol';

type JobState = 'idle' | 'running' | 'done' | 'error';

const SPLIT_SEED = 42;

export default function TrainingPage() {
  const { t } = useTranslation('train');
  const { models, setActive, active, refresh } = useModels();
  const client = useRef<TrainClient | null>(null);
  const [backend, setBackend] = useState<string | null>(null);
  const [backendReason, setBackendReason] = useState<string | undefined>();
  const [backendError, setBackendError] = useState<string | null>(null);

  const [picked, setPicked] = useState<PickedDataset | null>(null);
  const [csv, setCsv] = useState<{ text: string; name: string } | null>(null);
  const [pattern, setPattern] = useState('');
  const [ratios, setRatios] = useState<SplitRatios>(DEFAULT_SPLIT);
  const [summary, setSummary] = useState<DatasetSummary | null>(null);
  const [scan, setScan] = useState<{ done: number; total: number } | null>(null);
  const [scanError, setScanError] = useState<string | null>(null);

  // Trunks first, the default base (DEFAULT_HEAD_BASE) at the top; both work for any modality.
  const bases = useMemo(
    () => [
      { id: TEXTURE_TRUNK.id, name: `${t('baseTrunk')} (${TEXTURE_TRUNK.id}@${TEXTURE_TRUNK.version})` },
      { id: SSL_TRUNK.id, name: `${t('baseSslTrunk')} (${SSL_TRUNK.id}@${SSL_TRUNK.version})` },
      ...models.filter((m) => m.ref.kind === 'bundled' && m.card).map((m) => ({ id: m.ref.id, name: `${m.name} (${modelTag(m)})` })),
    ].sort((a, b) => Number(b.id === DEFAULT_HEAD_BASE) - Number(a.id === DEFAULT_HEAD_BASE)),
    [models, t],
  );
  const [options, setOptions] = useState<TrainOptions>(() => defaultOptions(DEFAULT_HEAD_BASE));
  useEffect(() => {
    if (bases.length && !bases.some((b) => b.id === options.baseModel)) setOptions((o) => ({ ...o, baseModel: bases[0].id }));
  }, [bases, options.baseModel]);

  const [job, setJob] = useState<JobState>('idle');
  const [jobError, setJobError] = useState<string | null>(null);
  const [progress, setProgress] = useState<ProgressState | null>(null);
  const [outcome, setOutcome] = useState<TrainOutcome | null>(null);
  const [now, setNow] = useState(() => performance.now());
  const [name, setName] = useState('');
  const [saving, setSaving] = useState(false);
  const [savedId, setSavedId] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);

  useEffect(() => {
    const c = new TrainClient();
    client.current = c;
    c.init(backendOrderFromUrl()).then(
      (info) => {
        setBackend(info.backend);
        setBackendReason(info.reason);
      },
      (e: Error) => setBackendError(e.message),
    );
    return () => {
      c.dispose();
      client.current = null;
    };
  }, []);

  // A mode this backend cannot train (TRAINING_MODES) falls back to head training once the backend is known.
  useEffect(() => {
    if (backend && !offeredModes(backend).includes(options.mode)) setOptions((o) => ({ ...o, mode: 'head' }));
  }, [backend, options.mode]);

  // Rescan (cheap after the first pass: the worker keeps what it decoded) when inputs change.
  useEffect(() => {
    if (!picked || !client.current) return;
    const c = client.current;
    let stale = false;
    const timer = setTimeout(() => {
      setScanError(null);
      c.dataset(
        { files: picked.files, csv: csv?.text, patientPattern: pattern.trim() || undefined, ratios, seed: SPLIT_SEED },
        (done, total) => {
          if (!stale) setScan({ done, total });
        },
      ).then(
        (s) => {
          if (stale) return;
          setSummary(s);
          setScan(null);
        },
        (e: Error) => {
          if (stale) return;
          setScan(null);
          setScanError(e.message);
        },
      );
    }, 300);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [picked, csv, pattern, ratios]);

  useEffect(() => {
    if (job !== 'running') return;
    const timer = setInterval(() => setNow(performance.now()), 1000);
    return () => clearInterval(timer);
  }, [job]);

  function pickFiles(p: PickedDataset) {
    setPicked(p);
    setSummary(null);
    setOutcome(null);
    setJob('idle');
    setSavedId(null);
    setName(t('defaultName', { folder: p.folder, date: new Date().toISOString().slice(0, 10) }));
  }

  async function start() {
    const c = client.current;
    if (!c || !summary) return;
    setJob('running');
    setJobError(null);
    setOutcome(null);
    setSavedId(null);
    setSaveError(null);
    const started = performance.now();
    setProgress({ phase: 'backend', phaseStarted: started, history: [], epochs: options.epochs });
    try {
      const result = await c.train(options, (e) => {
        if (e.kind === 'phase')
          setProgress((p) => ({
            ...(p ?? { history: [], epochs: options.epochs }),
            phase: e.phase,
            done: e.done,
            total: e.total,
            phaseStarted: p && p.phase === e.phase ? p.phaseStarted : performance.now(),
          }));
        else if (e.kind === 'epoch')
          setProgress((p) => ({
            ...(p ?? { phaseStarted: performance.now() }),
            phase: 'epochs',
            done: undefined,
            total: undefined,
            history: [...(p?.history ?? []), e.stats],
            epochs: e.epochs,
          }));
      });
      setOutcome(result);
      setJob('done');
    } catch (e) {
      if (e instanceof TrainingCancelled) {
        setJob('idle');
        setJobError(t('cancelled'));
      } else {
        setJob('error');
        setJobError((e as Error).message);
      }
    }
  }

  function cancel() {
    void client.current?.cancel();
  }

  async function save() {
    const c = client.current;
    if (!c) return;
    setSaving(true);
    setSaveError(null);
    try {
      const saved = await c.save(name.trim());
      setSavedId(saved.id);
      await refresh();
    } catch (e) {
      setSaveError((e as Error).message);
    } finally {
      setSaving(false);
    }
  }

  const valM = outcome?.card.metrics.validation;
  const canStart = !!summary && summary.labels.length >= 2 && job !== 'running' && !!backend && !scan;

  return (
    <section className="page training-page" aria-labelledby="train-title">
      <h1 id="train-title">{t('title')}</h1>
      <p className="muted">{t('intro')}</p>
      {backendError && <p className="notice error">{t('backendError', { message: backendError })}</p>}

      <DatasetPicker
        inputTestId="train-input"
        idPrefix="train"
        onFiles={pickFiles}
        onCsv={(text, csvName) => setCsv(text != null && csvName ? { text, name: csvName } : null)}
        csvName={csv?.name}
        disabled={job === 'running'}
      />
      <div aria-live="polite">
        {picked && <p>{t('picked', { folder: picked.folder, count: picked.files.length })}</p>}
        {scan && (
          <p>
            {t('scanning', { done: scan.done, total: scan.total })} <progress max={scan.total} value={scan.done} aria-hidden="true" />
          </p>
        )}
        {scanError && <p className="notice error">{scanError}</p>}
      </div>

      {summary && (
        <DatasetReview summary={summary} pattern={pattern} onPattern={setPattern} ratios={ratios} onRatios={setRatios} disabled={job === 'running'} />
      )}

      <TrainOptionsForm options={options} onChange={setOptions} backend={backend} bases={bases} disabled={job === 'running'} />

      <div className="panel">
        <div className="actions">
          <button type="button" className="primary" onClick={() => void start()} disabled={!canStart} data-testid="train-start">
            {t('start')}
          </button>
          <span
            data-testid="train-status"
            data-state={job}
            {...(job === 'done' && valM ? { 'data-val-auc': String(valM.auc), 'data-val-accuracy': String(valM.accuracy) } : {})}
            role="status"
          >
            {t(`state_${job}`)}
            {job === 'done' && valM && ` — ${t('statusDone', { auc: valM.auc.toFixed(3), acc: (valM.accuracy * 100).toFixed(1) })}`}
            {job === 'error' && jobError && ` — ${jobError}`}
          </span>
        </div>
        {!summary && <p className="muted">{t('needDataset')}</p>}
        {job === 'idle' && jobError && <p className="notice">{jobError}</p>}
        <p className="muted">
          {t('backendInUse', { backend: backend ?? '…' })}
          {backendReason === 'software-gpu' && <> — {t('softwareGpu')}</>}
        </p>
      </div>

      {progress && <TrainProgressView progress={progress} running={job === 'running'} onCancel={cancel} now={now} />}

      {outcome && (
        <TrainResults
          outcome={outcome}
          name={name}
          onName={setName}
          onSave={() => void save()}
          onUse={() => savedId && setActive({ kind: 'local', id: savedId })}
          saving={saving}
          savedId={savedId}
          saveError={saveError}
          isActive={!!savedId && active.kind === 'local' && active.id === savedId}
        />
      )}
    </section>
  );
}
