import { intlLocale } from '../i18n';

// Building an Intl.NumberFormat costs far more than formatting: one per locale and precision.
const percentFormats = new Map<string, Intl.NumberFormat>();

export function formatPercent(p: number, digits = 1): string {
  const key = `${intlLocale()}|${digits}`;
  let f = percentFormats.get(key);
  if (!f) percentFormats.set(key, (f = new Intl.NumberFormat(intlLocale(), { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits })));
  return f.format(p);
}
