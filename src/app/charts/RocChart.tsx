import { useTranslation } from 'react-i18next';
import DataTable from './DataTable';
import { useFormat } from './format';
import Plot from './Plot';
import { linePath } from './scale';

export interface RocChartProps {
  points: Array<{ fpr: number; tpr: number; threshold: number }>;
  auc: number;
  ci?: [number, number];
  /** The current operating point, marked on the curve. */
  operating?: { fpr: number; tpr: number };
  title?: string;
}

/** Thins a long curve for the data table; the plotted path keeps every point. */
export function sampleRows<T>(items: T[], max = 25): T[] {
  if (items.length <= max) return items;
  const step = (items.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => items[Math.round(i * step)]);
}

export default function RocChart({ points, auc, ci, operating, title }: RocChartProps) {
  const { t } = useTranslation('charts');
  const f = useFormat();
  const heading = title ?? t('rocTitle');
  const ciText = ci && Number.isFinite(ci[0]) ? t('ci', { lo: f.num(ci[0]), hi: f.num(ci[1]) }) : '';
  const label = t('rocSummary', { auc: f.num(auc), ci: ciText, n: points.length });
  return (
    <figure className="chart-figure">
      <figcaption>
        {heading}: {t('aucValue', { auc: f.num(auc) })} {ciText}
      </figcaption>
      <Plot label={label} xLabel={t('fpr')} yLabel={t('tpr')} diagonal formatTick={(v, d) => f.num(v, d)}>
        {({ x, y }) => (
          <>
            <path className="chart-curve" d={linePath(points.map((p) => [x(p.fpr), y(p.tpr)]))} />
            {operating && (
              <circle className="chart-operating" cx={x(operating.fpr)} cy={y(operating.tpr)} r={5}>
                <title>{t('operatingPoint')}</title>
              </circle>
            )}
          </>
        )}
      </Plot>
      <DataTable
        caption={heading}
        columns={[t('threshold'), t('fpr'), t('tpr')]}
        rows={sampleRows(points).map((p) => [Number.isFinite(p.threshold) ? f.num(p.threshold) : '∞', f.num(p.fpr), f.num(p.tpr)])}
      />
    </figure>
  );
}
