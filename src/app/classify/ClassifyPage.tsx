import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { useTranslation } from 'react-i18next';
import { getMlClient, useMlStatus } from '../worker/client';
import { useModels } from '../state/ModelContext';
import { announce } from '../announce';
import { cardsReducer, type Card } from './cards';
import { coalesce, runBatch, type BatchRun } from './batch-queue';
import type { ClassifyEvent } from '../worker/protocol';
import ResultsList from './ResultsList';
import BatchProgress from './BatchProgress';
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

  const runs = useRef(new Map<number, { run: BatchRun; events: { flush(): void } }>());
  /** Batches the user cancelled: their cards are final at once; late results of cards already shown still land. */
  const cancelled = useRef(new Set<number>());
  const [cancelling, setCancelling] = useState(false);
  const [backendNotice, setBackendNotice] = useState<string | null>(null);

  const addFiles = useCallback(
    async (all: File[]) => {
      const files = all.filter((f) => !isJunkFile(f.name));
      if (!files.length) return;
      const batch = ++batchRef.current;
      const names = files.map((f) => f.webkitRelativePath || f.name);
      dispatch({ type: 'add', batch, files: names });
      announce(t('announce.added', { count: files.length }));
      // Many results in one render; announcements only for small batches (a screen reader cannot keep up with hundreds).
      const events = coalesce<ClassifyEvent>((list) => dispatch({ type: 'events', batch, events: list }));
      const speak = files.length <= 20;
      try {
        await client.currentModel();
        const run = runBatch(client, batch, files, (event) => {
          if (cancelled.current.has(batch) && event.kind !== 'item-result' && event.kind !== 'item-error') return;
          events.push(event);
          if (event.kind === 'backend-changed') {
            const { change } = event;
            const text = t(change.recreated ? 'backend.recreated' : 'backend.fellBack', { backend: change.backend, previous: change.previous, cause: change.cause });
            setBackendNotice(text);
            announce(text);
          }
          if (speak && event.kind === 'item-result') {
            const r = event.result.result;
            announce(r.ood ? t('announce.ood') : t('announce.result', { label: r.label, p: Math.round(r.probability * 100) }));
          }
        });
        runs.current.set(batch, { run, events });
        const summary = await run.done;
        events.flush();
        if (summary.cancelled) {
          dispatch({ type: 'batch-cancelled', batch, message: t('progress.cancelledCard') });
          announce(t('announce.cancelled'));
        } else announce(t('announce.batchDone', { count: summary.items, errors: summary.errors }));
      } catch (e) {
        events.flush();
        const message = status.modelError
          ? t('common:model.loadFailed', { id: status.modelError.ref.id, message: status.modelError.message })
          : (e as Error).message;
        dispatch({ type: 'batch-failed', batch, message });
        announce(message);
      } finally {
        runs.current.delete(batch);
        if (!runs.current.size) setCancelling(false);
      }
    },
    [client, t, status.modelError],
  );

  // Cancel is final for the user at once: the worker stops at its next file, and what it finishes meanwhile still shows.
  const cancelAll = useCallback(() => {
    setCancelling(true);
    for (const [batch, { run, events }] of runs.current) {
      cancelled.current.add(batch);
      run.cancel();
      events.flush();
      dispatch({ type: 'batch-cancelled', batch, message: t('progress.cancelledCard') });
    }
  }, [t]);

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

  // Stable callbacks for the memoized cards: they read the latest state through this ref.
  const latest = useRef({ exportCards: (_l: Card[], _f: 'csv' | 'json', _s: string) => {}, print: (_l: Card[]) => {} });
  const onCardExport = useCallback((c: Card, format: 'csv' | 'json') => latest.current.exportCards([c], format, `radlens-${safeFileStem(c.file)}`), []);
  const onCardPrint = useCallback((c: Card) => latest.current.print([c]), []);

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
  latest.current = { exportCards, print };

  useEffect(() => {
    if (!printing || systemPrint.current) return;
    // Let React paint the report before the print dialog snapshots the page.
    const id = requestAnimationFrame(() => {
      window.print();
      setPrinting(null);
    });
    return () => cancelAnimationFrame(id);
  }, [printing]);

  // The browser's own Print (Ctrl+P) gets the whole report too.
  const cardsRef = useRef(cards);
  cardsRef.current = cards;
  const printingRef = useRef(printing);
  const systemPrint = useRef(false);
  printingRef.current = printing;
  useEffect(() => {
    const before = () => {
      if (printingRef.current) return;
      systemPrint.current = true;
      flushSync(() => setPrinting(cardsRef.current.filter((c) => c.status !== 'pending')));
    };
    const after = () => {
      if (!systemPrint.current) return;
      systemPrint.current = false;
      setPrinting(null);
    };
    window.addEventListener('beforeprint', before);
    window.addEventListener('afterprint', after);
    return () => {
      window.removeEventListener('beforeprint', before);
      window.removeEventListener('afterprint', after);
    };
  }, []);

  function clearAll() {
    cancelAll();
    dispatch({ type: 'clear' });
    setHeatmapUrls({});
    setConfirmClear(false);
    void client.forget().catch(() => {});
    announce(t('announce.cleared'));
  }

  const { pending, inFlight: inFlightCount, doneInFlight } = useMemo(() => progressCounts(cards), [cards]);
  const inFlight = { length: inFlightCount };

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

      {backendNotice && (
        <p className="backend-notice" role="status" data-testid="backend-notice">
          {backendNotice}
        </p>
      )}
      {pending > 0 && <BatchProgress done={doneInFlight} total={inFlight.length} onCancel={cancelAll} cancelling={cancelling} />}

      {cards.length > 0 && (
        <div className="results-toolbar">
          <h2 data-testid="results-summary" data-count={cards.length} data-pending={pending} data-finished={cards.length - pending}>
            {t('results.title', { count: cards.length })}
          </h2>
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

      <ResultsList
        cards={cards}
        label={t('results.listLabel')}
        pinned={heatmapUrls}
        renderCard={(card, row) => (
          <ResultCard key={card.key} card={card} row={row} onOpen={setViewing} onPrint={onCardPrint} onExport={onCardExport} onHeatmap={onHeatmap} />
        )}
      />

      {viewing && <Viewer card={cards.find((c) => c.key === viewing.key) ?? viewing} onClose={() => setViewing(null)} />}
      {/* Rendered only for printing: thousands of hidden report rows would cost every render of the page. */}
      {printing && <PrintReport cards={printing} heatmaps={heatmapUrls} meta={meta()} />}
    </section>
  );
}

/** Progress counts from the oldest batch that still has pending cards; one pass over the cards. */
function progressCounts(cards: Card[]): { pending: number; inFlight: number; doneInFlight: number } {
  let first = Infinity;
  let pending = 0;
  for (const c of cards)
    if (c.status === 'pending') {
      pending++;
      if (c.batch < first) first = c.batch;
    }
  let inFlight = 0;
  let doneInFlight = 0;
  for (const c of cards)
    if (c.batch >= first) {
      inFlight++;
      if (c.status !== 'pending') doneInFlight++;
    }
  return { pending, inFlight, doneInFlight };
}
