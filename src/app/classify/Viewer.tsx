import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent, type WheelEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { DecodedImage, VoiWindow } from '../../imaging/types';
import { getMlClient } from '../worker/client';
import { intlLocale } from '../i18n';
import type { Card } from './cards';
import { dragWindow, initialWindow, renderFrame } from './viewer-render';
import { CT_WINDOW_PRESETS } from '../../imaging/voi-presets';
import { formatPercent } from '../charts/format';
import SliceScores from './SliceScores';
import MetadataPanel from './MetadataPanel';
import { oodText } from './ood-text';

const VIEWER_PRESETS = Object.values(CT_WINDOW_PRESETS) as (VoiWindow & { name: string })[];

const VIEW = 512;

/** A modal viewer: window/level, presets, invert, zoom/pan, slices, scores and metadata. Keyboard operable. */
export default function Viewer({ card, onClose }: { card: Card; onClose(): void }) {
  const { t } = useTranslation('classify');
  const dialogRef = useRef<HTMLDialogElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [image, setImage] = useState<DecodedImage | null>(null);
  const [error, setError] = useState('');
  const [frame, setFrame] = useState(card.result?.aggregate?.maxFrame ?? 0);
  const [win, setWin] = useState<VoiWindow | null>(null);
  const [invert, setInvert] = useState(false);
  const [zoom, setZoom] = useState(1);
  const [pan, setPan] = useState({ x: 0, y: 0 });
  const drag = useRef<{ x: number; y: number; mode: 'window' | 'pan'; win: VoiWindow; pan: { x: number; y: number } } | null>(null);
  const titleId = useId();
  const helpId = useId();
  const sliderId = useId();

  useEffect(() => {
    dialogRef.current?.showModal();
    let live = true;
    getMlClient()
      .getImage(card.key)
      .then((img) => {
        if (!live) return;
        setImage(img);
        setWin(initialWindow(img, Math.min(frame, img.frames.length - 1)));
      })
      .catch((e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
    // Loaded once per opened card.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [card.key]);

  const frameImage = useMemo(() => (image && win ? renderFrame(image, frame, win, invert) : null), [image, frame, win, invert]);

  useEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx || !frameImage) return;
    const off = new OffscreenCanvas(frameImage.width, frameImage.height);
    off.getContext('2d')!.putImageData(frameImage, 0, 0);
    const fit = Math.min(VIEW / frameImage.width, VIEW / frameImage.height) * zoom;
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, VIEW, VIEW);
    ctx.imageSmoothingEnabled = fit < 1;
    ctx.setTransform(fit, 0, 0, fit, VIEW / 2 + pan.x - (frameImage.width * fit) / 2, VIEW / 2 + pan.y - (frameImage.height * fit) / 2);
    ctx.drawImage(off, 0, 0);
    ctx.setTransform(1, 0, 0, 1, 0, 0);
  }, [frameImage, zoom, pan]);

  const frames = image?.frames.length ?? card.item?.frames ?? 1;
  const goFrame = (f: number) => setFrame(Math.min(Math.max(f, 0), frames - 1));

  function onPointerDown(e: PointerEvent<HTMLCanvasElement>) {
    if (!win) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { x: e.clientX, y: e.clientY, mode: e.shiftKey || e.button === 1 || e.button === 2 ? 'pan' : 'window', win, pan };
  }
  function onPointerMove(e: PointerEvent<HTMLCanvasElement>) {
    const d = drag.current;
    if (!d) return;
    const dx = e.clientX - d.x, dy = e.clientY - d.y;
    if (d.mode === 'pan') setPan({ x: d.pan.x + dx, y: d.pan.y + dy });
    else setWin(dragWindow(d.win, dx, dy));
  }
  function onWheel(e: WheelEvent<HTMLCanvasElement>) {
    if (e.ctrlKey) setZoom((z) => Math.min(16, Math.max(0.25, z * (e.deltaY < 0 ? 1.15 : 1 / 1.15))));
    else if (frames > 1) goFrame(frame + Math.sign(e.deltaY));
  }
  function onKeyDown(e: KeyboardEvent<HTMLCanvasElement>) {
    const panBy: Record<string, [number, number]> = { ArrowUp: [0, -20], ArrowDown: [0, 20], ArrowLeft: [-20, 0], ArrowRight: [20, 0] };
    if (e.shiftKey && panBy[e.key]) {
      e.preventDefault();
      const [dx, dy] = panBy[e.key];
      setPan((p) => ({ x: p.x + dx, y: p.y + dy }));
      return;
    }
    const keys: Record<string, () => void> = {
      ArrowUp: () => goFrame(frame - 1),
      ArrowDown: () => goFrame(frame + 1),
      PageUp: () => goFrame(frame - 10),
      PageDown: () => goFrame(frame + 10),
      Home: () => goFrame(0),
      End: () => goFrame(frames - 1),
      '+': () => setZoom((z) => Math.min(16, z * 1.25)),
      '=': () => setZoom((z) => Math.min(16, z * 1.25)),
      '-': () => setZoom((z) => Math.max(0.25, z / 1.25)),
      i: () => setInvert((v) => !v),
      ArrowLeft: () => win && setWin(dragWindow(win, -8, 0)),
      ArrowRight: () => win && setWin(dragWindow(win, 8, 0)),
    };
    const action = keys[e.key];
    if (action) {
      e.preventDefault();
      action();
    }
  }

  const num = (v: number) => new Intl.NumberFormat(intlLocale(), { maximumFractionDigits: 1 }).format(v);
  const r = card.result;

  return (
    <dialog ref={dialogRef} className="viewer" aria-labelledby={titleId} onClose={onClose} onCancel={onClose}>
      <div className="viewer-head">
        <h2 id={titleId}>{card.item?.seriesDescription || card.file}</h2>
        <button type="button" onClick={() => dialogRef.current?.close()}>
          {t('viewer.close')}
        </button>
      </div>
      {error && <p className="result-error">{error}</p>}
      <div className="viewer-body">
        <div className="viewer-stage">
          <canvas
            ref={canvasRef}
            width={VIEW}
            height={VIEW}
            tabIndex={0}
            role="img"
            aria-label={t('viewer.canvas', { file: card.file, slice: frame + 1, total: frames })}
            aria-describedby={helpId}
            onPointerDown={onPointerDown}
            onPointerMove={onPointerMove}
            onPointerUp={() => (drag.current = null)}
            onPointerCancel={() => (drag.current = null)}
            onContextMenu={(e) => e.preventDefault()}
            onWheel={onWheel}
            onKeyDown={onKeyDown}
          />
          <p id={helpId} className="viewer-help">{t('viewer.help')}</p>
          {frames > 1 && (
            <div className="viewer-slices">
              <label htmlFor={sliderId}>{t('viewer.slice', { slice: frame + 1, total: frames })}</label>
              <input id={sliderId} type="range" min={1} max={frames} value={frame + 1} onChange={(e) => goFrame(Number(e.target.value) - 1)} />
            </div>
          )}
        </div>
        <div className="viewer-side">
          <fieldset>
            <legend>{t('viewer.window')}</legend>
            <div className="viewer-presets">
              {VIEWER_PRESETS.map((p) => (
                <button
                  type="button"
                  key={p.name}
                  onClick={() => setWin({ ...p })}
                  disabled={image?.units !== 'HU'}
                  title={image?.units !== 'HU' ? t('viewer.presetNeedsHu') : undefined}
                  aria-pressed={win?.name === p.name}
                >
                  {t(`viewer.presets.${p.name}`)} ({p.center}/{p.width})
                </button>
              ))}
              <button type="button" onClick={() => image && setWin(initialWindow(image, frame))}>
                {t('viewer.resetWindow')}
              </button>
            </div>
            {win && (
              <div className="viewer-wl">
                <label>
                  {t('viewer.center')}{' '}
                  <input type="number" value={Number(win.center.toFixed(1))} onChange={(e) => setWin({ ...win, center: Number(e.target.value), source: 'user', name: undefined })} />
                </label>
                <label>
                  {t('viewer.width')}{' '}
                  <input type="number" min={0.001} value={Number(win.width.toFixed(1))} onChange={(e) => setWin({ ...win, width: Math.max(0.001, Number(e.target.value)), source: 'user', name: undefined })} />
                </label>
                <span className="viewer-units">{image ? t(`viewer.units.${image.units}`) : ''}</span>
              </div>
            )}
            <label className="viewer-check">
              <input type="checkbox" checked={invert} onChange={(e) => setInvert(e.target.checked)} /> {t('viewer.invert')}
            </label>
          </fieldset>
          <div className="viewer-zoom" role="group" aria-label={t('viewer.zoom')}>
            <button type="button" onClick={() => setZoom((z) => Math.max(0.25, z / 1.25))} aria-label={t('viewer.zoomOut')}>−</button>
            <span>{num(zoom * 100)}%</span>
            <button type="button" onClick={() => setZoom((z) => Math.min(16, z * 1.25))} aria-label={t('viewer.zoomIn')}>+</button>
            <button type="button" onClick={() => { setZoom(1); setPan({ x: 0, y: 0 }); }}>{t('viewer.fit')}</button>
          </div>
          {r && (
            <div className="viewer-scores">
              {r.slices && r.aggregate ? (
                <>
                  <p>
                    {t('card.seriesSummary', {
                      slice: r.aggregate.maxFrame + 1,
                      max: formatPercent(r.aggregate.maxProbability),
                      mean: formatPercent(r.aggregate.meanProbability),
                      label: r.aggregate.positiveLabel,
                    })}
                  </p>
                  <p>
                    {t('viewer.thisSlice', { slice: frame + 1, p: formatPercent(r.slices[frame]?.scores[r.positiveLabel] ?? 0), label: r.positiveLabel })}
                    {r.slices[frame]?.ood ? ` · ${t('viewer.sliceOod')}` : ''}
                  </p>
                  <SliceScores slices={r.slices} positiveLabel={r.positiveLabel} threshold={r.result.threshold} current={frame} onPick={goFrame} />
                </>
              ) : (
                <p>
                  {r.result.ood
                    ? t('card.notAnalysed', { reason: oodText(r.result) })
                    : `${r.result.label} · ${formatPercent(r.result.probability)}${r.result.unsure ? ` · ${t('card.unsure')}` : ''}`}
                </p>
              )}
            </div>
          )}
          {image && <MetadataPanel image={image} />}
        </div>
      </div>
    </dialog>
  );
}
