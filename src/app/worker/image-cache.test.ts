import { describe, expect, it } from 'vitest';
import { ImageCache } from './image-cache';
import type { DecodedImage } from '../../imaging/types';

const img = (n: number) => ({ frames: [new Float32Array(n)] }) as unknown as DecodedImage;

describe('ImageCache', () => {
  it('evicts the least recently used image over budget, never the newest', () => {
    const cache = new ImageCache(100 * 4);
    cache.set('a', img(40));
    cache.set('b', img(40));
    cache.get('a');
    cache.set('c', img(40));
    expect(cache.keys()).toEqual(['a', 'c']);
    cache.set('huge', img(1000));
    expect(cache.keys()).toEqual(['huge']);
    expect(cache.bytes).toBe(4000);
  });
});
