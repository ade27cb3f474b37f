import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import '../charts/index';
import { useFormat } from '../charts/format';
import { useModels } from '../state/ModelContext';
import { deleteLocalData, ownedCaches, ownedDatabases, ownedSettings, type RemovalReport } from './local-data';
import { formatBytes } from './bytes';
import BackendSetting from './BackendSetting';
import { modelLibrary } from '../library/library-api';
import { DB_NAME, type RemovedCounts } from '../../ml';

interface StorageState {
  usage?: number;
  quota?: number;
  persisted?: boolean;
  /** False where the browser has no StorageManager (old browsers, some private modes). */
  supported: boolean;
}

async function readStorage(): Promise<StorageState> {
  const sm = typeof navigator !== 'undefined' ? navigator.storage : undefined;
  if (!sm?.estimate) return { supported: false };
  const [estimate, persisted] = await Promise.all([sm.estimate(), sm.persisted ? sm.persisted() : Promise.resolve(false)]);
  return { usage: estimate.usage, quota: estimate.quota, persisted, supported: true };
}

export default function SettingsPage() {
  const { t, i18n } = useTranslation('settings');
  const f = useFormat();
  const { models, refresh, active, setActive } = useModels();
  const [storage, setStorage] = useState<StorageState>({ supported: true });
  const [owned, setOwned] = useState<{ databases: string[]; caches: string[]; settings: string[] } | null>(null);
  const [persistMessage, setPersistMessage] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<RemovalReport | null>(null);
  const [cleared, setCleared] = useState<RemovedCounts | null>(null);

  const reload = useCallback(async () => {
    setStorage(await readStorage());
    const [databases, caches] = await Promise.all([ownedDatabases().catch(() => []), ownedCaches().catch(() => [])]);
    setOwned({ databases, caches, settings: ownedSettings() });
  }, []);

  useEffect(() => {
    void reload();
  }, [reload]);

  const localCount = models.filter((m) => m.ref.kind === 'local').length;
  const bundledCount = models.length - localCount;

  async function persist() {
    const granted = await navigator.storage.persist();
    setPersistMessage(granted ? t('persistGranted') : t('persistRefused'));
    await reload();
  }

  async function removeAll() {
    setBusy(true);
    try {
      // The library's database stays open in the workers, so its stores are emptied rather than the database deleted.
      let counts: RemovedCounts | null = null;
      try {
        counts = await modelLibrary().deleteAll();
      } catch {
        counts = null;
      }
      const result = await deleteLocalData(undefined, 3000, counts ? [DB_NAME] : []);
      setCleared(counts);
      setReport(result);
      setConfirming(false);
      if (active.kind === 'local') {
        const bundled = models.find((m) => m.ref.kind === 'bundled');
        if (bundled) setActive(bundled.ref);
      }
      await refresh();
      await reload();
    } finally {
      setBusy(false);
    }
  }

  const nothingRemoved =
    report &&
    !report.databases.length &&
    !report.blockedDatabases.length &&
    !report.caches.length &&
    !report.settings.length &&
    !(cleared && cleared.models + cleared.features + cleared.settings > 0);

  return (
    <section className="page" aria-labelledby="settings-title">
      <h1 id="settings-title">{t('title')}</h1>

      <div className="panel">
        <h2>{t('storageTitle')}</h2>
        {storage.supported ? (
          <dl className="facts">
            <dt>{t('used')}</dt>
            <dd data-testid="storage-used">
              {storage.usage != null ? formatBytes(storage.usage, i18n.language) : '…'}
              {storage.quota ? ` ${t('ofQuota', { quota: formatBytes(storage.quota, i18n.language) })}` : ''}
            </dd>
            <dt>{t('modelsCount')}</dt>
            <dd>{t('modelsCountValue', { local: f.int(localCount), bundled: f.int(bundledCount) })}</dd>
            <dt>{t('ownedDatabases')}</dt>
            <dd>{owned ? owned.databases.join(', ') || t('none') : '…'}</dd>
            <dt>{t('ownedCaches')}</dt>
            <dd>{owned ? owned.caches.join(', ') || t('none') : '…'}</dd>
            <dt>{t('ownedSettings')}</dt>
            <dd>{owned ? owned.settings.join(', ') || t('none') : '…'}</dd>
          </dl>
        ) : (
          <p>{t('noStorageApi')}</p>
        )}
        <p className="muted">{t('storageNote')}</p>
      </div>

      <BackendSetting />

      <div className="panel">
        <h2>{t('persistTitle')}</h2>
        <p>{t('persistExplain')}</p>
        <p data-testid="persist-state" role="status">
          {storage.persisted ? t('persistOn') : t('persistOff')}
        </p>
        {storage.supported && !storage.persisted && (
          <button type="button" onClick={() => void persist()}>
            {t('persistButton')}
          </button>
        )}
        {persistMessage && <p className="muted">{persistMessage}</p>}
      </div>

      <div className="panel">
        <h2>{t('deleteTitle')}</h2>
        <p>{t('deleteExplain')}</p>
        {!confirming ? (
          <button type="button" onClick={() => setConfirming(true)} data-testid="delete-all">
            {t('deleteButton')}
          </button>
        ) : (
          <div className="notice error" role="alertdialog" aria-labelledby="delete-confirm-text">
            <p id="delete-confirm-text">{t('deleteConfirm', { count: localCount })}</p>
            <div className="actions">
              <button type="button" className="primary" disabled={busy} onClick={() => void removeAll()} data-testid="delete-all-confirm">
                {t('deleteConfirmButton')}
              </button>
              <button type="button" onClick={() => setConfirming(false)} autoFocus>
                {t('cancel')}
              </button>
            </div>
          </div>
        )}
        <div aria-live="polite">
          {report && (
            <div className="notice ok" data-testid="delete-report">
              {nothingRemoved ? (
                <p>{t('nothingToRemove')}</p>
              ) : (
                <>
                  <p>{t('removedTitle')}</p>
                  <ul>
                    {cleared && cleared.models + cleared.features + cleared.settings > 0 && (
                      <li>{t('removedLibrary', { db: DB_NAME, models: cleared.models, features: cleared.features, settings: cleared.settings })}</li>
                    )}
                    {report.databases.length > 0 && <li>{t('removedDatabases', { names: report.databases.join(', ') })}</li>}
                    {report.caches.length > 0 && <li>{t('removedCaches', { names: report.caches.join(', ') })}</li>}
                    {report.settings.length > 0 && <li>{t('removedSettings', { names: report.settings.join(', ') })}</li>}
                  </ul>
                </>
              )}
              {report.blockedDatabases.length > 0 && (
                <p>
                  {t('blockedDatabases', { names: report.blockedDatabases.join(', ') })}{' '}
                  <button type="button" onClick={() => location.reload()}>
                    {t('reload')}
                  </button>
                </p>
              )}
              {report.errors.length > 0 && <p>{t('removeErrors', { errors: report.errors.join('; ') })}</p>}
              <p className="muted">{t('keptNote')}</p>
            </div>
          )}
        </div>
      </div>
    </section>
  );
}
