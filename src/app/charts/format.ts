import { useTranslation } from 'react-i18next';
import { intlLocale } from '../i18n';

// Building an Intl.NumberFormat costs far more than formatting: one per locale and precision.
const percentFormats = new Map<string, Intl.NumberFormat>();

/** A probability as a percentage in the page's language (result cards, bars, slice scores). */
export function formatPercent(p: number, digits = 1): string {
  const key = `${intlLocale()}|${digits}`;
  let f = percentFormats.get(key);
  if (!f) percentFormats.set(key, (f = new Intl.NumberFormat(intlLocale(), { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits })));
  return f.format(p);
}

export interface NumberFormat {
  /** A number with a fixed count of decimals; "—" for NaN or missing. */
  num(v: number | null | undefined, digits?: number): string;
  /** A fraction as a percentage. */
  pct(v: number | null | undefined, digits?: number): string;
  int(v: number): string;
  date(iso: string): string;
}

export function makeFormat(language: string): NumberFormat {
  const lang = language || 'en';
  return {
    num: (v, digits = 3) =>
      v == null || !Number.isFinite(v)
        ? '—'
        : new Intl.NumberFormat(lang, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(v),
    pct: (v, digits = 1) =>
      v == null || !Number.isFinite(v)
        ? '—'
        : new Intl.NumberFormat(lang, { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(v),
    int: (v) => new Intl.NumberFormat(lang).format(v),
    date: (iso) => {
      const d = new Date(iso);
      return Number.isNaN(d.getTime()) ? iso : new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(d);
    },
  };
}

/** Number and date formatting in the page's current language. */
export function useFormat(): NumberFormat {
  const { i18n } = useTranslation();
  return makeFormat(i18n.language);
}
