import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import '../charts';
import { useFormat } from '../charts';
import { useModels, type ModelSummary } from '../state/ModelContext';
import { refKey, sameRef } from '../state/model-ref';
import ModelDetails from './ModelDetails';
import DamagedModels from './DamagedModels';
import { deleteLocal, exportBundle, importBundle, installFromIndex, readIndex, renameLocal, type IndexEntry } from './library-api';
import './library.css';
import { downloadFile } from '../download';
import { modelTag } from '../../ml';

type Notice = { ok: boolean; text: string } | null;

export default function LibraryPage() {
  const { t } = useTranslation('library');
  const f = useFormat();
  const { models, active, setActive, refresh } = useModels();
  const [open, setOpen] = useState<string | null>(null);
  const [renaming, setRenaming] = useState<{ key: string; name: string } | null>(null);
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const [busy, setBusy] = useState(false);
  const [indexUrl, setIndexUrl] = useState('');
  const [indexPin, setIndexPin] = useState('');
  const [index, setIndex] = useState<{ url: string; entries: IndexEntry[] } | null>(null);
  const importInput = useRef<HTMLInputElement>(null);

  async function act(work: () => Promise<string>) {
    setBusy(true);
    setNotice(null);
    try {
      const text = await work();
      setNotice({ ok: true, text });
    } catch (e) {
      setNotice({ ok: false, text: (e as Error).message });
    } finally {
      setBusy(false);
    }
  }

  const onImport = (file: File) =>
    act(async () => {
      const id = await importBundle(new Uint8Array(await file.arrayBuffer()), file.name);
      await refresh();
      return t('imported', { file: file.name, id });
    });

  const onExport = (m: ModelSummary) =>
    act(async () => {
      const bytes = await exportBundle(m.ref);
      downloadFile(bytes as BlobPart, `${modelTag(m)}.radlens.zip`, 'application/zip');
      return t('exported', { file: `${modelTag(m)}.radlens.zip` });
    });

  const onDelete = (m: ModelSummary) =>
    act(async () => {
      await deleteLocal(m.ref.id);
      if (sameRef(active, m.ref)) {
        const fallback = models.find((x) => x.ref.kind === 'bundled');
        if (fallback) setActive(fallback.ref);
      }
      setConfirmDelete(null);
      await refresh();
      return t('deleted', { name: m.name });
    });

  const onRename = (m: ModelSummary, name: string) =>
    act(async () => {
      await renameLocal(m.ref.id, name);
      setRenaming(null);
      await refresh();
      return t('renamed', { name });
    });

  const onLoadIndex = () =>
    act(async () => {
      const entries = await readIndex(indexUrl.trim(), indexPin.trim());
      setIndex({ url: indexUrl.trim(), entries });
      return t('indexLoaded', { count: entries.length });
    });

  const onInstall = (entry: IndexEntry) =>
    act(async () => {
      const id = await installFromIndex(entry);
      await refresh();
      return t('installed', { name: entry.name ?? entry.id, id });
    });

  return (
    <section className="page library-page" aria-labelledby="library-title">
      <h1 id="library-title">{t('title')}</h1>
      <p className="muted">{t('intro')}</p>
      <DamagedModels />

      <div className="panel">
        <table className="data" data-testid="model-list">
          <caption className="visually-hidden">{t('listCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('name')}</th>
              <th scope="col">{t('idVersion')}</th>
              <th scope="col">{t('source')}</th>
              <th scope="col">{t('date')}</th>
              <th scope="col">{t('mode')}</th>
              <th scope="col">{t('base')}</th>
              <th scope="col" className="num">
                {t('valAuc')}
              </th>
              <th scope="col">{t('actions')}</th>
            </tr>
          </thead>
          <tbody>
            {models.map((m) => {
              const key = refKey(m.ref);
              const isActive = sameRef(active, m.ref);
              const card = m.card;
              return (
                <tr key={key} data-model={key} className={isActive ? 'active' : undefined}>
                  <td>
                    {renaming?.key === key ? (
                      <form
                        className="actions"
                        onSubmit={(e) => {
                          e.preventDefault();
                          if (renaming.name.trim()) void onRename(m, renaming.name.trim());
                        }}
                      >
                        <input
                          type="text"
                          aria-label={t('newName')}
                          value={renaming.name}
                          autoFocus
                          onChange={(e) => setRenaming({ key, name: e.currentTarget.value })}
                        />
                        <button type="submit" disabled={busy}>
                          {t('saveName')}
                        </button>
                        <button type="button" onClick={() => setRenaming(null)}>
                          {t('cancel')}
                        </button>
                      </form>
                    ) : (
                      <>
                        <strong>{m.name}</strong>
                        {isActive && <span className="badge ok">{t('inUse')}</span>}
                        {m.error && <div className="notice error">{m.error}</div>}
                      </>
                    )}
                  </td>
                  <td>
                    <code>{modelTag(m)}</code>
                  </td>
                  <td>{t(`kind_${m.ref.kind}`)}</td>
                  <td>{card ? f.date(card.training.date) : '—'}</td>
                  <td>{card ? t(`mode_${card.training.mode}`) : '—'}</td>
                  <td>{card?.training.baseModel ?? '—'}</td>
                  <td className="num">{card ? f.num(card.metrics.validation.auc) : '—'}</td>
                  <td>
                    <div className="actions">
                      <button type="button" disabled={isActive || !card} onClick={() => setActive(m.ref)} data-testid="library-use">
                        {isActive ? t('inUse') : t('use')}
                      </button>
                      <button type="button" aria-expanded={open === key} onClick={() => setOpen(open === key ? null : key)}>
                        {t('details')}
                      </button>
                      <button type="button" disabled={busy || !card} onClick={() => void onExport(m)}>
                        {t('export')}
                      </button>
                      {m.ref.kind === 'local' && (
                        <>
                          <button type="button" onClick={() => setRenaming({ key, name: m.name })}>
                            {t('rename')}
                          </button>
                          <button type="button" onClick={() => setConfirmDelete(key)}>
                            {t('delete')}
                          </button>
                        </>
                      )}
                    </div>
                    {confirmDelete === key && (
                      <div className="notice error" role="alertdialog" aria-labelledby={`confirm-${key}`}>
                        <p id={`confirm-${key}`}>{t('confirmDelete', { name: m.name })}</p>
                        <div className="actions">
                          <button type="button" className="primary" disabled={busy} onClick={() => void onDelete(m)}>
                            {t('confirmDeleteButton')}
                          </button>
                          <button type="button" autoFocus onClick={() => setConfirmDelete(null)}>
                            {t('cancel')}
                          </button>
                        </div>
                      </div>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {models.length === 0 && <p>{t('loading')}</p>}
      </div>

      <div aria-live="polite">{notice && <p className={`notice ${notice.ok ? 'ok' : 'error'}`} data-testid="library-notice">{notice.text}</p>}</div>

      {models
        .filter((m) => open === refKey(m.ref) && m.card)
        .map((m) => (
          <div className="panel" key={refKey(m.ref)}>
            <ModelDetails card={m.card!} />
          </div>
        ))}

      <div className="panel">
        <h2>{t('importTitle')}</h2>
        <p>{t('importExplain')}</p>
        <button type="button" disabled={busy} onClick={() => importInput.current?.click()}>
          {t('importButton')}
        </button>
        <input
          ref={importInput}
          type="file"
          accept=".zip,application/zip"
          className="visually-hidden"
          tabIndex={-1}
          aria-label={t('importButton')}
          data-testid="library-import"
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            if (file) void onImport(file);
            e.currentTarget.value = '';
          }}
        />
      </div>

      <div className="panel">
        <h2>{t('intranetTitle')}</h2>
        <p>{t('intranetExplain')}</p>
        <form
          className="actions"
          onSubmit={(e) => {
            e.preventDefault();
            if (indexUrl.trim()) void onLoadIndex();
          }}
        >
          <label className="field" style={{ flex: '1 1 24rem' }}>
            <span>{t('indexUrl')}</span>
            <input type="url" value={indexUrl} placeholder="https://models.hospital.local/radlens/models.json" onChange={(e) => setIndexUrl(e.currentTarget.value)} />
          </label>
          <label className="field" style={{ flex: '1 1 16rem' }}>
            <span>{t('indexPin')}</span>
            <input type="text" value={indexPin} spellCheck={false} pattern="[0-9a-fA-F]{64}" onChange={(e) => setIndexPin(e.currentTarget.value)} />
          </label>
          <button type="submit" disabled={busy || !indexUrl.trim()}>
            {t('loadIndex')}
          </button>
        </form>
        {index && (
          <table className="data" style={{ marginTop: 'var(--space-3)' }}>
            <thead>
              <tr>
                <th scope="col">{t('name')}</th>
                <th scope="col">{t('idVersion')}</th>
                <th scope="col">sha256</th>
                <th scope="col">{t('actions')}</th>
              </tr>
            </thead>
            <tbody>
              {index.entries.map((e) => (
                <tr key={modelTag(e)}>
                  <td>{e.name ?? e.id}</td>
                  <td>
                    <code>{modelTag(e)}</code>
                  </td>
                  <td>
                    <code className="hash">{e.sha256.slice(0, 16)}…</code>
                  </td>
                  <td>
                    <button type="button" disabled={busy} onClick={() => void onInstall(e)}>
                      {t('install')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}
