import { describe, expect, it } from 'vitest';
import { validateCard } from './card';
import { tinyCard } from './testing/tiny-model';

const good = () => JSON.parse(JSON.stringify(tinyCard(new Uint8Array([1, 2, 3])))) as Record<string, any>;

describe('validateCard', () => {
  it('accepts a complete card', () => {
    expect(validateCard(good()).id).toBe('tiny-test');
  });
  it('names a missing field', () => {
    const c = good();
    delete c.temperature;
    expect(() => validateCard(c)).toThrow('model card: temperature is missing');
    const d = good();
    delete d.layers.gradcam;
    expect(() => validateCard(d)).toThrow('layers.gradcam is missing');
  });
  it('refuses a threshold outside (0, 1) and says what it got', () => {
    const c = good();
    c.threshold = 1.7;
    expect(() => validateCard(c)).toThrow('threshold must be strictly between 0 and 1 (got 1.7)');
    c.threshold = '0.5';
    expect(() => validateCard(c)).toThrow(/threshold must be a finite number/);
  });
  it('refuses a positive label that is not a label, an inverted unsure band and a bad sha256', () => {
    const a = good();
    a.positiveLabel = 'COVID';
    expect(() => validateCard(a)).toThrow(/positiveLabel "COVID" is not one of the labels/);
    const b = good();
    b.unsureBand = { low: 0.7, high: 0.3, rule: 'x' };
    expect(() => validateCard(b)).toThrow(/unsureBand low \(0.7\) must not exceed high/);
    const c = good();
    c.weights[0].sha256 = 'abc';
    expect(() => validateCard(c)).toThrow('weights[0].sha256 must be 64 hexadecimal digits');
  });
  it('checks the ood block shape', () => {
    const c = good();
    c.ood = { method: 'mahalanobis', mean: [0, 0], precision: [1, 0, 0], threshold: 3, thresholdRule: 'x' };
    expect(() => validateCard(c)).toThrow('ood.precision must have 4 entries (has 3)');
  });
  it('refuses something that is not a card', () => {
    expect(() => validateCard([1])).toThrow('card.json must hold a JSON object');
    expect(() => validateCard({ schema: 'other' })).toThrow(/schema must be "radlens-model-card\/1"/);
  });
});
