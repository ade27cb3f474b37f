import type { TFunction } from 'i18next';

/**
 * src/ml names regions in English ("right lower zone", "both upper zones",
 * "no focal region"); this puts them into the page's language.
 */
export function regionLabel(region: string, t: TFunction): string {
  if (region === 'no focal region') return t('classify:region.none');
  const both = /^both (upper|middle|lower) zones$/.exec(region);
  if (both) return t('classify:region.both', { zone: t(`classify:region.zones.${both[1]}`) });
  const one = /^(right|left) (upper|middle|lower) zone$/.exec(region);
  if (one) return t('classify:region.one', { side: t(`classify:region.sides.${one[1]}`), zone: t(`classify:region.zones.${one[2]}`) });
  return region;
}
