import type { DecodedImage, InputSpec } from '../../imaging/types';
import { cardWindow, resizeArea, resizeForModel, toDisplayGrey } from '../../imaging/preprocess';

/** A small RGBA preview of one frame in its default window (file window, else min-max). */
export function makeThumbnail(image: DecodedImage, frame = 0, longSide = 160): { width: number; height: number; rgba: Uint8ClampedArray } {
  const grey = toDisplayGrey(image, frame);
  const scale = Math.min(1, longSide / Math.max(image.columns, image.rows));
  const width = Math.max(1, Math.round(image.columns * scale));
  const height = Math.max(1, Math.round(image.rows * scale));
  const small = scale < 1 ? resizeArea(grey, image.columns, image.rows, width, height) : grey;
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const v = Math.round(small[i] * 255);
    rgba[i * 4] = rgba[i * 4 + 1] = rgba[i * 4 + 2] = v;
    rgba[i * 4 + 3] = 255;
  }
  return { width, height, rgba };
}

/** The frame as the model saw it (card window, fit and resize), before normalization. */
export function modelView(image: DecodedImage, frame: number, spec: InputSpec): { width: number; height: number; grey: Float32Array } {
  const display = toDisplayGrey(image, frame, cardWindow(image, spec));
  const [height, width] = spec.size;
  return { width, height, grey: resizeForModel(display, image.columns, image.rows, spec) };
}
