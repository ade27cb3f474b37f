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
    const canvas = new OffscreenCanvas(thumb.width, thumb.height);
    const ctx = canvas.getContext('2d');
    if (!ctx) return thumb;
    ctx.putImageData(new ImageData(new Uint8ClampedArray(thumb.rgba), thumb.width, thumb.height), 0, 0);
    const jpeg = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.85 });
    return { width: thumb.width, height: thumb.height, rgba: new Uint8ClampedArray(0), jpeg };
  } catch {
    return thumb;
  }
}
