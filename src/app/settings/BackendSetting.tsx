import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMlStatus } from '../worker/client';
import { IdbChoiceStore } from '../../ml';
import { backendOverride, setBackendOverride } from './backend-override';
import type { BackendName } from '../../ml';

const CHOICES: (BackendName | 'auto')[] = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'];

/** Which backend runs the model: the measured choice (default) or one the user picks; applies after a reload. */
export default function BackendSetting() {
  const { t } = useTranslation('settings');
  const { backend } = useMlStatus();
  const [value, setValue] = useState<BackendName | 'auto'>(backendOverride() ?? 'auto');
  const [changed, setChanged] = useState(false);

  function pick(next: BackendName | 'auto') {
    setValue(next);
    setBackendOverride(next === 'auto' ? null : next);
    setChanged(true);
  }

  async function measureAgain() {
    await new IdbChoiceStore().clear();
    location.reload();
  }

  return (
    <div className="panel">
      <h2>{t('backendTitle')}</h2>
      <p>{t('backendExplain')}</p>
      {backend && (
        <p data-testid="settings-backend" role="status">
          {t('backendNow', { backend: backend.backend })} {backend.choice?.reason ? `(${backend.choice.reason})` : ''}
        </p>
      )}
      <label>
        {t('backendPick')}{' '}
        <select data-testid="backend-override" value={value} onChange={(e) => pick(e.target.value as BackendName | 'auto')}>
          {CHOICES.map((c) => (
            <option key={c} value={c}>
              {c === 'auto' ? t('backendAuto') : c}
            </option>
          ))}
        </select>
      </label>{' '}
      <button type="button" onClick={() => void measureAgain()}>
        {t('backendMeasureAgain')}
      </button>
      {changed && (
        <p className="muted">
          {t('backendReloadNote')}{' '}
          <button type="button" onClick={() => location.reload()}>
            {t('reload')}
          </button>
        </p>
      )}
    </div>
  );
}
