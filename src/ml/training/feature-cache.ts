import type { InputSpec } from '../../imaging/types';
import { sha256OfText } from './hash';

/**
 * Penultimate features depend on the image bytes, the frozen trunk and the
 * preprocessing, so those three make the key: a changed base model or input
 * spec can never serve stale features.
 */
export interface FeatureCache {
  get(key: string): Promise<Float32Array | undefined>;
  put(key: string, features: Float32Array): Promise<void>;
}

export function preprocessingId(spec: InputSpec, featureLayer: string): string {
  return sha256OfText(JSON.stringify({ spec, featureLayer })).slice(0, 16);
}

export function featureKey(contentSha256: string, baseModel: string, preprocessing: string): string {
  return `${contentSha256}|${baseModel}|${preprocessing}`;
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
