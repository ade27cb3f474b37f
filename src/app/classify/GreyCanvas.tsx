import { useEffect, useRef, type CanvasHTMLAttributes } from 'react';

/** Paints an RGBA buffer into a canvas at its own resolution; CSS scales it. */
export default function GreyCanvas({
  width,
  height,
  rgba,
  ...rest
}: { width: number; height: number; rgba: Uint8ClampedArray } & CanvasHTMLAttributes<HTMLCanvasElement>) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    ctx.putImageData(new ImageData(new Uint8ClampedArray(rgba), width, height), 0, 0);
  }, [width, height, rgba]);
  return <canvas ref={ref} width={width} height={height} {...rest} />;
}
