import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DecodedImage } from '../../imaging/types';

/** Header fields, identifying ones masked until the user asks to see them. */
export default function MetadataPanel({ image }: { image: DecodedImage }) {
  const { t } = useTranslation('classify');
  const [showPhi, setShowPhi] = useState(false);
  const basics: [string, string][] = [
    [t('meta.format'), image.format],
    [t('meta.modality'), image.modality ?? '—'],
    [t('meta.size'), `${image.columns} × ${image.rows}`],
    [t('meta.frames'), String(image.frames.length)],
    [t('meta.photometric'), image.photometric],
    [t('meta.units'), image.units],
    [t('meta.transferSyntax'), image.transferSyntax ?? '—'],
  ];
  return (
    <details className="metadata" open>
      <summary>{t('meta.title')}</summary>
      <label className="viewer-check">
        <input type="checkbox" checked={showPhi} onChange={(e) => setShowPhi(e.target.checked)} /> {t('meta.showPhi')}
      </label>
      <table>
        <tbody>
          {basics.map(([k, v]) => (
            <tr key={k}>
              <th scope="row">{k}</th>
              <td>{v}</td>
            </tr>
          ))}
          {image.metadata.map((m, i) => (
            <tr key={`${m.tag ?? m.name}-${i}`}>
              <th scope="row">
                {m.name}
                {m.tag ? <span className="meta-tag"> {m.tag}</span> : null}
              </th>
              <td>{m.phi && !showPhi ? <span aria-label={t('meta.masked')}>••••••</span> : m.value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
