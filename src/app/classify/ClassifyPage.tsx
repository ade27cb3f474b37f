import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getMlClient, useMlStatus } from '../worker/client';
import { useModels } from '../state/ModelContext';
import { announce } from '../announce';
import { cardsReducer, type Card } from './cards';
import { filesFromDrop, isJunkFile } from './drop';
import { safeFileStem, toCsv, toJson, type ReportMeta } from './export';
import { downloadFile } from '../download';
import ResultCard from './ResultCard';
import Viewer from './Viewer';
import PrintReport from './PrintReport';
import { SrBatchExportButton } from './SrExport';
import './classify.css';

export default function ClassifyPage({ active = true }: { active?: boolean }) {
  const { t } = useTranslation('classify');
  const client = getMlClient();
  const status = useMlStatus();
  const { active: modelRef } = useModels();
  const [cards, dispatch] = useReducer(cardsReducer, []);
  const [dragging, setDragging] = useState(false);
  const [viewing, setViewing] = useState<Card | null>(null);
  const [printing, setPrinting] = useState<Card[] | null>(null);
  const [heatmapUrls, setHeatmapUrls] = useState<Record<string, string>>({});
  const [confirmClear, setConfirmClear] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const batchRef = useRef(0);

  const addFiles = useCallback(
    async (all: File[]) => {
      const files = all.filter((f) => !isJunkFile(f.name));
      if (!files.length) return;
      const batch = ++batchRef.current;
      const names = files.map((f) => f.webkitRelativePath || f.name);
      dispatch({ type: 'add', batch, files: names });
      announce(t('announce.added', { count: files.length }));
      try {
        const summary = await client.classifyFiles(files, (event) => {
          dispatch({ type: 'event', batch, event });
          if (event.kind === 'item-result') {
            const r = event.result.result;
            announce(r.ood ? t('announce.ood') : t('announce.result', { label: r.label, p: Math.round(r.probability * 100) }));
          }
        });
        announce(t('announce.batchDone', { count: summary.items, errors: summary.errors }));
      } catch (e) {
        const message = status.modelError
          ? t('common:model.loadFailed', { id: status.modelError.ref.id, message: status.modelError.message })
          : (e as Error).message;
        dispatch({ type: 'batch-failed', batch, message });
        announce(message);
      }
    },
    [client, t, status.modelError],
  );

  // The whole page takes drops while Classify is shown.
  useEffect(() => {
    if (!active) return;
    let depth = 0;
    const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes('Files');
    const over = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth++;
      setDragging(true);
    };
    const leave = () => {
      depth = Math.max(0, depth - 1);
      if (!depth) setDragging(false);
    };
    const drop = (e: DragEvent) => {
      if (!e.dataTransfer || !hasFiles(e)) return;
      e.preventDefault();
      depth = 0;
      setDragging(false);
      void filesFromDrop(e.dataTransfer).then(addFiles);
    };
    window.addEventListener('dragover', over);
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, [active, addFiles]);

  const onHeatmap = useCallback((key: string, url: string | null) => {
    setHeatmapUrls((m) => {
      const next = { ...m };
      if (url) next[key] = url;
      else delete next[key];
      return next;
    });
  }, []);

  function meta(): ReportMeta {
    const model = status.model;
    return {
      generatedAt: new Date().toISOString(),
      model: model?.model ?? null,
      weightsSha256: model?.card.weights.map((w) => w.sha256) ?? [],
      backend: status.backend?.backend ?? null,
      notice: t('report.notice'),
    };
  }

  function exportCards(list: Card[], format: 'csv' | 'json', stem: string) {
    if (format === 'csv') downloadFile(toCsv(list), `${stem}.csv`, 'text/csv');
    else downloadFile(toJson(list, meta()), `${stem}.json`, 'application/json');
  }

  function print(list: Card[]) {
    setPrinting(list);
  }

  useEffect(() => {
    if (!printing) return;
    // Let React paint the report before the print dialog snapshots the page.
    const id = requestAnimationFrame(() => {
      window.print();
      setPrinting(null);
    });
    return () => cancelAnimationFrame(id);
  }, [printing]);

  function clearAll() {
    dispatch({ type: 'clear' });
    setHeatmapUrls({});
    setConfirmClear(false);
    void client.forget().catch(() => {});
    announce(t('announce.cleared'));
  }

  const pending = cards.filter((c) => c.status === 'pending').length;
  const inFlight = cards.filter((c) => batchRef.current && c.batch >= firstUnfinishedBatch(cards));
  const doneInFlight = inFlight.filter((c) => c.status !== 'pending').length;

  return (
    <section aria-labelledby="classify-title" className={`classify-page${dragging ? ' dragging' : ''}`}>
      <h1 id="classify-title">{t('title')}</h1>
      <div className="drop-zone">
        <p>{t('drop.hint')}</p>
        <button type="button" className="primary" onClick={() => inputRef.current?.click()}>
          {t('drop.choose')}
        </button>
        {/* No accept filter: DICOM files often have no extension, and the decoder says what it cannot read. */}
        <input
          ref={inputRef}
          type="file"
          multiple
          data-testid="file-input"
          className="visually-hidden"
          tabIndex={-1}
          aria-label={t('drop.choose')}
          onChange={(e) => {
            const files = Array.from(e.target.files ?? []);
            e.target.value = '';
            void addFiles(files);
          }}
        />
        <p className="drop-formats">{t('drop.formats')}</p>
        <p className="drop-privacy">{t('drop.privacy')}</p>
        {status.model && (
          <p className="drop-model">
            {t('modelInUse', { model: status.model.model, name: status.model.card.name })}
          </p>
        )}
        {!status.model && !status.modelError && <p className="drop-model">{t('common:model.loading', { id: modelRef.id })}</p>}
      </div>

      {pending > 0 && (
        <div className="batch-progress" role="status">
          <progress max={inFlight.length} value={doneInFlight} aria-label={t('progress.label')} />
          <span>{t('progress.text', { done: doneInFlight, total: inFlight.length })}</span>
        </div>
      )}

      {cards.length > 0 && (
        <div className="results-toolbar">
          <h2>{t('results.title', { count: cards.length })}</h2>
          <div className="toolbar-actions">
            <button type="button" data-testid="export-csv" onClick={() => exportCards(cards, 'csv', 'radlens-batch')}>
              {t('results.exportCsv')}
            </button>
            <button type="button" data-testid="export-json" onClick={() => exportCards(cards, 'json', 'radlens-batch')}>
              {t('results.exportJson')}
            </button>
            <SrBatchExportButton cards={cards} />
            <button type="button" onClick={() => print(cards.filter((c) => c.status !== 'pending'))}>
              {t('results.print')}
            </button>
            {!confirmClear ? (
              <button type="button" onClick={() => setConfirmClear(true)}>
                {t('results.clear')}
              </button>
            ) : (
              <span className="confirm" role="group" aria-label={t('results.clearConfirm')}>
                <span>{t('results.clearConfirm')}</span>
                <button type="button" className="danger" onClick={clearAll} autoFocus>
                  {t('results.clearYes')}
                </button>
                <button type="button" onClick={() => setConfirmClear(false)}>
                  {t('results.clearNo')}
                </button>
              </span>
            )}
          </div>
        </div>
      )}

      <ul className="results" aria-label={t('results.listLabel')}>
        {cards.map((card) => (
          <ResultCard
            key={card.key}
            card={card}
            onOpen={setViewing}
            onPrint={(c) => print([c])}
            onExport={(c, format) => exportCards([c], format, `radlens-${safeFileStem(c.file)}`)}
            onHeatmap={onHeatmap}
          />
        ))}
      </ul>

      {viewing && <Viewer card={cards.find((c) => c.key === viewing.key) ?? viewing} onClose={() => setViewing(null)} />}
      <PrintReport cards={printing ?? cards.filter((c) => c.status !== 'pending')} heatmaps={heatmapUrls} meta={meta()} />
    </section>
  );
}

/** The oldest batch that still has pending cards: progress counts from there. */
function firstUnfinishedBatch(cards: Card[]): number {
  const pending = cards.filter((c) => c.status === 'pending').map((c) => c.batch);
  return pending.length ? Math.min(...pending) : Infinity;
}
