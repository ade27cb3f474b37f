import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMlStatus } from '../worker/client';
import { downloadFile } from '../download';
import { announce } from '../announce';
import type { Card } from './cards';
import { srEligible, srForCard, srZip } from './sr-export';

const DICOM = 'application/dicom';

/** "Export DICOM SR" on one DICOM result card; nothing for other formats. */
export function SrExportButton({ card }: { card: Card }) {
  const { t } = useTranslation('report');
  const status = useMlStatus();
  const [error, setError] = useState('');
  if (!srEligible(card)) return null;
  async function run() {
    setError('');
    try {
      const file = await srForCard(card, status.model?.card ?? null);
      downloadFile(file.bytes, file.name, DICOM);
      announce(t('sr.saved', { file: file.name }));
    } catch (e) {
      setError((e as Error).message);
    }
  }
  return (
    <>
      <button type="button" data-testid="export-sr" onClick={() => void run()}>
        {t('sr.export')}
      </button>
      {error && (
        <span className="result-error" role="alert">
          {t('sr.failed', { message: error })}
        </span>
      )}
    </>
  );
}

/** The batch's SRs as one zip, for the results toolbar. */
export function SrBatchExportButton({ cards }: { cards: Card[] }) {
  const { t } = useTranslation('report');
  const status = useMlStatus();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState('');
  const eligible = cards.filter(srEligible).length;
  if (!eligible) return null;
  async function run() {
    setBusy(true);
    setMessage('');
    try {
      const { zip, count, failed } = await srZip(cards, status.model?.card ?? null);
      if (count) downloadFile(zip, 'radlens-sr.zip', 'application/zip');
      const text = failed.length ? t('sr.batchPartial', { count, failed: failed.length, first: failed[0] }) : t('sr.batchSaved', { count });
      setMessage(text);
      announce(text);
    } catch (e) {
      setMessage(t('sr.failed', { message: (e as Error).message }));
    } finally {
      setBusy(false);
    }
  }
  return (
    <>
      <button type="button" data-testid="export-sr-batch" onClick={() => void run()} disabled={busy}>
        {t('sr.exportBatch', { count: eligible })}
      </button>
      {message && <span role="status" data-testid="sr-batch-status">{message}</span>}
    </>
  );
}
