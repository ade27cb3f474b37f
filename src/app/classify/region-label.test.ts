import { describe, expect, it } from 'vitest';
import i18next from 'i18next';
import en from '../i18n/locales/en/classify.json';
import zh from '../i18n/locales/zh/classify.json';
import { regionLabel } from './region-label';

describe('regionLabel', () => {
  it('translates the region names src/ml produces', async () => {
    const i = i18next.createInstance();
    await i.init({ lng: 'zh', resources: { en: { classify: en }, zh: { classify: zh } } });
    expect(regionLabel('right lower zone', i.t)).toBe('右下肺野');
    expect(regionLabel('both upper zones', i.t)).toBe('双侧上肺野');
    expect(regionLabel('something else', i.t)).toBe('something else');
    await i.changeLanguage('en');
    expect(regionLabel('left middle zone', i.t)).toBe('left middle zone');
  });
});
