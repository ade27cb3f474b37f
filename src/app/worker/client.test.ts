import { describe, expect, it } from 'vitest';
import { backendOrderFromUrl } from './client';

describe('backendOrderFromUrl', () => {
  it('reads a backend list and ignores unknown names', () => {
    expect(backendOrderFromUrl('?backend=wasm')).toEqual(['wasm']);
    expect(backendOrderFromUrl('?backend=webgl,nope,cpu')).toEqual(['webgl', 'cpu']);
    expect(backendOrderFromUrl('?backend=nope')).toBeUndefined();
    expect(backendOrderFromUrl('')).toBeUndefined();
  });
});
