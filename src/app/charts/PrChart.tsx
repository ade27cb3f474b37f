import { useTranslation } from 'react-i18next';
import DataTable from './DataTable';
import { useFormat } from './format';
import Plot from './Plot';
import { sampleRows } from './RocChart';
import { linePath } from './scale';

export interface PrChartProps {
  points: Array<{ recall: number; precision: number; threshold: number }>;
  /** Average precision, if known. */
  ap?: number;
  /** Share of positives: the precision of a random classifier. */
  prevalence?: number;
}

export default function PrChart({ points, ap, prevalence }: PrChartProps) {
  const { t } = useTranslation('charts');
  const f = useFormat();
  const label = t('prSummary', { ap: f.num(ap ?? NaN), prevalence: f.pct(prevalence ?? NaN), n: points.length });
  const path = [{ recall: 0, precision: points[0]?.precision ?? 1 }, ...points];
  return (
    <figure className="chart-figure">
      <figcaption>
        {t('prTitle')}
        {ap != null && `: ${t('apValue', { ap: f.num(ap) })}`}
      </figcaption>
      <Plot label={label} xLabel={t('recall')} yLabel={t('precision')} formatTick={(v, d) => f.num(v, d)}>
        {({ x, y }) => (
          <>
            {prevalence != null && Number.isFinite(prevalence) && (
              <line className="chart-diagonal" x1={x(0)} x2={x(1)} y1={y(prevalence)} y2={y(prevalence)} aria-hidden="true" />
            )}
            <path className="chart-curve" d={linePath(path.map((p) => [x(p.recall), y(p.precision)]))} />
          </>
        )}
      </Plot>
      <DataTable
        caption={t('prTitle')}
        columns={[t('threshold'), t('recall'), t('precision')]}
        rows={sampleRows(points).map((p) => [f.num(p.threshold), f.num(p.recall), f.num(p.precision)])}
      />
    </figure>
  );
}
