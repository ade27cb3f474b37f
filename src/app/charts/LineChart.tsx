import { useTranslation } from 'react-i18next';
import DataTable from './DataTable';
import { useFormat } from './format';
import Plot from './Plot';
import { extent, linePath } from './scale';

export interface Series {
  name: string;
  /** One value per x step (epoch); null where there is none. */
  values: Array<number | null>;
}

export interface LineChartProps {
  title: string;
  series: Series[];
  xLabel: string;
  yLabel: string;
  /** Fixed y range (e.g. [0, 1] for accuracy); otherwise the data's extent. */
  yDomain?: [number, number];
}

/** Values per epoch (x = 1, 2, …), several series with distinct colours and dash patterns. */
export default function LineChart({ title, series, xLabel, yLabel, yDomain }: LineChartProps) {
  const { t } = useTranslation('charts');
  const f = useFormat();
  const steps = Math.max(1, ...series.map((s) => s.values.length));
  const yd = yDomain ?? extent(series.flatMap((s) => s.values));
  const xd: [number, number] = [1, Math.max(2, steps)];
  const last = series
    .map((s) => {
      const v = [...s.values].reverse().find((x) => x != null);
      return `${s.name} ${f.num(v ?? NaN)}`;
    })
    .join(', ');
  const label = t('lineSummary', { title, steps: series.some((s) => s.values.length) ? steps : 0, last });
  const xTicks = steps <= 10 ? Array.from({ length: Math.max(2, steps) }, (_, i) => i + 1) : undefined;
  return (
    <figure className="chart-figure">
      <figcaption>{title}</figcaption>
      <Plot label={label} xLabel={xLabel} yLabel={yLabel} xDomain={xd} yDomain={yd} xTicks={xTicks} formatTick={(v, d) => f.num(v, d)}>
        {({ x, y }) =>
          series.map((s, i) => (
            <g key={s.name} className={`chart-series series-${i % 4}`}>
              <path d={linePath(s.values.map((v, k) => (v == null || !Number.isFinite(v) ? null : [x(k + 1), y(v)])))} />
              {s.values.map((v, k) =>
                v == null || !Number.isFinite(v) ? null : <circle key={k} cx={x(k + 1)} cy={y(v)} r={2.5} />,
              )}
            </g>
          ))
        }
      </Plot>
      {series.length > 1 && (
        <ul className="chart-legend" aria-hidden="true">
          {series.map((s, i) => (
            <li key={s.name} className={`series-${i % 4}`}>
              <svg width="22" height="8">
                <line x1="0" x2="22" y1="4" y2="4" />
              </svg>
              {s.name}
            </li>
          ))}
        </ul>
      )}
      <DataTable
        caption={title}
        columns={[xLabel, ...series.map((s) => s.name)]}
        rows={Array.from({ length: steps }, (_, k) => [k + 1, ...series.map((s) => f.num(s.values[k] ?? NaN))])}
      />
    </figure>
  );
}
