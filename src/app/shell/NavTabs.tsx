import { useTranslation } from 'react-i18next';

export type PageId = 'classify' | 'train' | 'validate' | 'models' | 'settings';

const PAGES: PageId[] = ['classify', 'train', 'validate', 'models', 'settings'];

/** Plain buttons in a nav landmark; the current page is marked with aria-current. */
export default function NavTabs({ page, onChange }: { page: PageId; onChange(page: PageId): void }) {
  const { t } = useTranslation();
  return (
    <nav className="nav-tabs" aria-label={t('nav.label')}>
      <ul>
        {PAGES.map((p) => (
          <li key={p}>
            <button type="button" aria-current={p === page ? 'page' : undefined} onClick={() => onChange(p)} data-page={p}>
              {t(`nav.${p}`)}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
