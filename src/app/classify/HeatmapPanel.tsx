import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Heatmap } from '../worker/protocol';
import { regionLabel } from './region-label';
import { blendHeatmap, resizeNearest, viridisGradient } from './colormap';

/**
 * Grad-CAM over what the model saw, in viridis, with an opacity slider, a
 * legend and a sentence naming the strongest region for non-visual readers.
 */
export default function HeatmapPanel({ heatmap, onRendered }: { heatmap: Heatmap; onRendered?(dataUrl: string): void }) {
  const { t } = useTranslation('classify');
  const [opacity, setOpacity] = useState(0.6);
  const ref = useRef<HTMLCanvasElement>(null);
  const sliderId = useId();
  const altId = useId();
  const { base } = heatmap;

  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const heat = resizeNearest(heatmap.values, heatmap.width, heatmap.height, base.width, base.height);
    ctx.putImageData(new ImageData(blendHeatmap(base.grey, heat, opacity), base.width, base.height), 0, 0);
    onRendered?.(canvas.toDataURL('image/png'));
  }, [heatmap, base, opacity, onRendered]);

  return (
    <figure className="heatmap">
      <canvas
        ref={ref}
        width={base.width}
        height={base.height}
        data-testid="heatmap"
        role="img"
        aria-describedby={altId}
        aria-label={t('heatmap.aria', { label: heatmap.label })}
      />
      <figcaption>
        <p id={altId}>{t('heatmap.alt', { label: heatmap.label, region: regionLabel(heatmap.region, t) })}</p>
        <div className="heatmap-legend" aria-hidden="true">
          <span>{t('heatmap.low')}</span>
          <span className="heatmap-legend-bar" style={{ background: viridisGradient() }} />
          <span>{t('heatmap.high')}</span>
        </div>
        <label htmlFor={sliderId}>{t('heatmap.opacity')}</label>{' '}
        <input
          id={sliderId}
          type="range"
          min={0}
          max={1}
          step={0.05}
          value={opacity}
          onChange={(e) => setOpacity(Number(e.target.value))}
          aria-valuetext={`${Math.round(opacity * 100)}%`}
        />
      </figcaption>
    </figure>
  );
}
