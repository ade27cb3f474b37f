import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useModels } from '../state/ModelContext';
import { parseRefKey, refKey } from '../state/model-ref';
import { modelTag } from '../../ml';

export default function ModelPicker() {
  const { t } = useTranslation();
  const { active, setActive, models } = useModels();
  const id = useId();
  const activeKey = refKey(active);
  const listed = models.some((m) => refKey(m.ref) === activeKey);
  return (
    <span className="model-picker">
      <label htmlFor={id}>{t('model.label')}</label>{' '}
      <select
        id={id}
        value={activeKey}
        onChange={(e) => {
          const ref = parseRefKey(e.target.value);
          if (ref) setActive(ref);
        }}
      >
        {!listed && <option value={activeKey}>{active.id}</option>}
        {models.map((m) => (
          <option key={refKey(m.ref)} value={refKey(m.ref)}>
            {m.error ? `${m.id} (${t('model.unavailable')})` : `${m.name} — ${modelTag(m)}`}
            {m.ref.kind === 'local' ? ` · ${t('model.local')}` : ''}
          </option>
        ))}
      </select>
    </span>
  );
}
