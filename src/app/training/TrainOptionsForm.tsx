import { useTranslation } from 'react-i18next';
import type { TrainMode, TrainOptions } from './train-protocol';
import { VIEW_BUDGET_SECONDS, DEFAULT_HEAD_VIEWS, TRAINING_MODES, pageModes, type BackendName } from '../../ml';

interface Props {
  options: TrainOptions;
  onChange(o: TrainOptions): void;
  backend: string | null;
  bases: { id: string; name: string }[];
  disabled?: boolean;
}

/** The modes this backend can train in the page (TRAINING_MODES: fine-tuning wants a GPU; wasm cannot train convolutions). */
export function offeredModes(backend: string | null): TrainMode[] {
  return pageModes(backend as BackendName | null);
}

export function defaultOptions(baseModel: string): TrainOptions {
  return {
    mode: 'head',
    baseModel,
    augmentViews: 'auto',
    epochs: 30,
    learningRate: 0.001,
    classWeighting: true,
    patience: 5,
    augment: { flip: false, rotate: true, brightness: true },
    batchSize: 32,
  };
}

export default function TrainOptionsForm({ options, onChange, backend, bases, disabled }: Props) {
  const { t } = useTranslation('train');
  const set = (patch: Partial<TrainOptions>) => onChange({ ...options, ...patch });
  const modes = offeredModes(backend);
  const augmentable = options.mode !== 'head' || options.augmentViews !== 0;
  return (
    <fieldset className="panel" disabled={disabled}>
      <legend>
        <h2>{t('optionsTitle')}</h2>
      </legend>
      <div className="field-grid">
        <label className="field">
          <span>{t('mode')}</span>
          <select value={options.mode} onChange={(e) => set({ mode: e.currentTarget.value as TrainMode })} data-testid="train-mode">
            {modes.map((m) => (
              <option key={m} value={m}>
                {t(`mode_${m}`)}
              </option>
            ))}
          </select>
          <small>
            {t(`modeHelp_${options.mode}`)}
            {backend && !TRAINING_MODES.finetune.pageBackends.includes(backend as BackendName) && ` ${t('finetuneNeedsGpu', { backend })}`}
          </small>
        </label>
        {options.mode !== 'scratch' && (
          <label className="field">
            <span>{t('baseModel')}</span>
            <select value={options.baseModel} onChange={(e) => set({ baseModel: e.currentTarget.value })} data-testid="train-base">
              {bases.map((b) => (
                <option key={b.id} value={b.id}>
                  {b.name}
                </option>
              ))}
            </select>
          </label>
        )}
        {options.mode === 'head' && (
          <label className="field">
            <span>{t('augmentViews')}</span>
            <select
              value={String(options.augmentViews)}
              onChange={(e) => set({ augmentViews: e.currentTarget.value === 'auto' ? 'auto' : Number(e.currentTarget.value) })}
              data-testid="train-views"
            >
              <option value="auto">{t('augmentViewsAuto', { seconds: VIEW_BUDGET_SECONDS, max: DEFAULT_HEAD_VIEWS })}</option>
              {[0, 1, 2, 4, 8].map((n) => (
                <option key={n} value={String(n)}>
                  {n}
                </option>
              ))}
            </select>
            <small>{t('augmentViewsHelp')}</small>
          </label>
        )}
        <label className="field">
          <span>{t(options.mode === 'head' ? 'rounds' : 'epochs')}</span>
          <input type="number" min={1} max={500} value={options.epochs} onChange={(e) => set({ epochs: clampInt(e.currentTarget.value, 1, 500) })} />
          {options.mode === 'head' && <small>{t('headFitNote')}</small>}
        </label>
        {options.mode !== 'head' && (
          <>
          <label className="field">
            <span>{t('learningRate')}</span>
            <input
              type="number"
              min={0.00001}
              max={1}
              step="any"
              value={options.learningRate}
              onChange={(e) => {
                const v = Number(e.currentTarget.value);
                if (v > 0) set({ learningRate: v });
              }}
            />
          </label>
          <label className="field">
            <span>{t('patience')}</span>
            <input type="number" min={0} max={100} value={options.patience} onChange={(e) => set({ patience: clampInt(e.currentTarget.value, 0, 100) })} />
            <small>{t('patienceHelp')}</small>
          </label>
          <label className="field">
            <span>{t('batchSize')}</span>
            <input type="number" min={1} max={256} value={options.batchSize} onChange={(e) => set({ batchSize: clampInt(e.currentTarget.value, 1, 256) })} />
          </label>
          </>
        )}
      </div>
      <div className="field-grid" style={{ marginTop: 'var(--space-3)' }}>
        <label className="check">
          <input type="checkbox" checked={options.classWeighting} onChange={(e) => set({ classWeighting: e.currentTarget.checked })} />
          <span>
            {t('classWeighting')}
            <br />
            <small className="muted">{t('classWeightingHelp')}</small>
          </span>
        </label>
        <fieldset className="augment">
          <legend>{t('augmentation')}</legend>
          {options.mode === 'head' && <small className="muted">{t(augmentable ? 'augmentViewsNote' : 'augmentHeadNote')}</small>}
          <label className="check">
            <input
              type="checkbox"
              disabled={!augmentable}
              checked={options.augment.flip}
              onChange={(e) => set({ augment: { ...options.augment, flip: e.currentTarget.checked } })}
            />
            <span>
              {t('augFlip')}
              <br />
              <small className="muted">{t('augFlipNote')}</small>
            </span>
          </label>
          <label className="check">
            <input
              type="checkbox"
              disabled={!augmentable}
              checked={options.augment.rotate}
              onChange={(e) => set({ augment: { ...options.augment, rotate: e.currentTarget.checked } })}
            />
            <span>{t('augRotate')}</span>
          </label>
          <label className="check">
            <input
              type="checkbox"
              disabled={!augmentable}
              checked={options.augment.brightness}
              onChange={(e) => set({ augment: { ...options.augment, brightness: e.currentTarget.checked } })}
            />
            <span>{t('augBrightness')}</span>
          </label>
        </fieldset>
      </div>
    </fieldset>
  );
}

function clampInt(text: string, lo: number, hi: number): number {
  const v = Math.round(Number(text));
  return Number.isFinite(v) ? Math.max(lo, Math.min(hi, v)) : lo;
}
