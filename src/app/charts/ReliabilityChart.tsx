import { useTranslation } from 'react-i18next';
import DataTable from './DataTable';
import { useFormat } from './format';
import Plot from './Plot';

export interface ReliabilityChartProps {
  binCenters: number[];
  /** Observed positive rate per bin (NaN when empty). */
  accuracy: number[];
  /** Mean predicted probability per bin (NaN when empty). */
  confidence: number[];
  counts: number[];
  ece?: number;
  title?: string;
}

/** Bars of observed positive rate per probability bin against the diagonal of perfect calibration. */
export default function ReliabilityChart({ binCenters, accuracy, confidence, counts, ece, title }: ReliabilityChartProps) {
  const { t } = useTranslation('charts');
  const f = useFormat();
  const heading = title ?? t('reliabilityTitle');
  const width = binCenters.length ? 1 / binCenters.length : 0.1;
  const n = counts.reduce((a, b) => a + b, 0);
  const label = t('reliabilitySummary', { ece: f.num(ece ?? NaN), bins: binCenters.length, n });
  return (
    <figure className="chart-figure">
      <figcaption>
        {heading}
        {ece != null && `: ${t('eceValue', { ece: f.num(ece) })}`}
      </figcaption>
      <Plot label={label} xLabel={t('predicted')} yLabel={t('observed')} diagonal formatTick={(v, d) => f.num(v, d)}>
        {({ x, y }) => (
          <>
            {binCenters.map((c, i) =>
              counts[i] && Number.isFinite(accuracy[i]) ? (
                <rect
                  key={i}
                  className="chart-bar"
                  x={x(c - width / 2) + 0.5}
                  width={Math.max(1, x(c + width / 2) - x(c - width / 2) - 1)}
                  y={y(accuracy[i])}
                  height={Math.max(0, y(0) - y(accuracy[i]))}
                >
                  <title>{t('binTip', { p: f.num(confidence[i], 2), obs: f.num(accuracy[i], 2), n: counts[i] })}</title>
                </rect>
              ) : null,
            )}
            {binCenters.map((c, i) =>
              counts[i] && Number.isFinite(confidence[i]) ? (
                <circle key={`c${i}`} className="chart-marker" cx={x(confidence[i])} cy={y(accuracy[i])} r={2.5} />
              ) : null,
            )}
          </>
        )}
      </Plot>
      <DataTable
        caption={heading}
        columns={[t('bin'), t('predicted'), t('observed'), t('count')]}
        rows={binCenters
          .map((c, i) => [f.num(c, 2), f.num(confidence[i]), f.num(accuracy[i]), counts[i]] as Array<string | number>)
          .filter((_, i) => counts[i] > 0)}
      />
    </figure>
  );
}
