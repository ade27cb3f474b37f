import type { ReactNode } from 'react';
import { linearScale, niceTicks, tickDigits } from './scale';

export const PLOT = { width: 320, height: 240, left: 44, right: 12, top: 12, bottom: 38 };

export interface PlotScales {
  x: (v: number) => number;
  y: (v: number) => number;
}

export interface PlotProps {
  label: string;
  xLabel: string;
  yLabel: string;
  xDomain?: [number, number];
  yDomain?: [number, number];
  xTicks?: number[];
  /** Formats a tick value given the decimals its axis needs. */
  formatTick?: (v: number, digits: number) => string;
  /** Draws the y = x diagonal (chance on ROC, perfect calibration on reliability). */
  diagonal?: boolean;
  children: (s: PlotScales) => ReactNode;
}

/** Axes, grid and labels shared by the XY charts; the chart draws its marks through `children`. */
export default function Plot({
  label,
  xLabel,
  yLabel,
  xDomain = [0, 1],
  yDomain = [0, 1],
  xTicks,
  formatTick = (v, digits) => v.toFixed(digits),
  diagonal,
  children,
}: PlotProps) {
  const { width, height, left, right, top, bottom } = PLOT;
  const x = linearScale(xDomain, [left, width - right]);
  const y = linearScale(yDomain, [height - bottom, top]);
  const xt = xTicks ?? niceTicks(xDomain, 5);
  const yt = niceTicks(yDomain, 5);
  const xd = tickDigits(xt), yd = tickDigits(yt);
  return (
    <svg className="chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label} focusable="false">
      <g className="chart-grid" aria-hidden="true">
        {yt.map((v) => (
          <line key={`y${v}`} x1={left} x2={width - right} y1={y(v)} y2={y(v)} />
        ))}
        {xt.map((v) => (
          <line key={`x${v}`} y1={top} y2={height - bottom} x1={x(v)} x2={x(v)} />
        ))}
      </g>
      <g className="chart-axis" aria-hidden="true">
        <line x1={left} x2={width - right} y1={height - bottom} y2={height - bottom} />
        <line x1={left} x2={left} y1={top} y2={height - bottom} />
        {yt.map((v) => (
          <text key={`yt${v}`} x={left - 4} y={y(v)} dy="0.32em" textAnchor="end">
            {formatTick(v, yd)}
          </text>
        ))}
        {xt.map((v) => (
          <text key={`xt${v}`} x={x(v)} y={height - bottom + 14} textAnchor="middle">
            {formatTick(v, xd)}
          </text>
        ))}
        <text x={(left + width - right) / 2} y={height - 4} textAnchor="middle" className="chart-axis-label">
          {xLabel}
        </text>
        <text
          transform={`translate(11 ${(top + height - bottom) / 2}) rotate(-90)`}
          textAnchor="middle"
          className="chart-axis-label"
        >
          {yLabel}
        </text>
      </g>
      {diagonal && (
        <line
          className="chart-diagonal"
          aria-hidden="true"
          x1={x(xDomain[0])}
          y1={y(yDomain[0])}
          x2={x(xDomain[1])}
          y2={y(yDomain[1])}
        />
      )}
      {children({ x, y })}
    </svg>
  );
}
