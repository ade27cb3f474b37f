import type { InputSpec } from '../../imaging/types';
import { sha256OfText } from './hash';

export { MemoryFeatureCache, type FeatureCache } from '../store/feature-cache';

/**
 * Penultimate features depend on the image bytes, the frozen trunk and the
 * preprocessing, so those three make the key: a changed base model or input
 * spec can never serve stale features.
 */

export function preprocessingId(spec: InputSpec, featureLayer: string): string {
  return sha256OfText(JSON.stringify({ spec, featureLayer })).slice(0, 16);
}

export function featureKey(contentSha256: string, baseModel: string, preprocessing: string): string {
  return `${contentSha256}|${baseModel}|${preprocessing}`;
}
