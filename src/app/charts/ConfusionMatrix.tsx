import { useTranslation } from 'react-i18next';

export interface ConfusionCounts {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

export type ConfusionCell = keyof ConfusionCounts;

export interface ConfusionMatrixProps {
  negativeLabel: string;
  positiveLabel: string;
  confusion: ConfusionCounts;
  /** When given, each cell is a button that opens the images in it. */
  onSelect?: (cell: ConfusionCell) => void;
  selected?: ConfusionCell | null;
}

/**
 * A 2×2 table (a real <table>, so it reads well without the colours): rows are
 * the true class, columns the predicted class. Shade encodes the row share.
 */
export default function ConfusionMatrix({ negativeLabel, positiveLabel, confusion, onSelect, selected }: ConfusionMatrixProps) {
  const { t } = useTranslation('charts');
  const rows: Array<{ actual: string; cells: [ConfusionCell, ConfusionCell] }> = [
    { actual: positiveLabel, cells: ['tp', 'fn'] },
    { actual: negativeLabel, cells: ['fp', 'tn'] },
  ];
  const cellText: Record<ConfusionCell, string> = { tp: t('tp'), fn: t('fn'), fp: t('fp'), tn: t('tn') };
  return (
    <table className="confusion">
      <caption>{t('confusionTitle')}</caption>
      <thead>
        <tr>
          <td />
          <th scope="col">{t('predictedAs', { label: positiveLabel })}</th>
          <th scope="col">{t('predictedAs', { label: negativeLabel })}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(({ actual, cells }) => {
          const total = confusion[cells[0]] + confusion[cells[1]];
          return (
            <tr key={actual}>
              <th scope="row">{t('actually', { label: actual })}</th>
              {cells.map((c) => {
                const share = total ? confusion[c] / total : 0;
                const correct = c === 'tp' || c === 'tn';
                const body = (
                  <>
                    <span className="confusion-count">{confusion[c]}</span>
                    <span className="confusion-kind">{cellText[c]}</span>
                  </>
                );
                return (
                  <td
                    key={c}
                    className={`confusion-cell ${correct ? 'correct' : 'wrong'}`}
                    style={{ ['--share' as string]: share.toFixed(3) }}
                  >
                    {onSelect ? (
                      <button
                        type="button"
                        aria-pressed={selected === c}
                        aria-label={t('cellButton', { kind: cellText[c], n: confusion[c] })}
                        onClick={() => onSelect(c)}
                      >
                        {body}
                      </button>
                    ) : (
                      body
                    )}
                  </td>
                );
              })}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
