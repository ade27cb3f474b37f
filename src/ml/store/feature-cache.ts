/**
 * Where penultimate features are kept between training runs: an interface
 * the IndexedDB library implements in the page, and a memory map for Node,
 * tests and a page without IndexedDB. The keys are training's business
 * (training/feature-cache.ts).
 */
export interface FeatureCache {
  get(key: string): Promise<Float32Array | undefined>;
  put(key: string, features: Float32Array): Promise<void>;
}

/** In-memory cache (Node, tests, and the page when IndexedDB is unavailable). */
export class MemoryFeatureCache implements FeatureCache {
  private readonly map = new Map<string, Float32Array>();
  hits = 0;
  misses = 0;
  async get(key: string): Promise<Float32Array | undefined> {
    const v = this.map.get(key);
    if (v) this.hits++;
    else this.misses++;
    return v;
  }
  async put(key: string, features: Float32Array): Promise<void> {
    this.map.set(key, features);
  }
  clear(): void {
    this.map.clear();
  }
  get size(): number {
    return this.map.size;
  }
}
