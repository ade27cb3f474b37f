import type { DecodedImage } from '../../imaging/types';

/**
 * Decoded images kept for the viewer and Grad-CAM, least recently used first
 * out once over budget, so a long session of large films cannot exhaust the
 * worker's memory. An evicted card still shows its result; only re-opening it
 * needs the file again.
 */
export class ImageCache {
  private entries = new Map<string, { image: DecodedImage; bytes: number }>();
  private total = 0;

  constructor(private readonly budgetBytes = 1024 * 1024 * 1024) {}

  static sizeOf(image: DecodedImage): number {
    return image.frames.reduce((s, f) => s + f.byteLength, 0);
  }

  set(key: string, image: DecodedImage): void {
    this.delete(key);
    const bytes = ImageCache.sizeOf(image);
    this.entries.set(key, { image, bytes });
    this.total += bytes;
    for (const [k] of this.entries) {
      if (this.total <= this.budgetBytes || k === key) break;
      this.delete(k);
    }
  }

  get(key: string): DecodedImage | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    // Re-insert: Map order is the recency order.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.image;
  }

  delete(key: string): boolean {
    const entry = this.entries.get(key);
    if (!entry) return false;
    this.entries.delete(key);
    this.total -= entry.bytes;
    return true;
  }

  keys(): string[] {
    return [...this.entries.keys()];
  }

  get bytes(): number {
    return this.total;
  }
}
