import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DamagedEntry } from '../../ml';
import { modelLibrary } from './library-api';

/** Library entries that cannot be read: each named, with its message and a Delete; the rest of the library works as usual. */
export default function DamagedModels() {
  const { t } = useTranslation('library');
  const [entries, setEntries] = useState<DamagedEntry[]>([]);
  const load = useCallback(async () => {
    try {
      setEntries((await modelLibrary().damaged?.()) ?? []);
    } catch {
      setEntries([]);
    }
  }, []);
  useEffect(() => void load(), [load]);
  if (!entries.length) return null;
  return (
    <div className="panel damaged-models" role="alert" data-testid="damaged-models">
      <h2>{t('damagedTitle', { count: entries.length })}</h2>
      <ul>
        {entries.map((d) => (
          <li key={d.key} data-key={d.key}>
            <span>{d.message}</span>{' '}
            <button type="button" onClick={() => void modelLibrary().delete(d.key).then(load)}>
              {t('deleteDamaged', { key: d.key })}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
