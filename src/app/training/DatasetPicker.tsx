import { useRef, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { filesFromDrop, filesFromInput, rootCsv, type PickedFile } from './folder-files';

export interface PickedDataset {
  files: PickedFile[];
  /** Name of the chosen folder, for display. */
  folder: string;
}

interface Props {
  onFiles(picked: PickedDataset): void;
  onCsv(text: string | undefined, name: string | undefined): void;
  csvName?: string;
  disabled?: boolean;
  /** data-testid of the folder input (the contract names the Training page's one). */
  inputTestId: string;
  idPrefix: string;
}

/** A folder with one subfolder per class, by folder input or drag and drop, plus an optional labels CSV. */
export default function DatasetPicker({ onFiles, onCsv, csvName, disabled, inputTestId, idPrefix }: Props) {
  const { t } = useTranslation('train');
  const [over, setOver] = useState(false);
  const folderInput = useRef<HTMLInputElement>(null);
  const csvInput = useRef<HTMLInputElement>(null);

  function accept(files: PickedFile[], folder: string) {
    const csv = rootCsv(files);
    onFiles({ files: files.filter((f) => f !== csv), folder });
    if (csv) void csv.file.text().then((text) => onCsv(text, csv.path));
  }

  async function onDrop(e: DragEvent) {
    e.preventDefault();
    setOver(false);
    if (disabled) return;
    const files = await filesFromDrop(e.dataTransfer);
    const first = e.dataTransfer.items[0]?.webkitGetAsEntry?.();
    accept(files, first?.isDirectory ? first.name : t('droppedFiles'));
  }

  return (
    <div
      className={`drop-zone${over ? ' over' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => void onDrop(e)}
    >
      <p>{t('pickExplain')}</p>
      <div className="actions" style={{ justifyContent: 'center' }}>
        <button type="button" className="primary" disabled={disabled} onClick={() => folderInput.current?.click()}>
          {t('pickFolder')}
        </button>
        <input
          ref={folderInput}
          id={`${idPrefix}-folder`}
          tabIndex={-1}
          aria-label={t('pickFolder')}
          className="visually-hidden"
          type="file"
          multiple
          data-testid={inputTestId}
          disabled={disabled}
          // React does not know webkitdirectory; set it as a plain attribute.
          {...{ webkitdirectory: '', directory: '' }}
          onChange={(e) => {
            const list = e.currentTarget.files;
            if (!list?.length) return;
            const folder = (list[0].webkitRelativePath || list[0].name).split('/')[0];
            accept(filesFromInput(list), folder);
            e.currentTarget.value = '';
          }}
        />
        <button type="button" disabled={disabled} onClick={() => csvInput.current?.click()}>
          {t('pickCsv')}
        </button>
        <input
          ref={csvInput}
          id={`${idPrefix}-csv`}
          tabIndex={-1}
          aria-label={t('pickCsv')}
          className="visually-hidden"
          type="file"
          accept=".csv,text/csv"
          disabled={disabled}
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            if (file) void file.text().then((text) => onCsv(text, file.name));
            e.currentTarget.value = '';
          }}
        />
        {csvName && (
          <span>
            {t('csvInUse', { name: csvName })}{' '}
            <button type="button" onClick={() => onCsv(undefined, undefined)}>
              {t('csvRemove')}
            </button>
          </span>
        )}
      </div>
      <p className="muted">{t('dropHint')}</p>
    </div>
  );
}
