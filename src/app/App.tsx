import { lazy, Suspense, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ModelProvider } from './state/ModelContext';
import { useAnnouncement } from './announce';
import BackendBadge from './shell/BackendBadge';
import ModelPicker from './shell/ModelPicker';
import LanguageSwitch from './shell/LanguageSwitch';
import ModelStatusBanner from './shell/ModelStatusBanner';
import NavTabs, { type PageId } from './shell/NavTabs';
import UpdatePrompt from './UpdatePrompt';
import ClassifyPage from './classify/ClassifyPage';
import './App.css';

const TrainingPage = lazy(() => import('./training/TrainingPage'));
const ValidationPage = lazy(() => import('./validation/ValidationPage'));
const LibraryPage = lazy(() => import('./library/LibraryPage'));
const SettingsPage = lazy(() => import('./settings/SettingsPage'));

function initialPage(): PageId {
  const hash = typeof location !== 'undefined' ? location.hash.replace('#', '') : '';
  return (['classify', 'train', 'validate', 'models', 'settings'] as const).find((p) => p === hash) ?? 'classify';
}

export default function App() {
  const { t } = useTranslation();
  const [page, setPage] = useState<PageId>(initialPage);
  // Train and Validate run long jobs in workers; once opened they stay mounted
  // (hidden) so that visiting another tab does not cancel a running job.
  const [kept, setKept] = useState<ReadonlySet<PageId>>(() => new Set([page]));
  const mainRef = useRef<HTMLElement>(null);
  const announcement = useAnnouncement();

  function go(next: PageId) {
    setPage(next);
    if (next === 'train' || next === 'validate') setKept((prev) => new Set(prev).add(next));
    history.replaceState(null, '', `#${next}`);
  }

  return (
    <ModelProvider>
      <a className="skip-link" href="#main" onClick={(e) => { e.preventDefault(); mainRef.current?.focus(); }}>
        {t('skipToContent')}
      </a>
      <header className="app-header">
        <div className="brand">
          <span className="brand-name">RadLens</span>
          <span className="brand-tagline">{t('tagline')}</span>
        </div>
        <div className="header-controls">
          <BackendBadge />
          <ModelPicker />
          <LanguageSwitch />
        </div>
        <NavTabs page={page} onChange={go} />
      </header>
      <ModelStatusBanner />
      <UpdatePrompt />
      <main id="main" ref={mainRef} tabIndex={-1} className="app-main">
        {/* Classify stays mounted so a batch survives a visit to another tab. */}
        <div hidden={page !== 'classify'}>
          <ClassifyPage active={page === 'classify'} />
        </div>
        <Suspense fallback={<p>{t('loading')}</p>}>
          {kept.has('train') && (
            <div hidden={page !== 'train'}>
              <TrainingPage />
            </div>
          )}
          {kept.has('validate') && (
            <div hidden={page !== 'validate'}>
              <ValidationPage />
            </div>
          )}
          {page === 'models' && <LibraryPage />}
          {page === 'settings' && <SettingsPage />}
        </Suspense>
      </main>
      <footer className="app-footer">
        <p>{t('disclaimer')}</p>
      </footer>
      <div className="visually-hidden" aria-live="polite" role="status" data-testid="announcer">
        {announcement}
      </div>
    </ModelProvider>
  );
}
