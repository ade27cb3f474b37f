import { useTranslation } from 'react-i18next';
import { useMlStatus } from '../worker/client';

/** The tfjs backend in use; the badge's text is exactly its name (webgpu|webgl|wasm|cpu). */
export default function BackendBadge() {
  const { t } = useTranslation();
  const { backend, backendError } = useMlStatus();
  if (backendError && !backend)
    return (
      <span className="backend-badge error" role="alert">
        {t('backend.failed', { message: backendError })}
      </span>
    );
  if (!backend) return <span className="backend-badge pending">{t('backend.starting')}</span>;
  const skipped = backend.attempts.filter((a) => !a.ok);
  return (
    <span className="backend-group">
      <span className="backend-label">{t('backend.label')}</span>{' '}
      <span className="backend-badge" data-testid="backend" title={t('backend.tooltip', { backend: backend.backend })}>
        {backend.backend}
      </span>
      {backend.choice && (
        <span className="backend-reason" data-testid="backend-reason" data-how={backend.choice.how}>
          {backend.choice.reason}
        </span>
      )}
      {skipped.length > 0 && (
        <details className="backend-details">
          <summary>{t('backend.why', { count: skipped.length })}</summary>
          <ul>
            {skipped.map((a) => (
              <li key={a.backend}>
                <strong>{a.backend}</strong>: {a.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
    </span>
  );
}
