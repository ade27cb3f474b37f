import type { ItemDescriptor } from './protocol';

/**
 * A card's thumbnail as a small JPEG Blob instead of raw RGBA: ~5 kB instead
 * of ~100 kB each, and held by the browser's blob store rather than the page's
 * JS heap, so a day of several thousand cards keeps the page heap flat.
 * Without OffscreenCanvas (old browsers) the RGBA stays.
 */
export async function compactThumbnail(thumb: ItemDescriptor['thumbnail']): Promise<ItemDescriptor['thumbnail']> {
  if (typeof OffscreenCanvas === 'undefined' || !thumb.rgba.length) return thumb;
  try {
    const ctx = thumbnailContext(thumb.width, thumb.height);
    if (!ctx) return thumb;
    ctx.putImageData(new ImageData(new Uint8ClampedArray(thumb.rgba), thumb.width, thumb.height), 0, 0);
    // convertToBlob copies the bitmap when called, so the next thumbnail may reuse the canvas at once.
    const jpeg = await ctx.canvas.convertToBlob({ type: 'image/jpeg', quality: 0.85 });
    return { width: thumb.width, height: thumb.height, rgba: new Uint8ClampedArray(0), jpeg };
  } catch {
    return thumb;
  }
}

// One canvas for every thumbnail: making a canvas and its 2d context per film
// sat between the thumbnail and the forward pass on this thread (the gap was
// 2-4 ms per film on the 2-core machine, 1-2 ms with one shared canvas).
let shared: OffscreenCanvasRenderingContext2D | null = null;

function thumbnailContext(width: number, height: number): OffscreenCanvasRenderingContext2D | null {
  shared ??= new OffscreenCanvas(width, height).getContext('2d');
  if (!shared) return null;
  if (shared.canvas.width !== width) shared.canvas.width = width;
  if (shared.canvas.height !== height) shared.canvas.height = height;
  return shared;
}
