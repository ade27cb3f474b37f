import { useTranslation } from 'react-i18next';
import { useMlStatus, getMlClient } from '../worker/client';

/** Says which model is loading, or why it could not be loaded, above every page. */
export default function ModelStatusBanner() {
  const { t } = useTranslation();
  const { modelLoading, modelError, backendError } = useMlStatus();
  if (modelError)
    return (
      <div className="banner error" role="alert" data-testid="model-error">
        <p>{t('model.loadFailed', { id: modelError.ref.id, message: modelError.message })}</p>
        <button type="button" onClick={() => void getMlClient().loadModel(modelError.ref, { force: true }).catch(() => {})}>
          {t('model.retry')}
        </button>
      </div>
    );
  if (backendError)
    return (
      <div className="banner error" role="alert">
        <p>{t('backend.failed', { message: backendError })}</p>
      </div>
    );
  if (modelLoading)
    return (
      <div className="banner info" role="status">
        <p>{t('model.loading', { id: modelLoading.id })}</p>
      </div>
    );
  return null;
}
