import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../charts';
import type { ScoredImage } from './site-metrics';

/** Browsers show PNG and JPEG themselves; other formats (DICOM, NIfTI) are listed by name. */
const VIEWABLE = /\.(png|jpe?g)$/i;

interface Props {
  title: string;
  images: ScoredImage[];
  files: Map<string, File>;
  onClose(): void;
}

export default function CellImages({ title, images, files, onClose }: Props) {
  const { t } = useTranslation('validate');
  const f = useFormat();
  const [urls, setUrls] = useState<Map<string, string>>(new Map());
  const shown = images.slice(0, 200);
  useEffect(() => {
    const made = new Map<string, string>();
    for (const img of shown) {
      const file = files.get(img.file);
      if (file && VIEWABLE.test(img.file)) made.set(img.file, URL.createObjectURL(file));
    }
    setUrls(made);
    return () => made.forEach((u) => URL.revokeObjectURL(u));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [images, files]);
  return (
    <div className="panel" role="region" aria-label={title} data-testid="cell-images">
      <div className="actions" style={{ justifyContent: 'space-between' }}>
        <h2>{title}</h2>
        <button type="button" onClick={onClose}>
          {t('close')}
        </button>
      </div>
      {images.length === 0 ? (
        <p>{t('cellEmpty')}</p>
      ) : (
        <ul className="thumbs">
          {shown.map((img) => (
            <li key={img.file}>
              {urls.get(img.file) ? <img src={urls.get(img.file)} alt="" /> : <span className="thumb-missing" aria-hidden="true" />}
              <span>{img.file}</span>
              <span>
                {t('score', { p: f.num(img.score) })}
                {img.ood && ` · ${t('refused')}`}
              </span>
            </li>
          ))}
        </ul>
      )}
      {images.length > shown.length && <p className="muted">{t('cellMore', { n: images.length - shown.length })}</p>}
    </div>
  );
}
