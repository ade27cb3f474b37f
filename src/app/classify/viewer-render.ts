import type { DecodedImage, VoiWindow } from '../../imaging/types';
import { minMaxWindow, rgbToGrey, cleanNonFinite, toDisplayGrey } from '../../imaging/preprocess';

/** The window the viewer starts with: the file's own, else the frame's range. */
export function initialWindow(image: DecodedImage, frame: number): VoiWindow {
  if (image.windows[0]) return { ...image.windows[0] };
  const raw = cleanNonFinite(image.frames[frame]);
  const grey = image.samplesPerPixel === 3 ? rgbToGrey(raw, image.rows * image.columns) : raw;
  return minMaxWindow(grey);
}

/** RGBA pixels of one frame through a window, optionally inverted on top of MONOCHROME1 handling. */
export function renderFrame(image: DecodedImage, frame: number, window: VoiWindow, invert: boolean): ImageData {
  const grey = toDisplayGrey(image, frame, window);
  const data = new Uint8ClampedArray(grey.length * 4);
  for (let i = 0; i < grey.length; i++) {
    const v = Math.round((invert ? 1 - grey[i] : grey[i]) * 255);
    data[i * 4] = data[i * 4 + 1] = data[i * 4 + 2] = v;
    data[i * 4 + 3] = 255;
  }
  return new ImageData(data, image.columns, image.rows);
}

/** Drag to window: right widens, up brightens (lower centre), scaled to the current width. */
export function dragWindow(start: VoiWindow, dx: number, dy: number): VoiWindow {
  const step = Math.max(start.width, 1) / 256;
  return { center: start.center + dy * step, width: Math.max(1e-3, start.width + dx * step * 2), source: 'user' };
}
