import { useEffect, useRef } from 'react';

/** Pixels computed in a worker (RGBA), drawn into a canvas. */
export default function RgbaImage({ width, height, rgba, label }: { width: number; height: number; rgba: Uint8ClampedArray; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    ctx.putImageData(new ImageData(new Uint8ClampedArray(rgba), width, height), 0, 0);
  }, [width, height, rgba]);
  return <canvas ref={ref} width={width} height={height} role="img" aria-label={label} />;
}
