import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';

/**
 * Every locales/<lang>/<namespace>.json is picked up at build time, so a page
 * adds its strings by dropping a JSON file in, without touching this module.
 */
const files = import.meta.glob<Record<string, unknown>>('./locales/*/*.json', { eager: true, import: 'default' });

export const LANGUAGES = [
  { code: 'en', label: 'English', htmlLang: 'en' },
  { code: 'zh', label: '简体中文', htmlLang: 'zh-CN' },
] as const;

export type LanguageCode = (typeof LANGUAGES)[number]['code'];

const resources: Record<string, Record<string, Record<string, unknown>>> = {};
for (const [path, content] of Object.entries(files)) {
  const match = /\.\/locales\/([^/]+)\/([^/]+)\.json$/.exec(path);
  if (!match) continue;
  const [, lang, ns] = match;
  (resources[lang] ??= {})[ns] = content;
}

const STORAGE_KEY = 'radlens.language';

function initialLanguage(): LanguageCode {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'en' || saved === 'zh') return saved;
  } catch {
    // Storage can be blocked (private mode); the browser language decides then.
  }
  return typeof navigator !== 'undefined' && navigator.language.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

function applyHtmlLang(code: string): void {
  const entry = LANGUAGES.find((l) => l.code === code) ?? LANGUAGES[0];
  if (typeof document !== 'undefined') document.documentElement.lang = entry.htmlLang;
}

void i18next.use(initReactI18next).init({
  resources,
  lng: initialLanguage(),
  fallbackLng: 'en',
  ns: Object.keys(resources.en ?? { common: {} }),
  defaultNS: 'common',
  interpolation: { escapeValue: false },
  returnNull: false,
});
applyHtmlLang(i18next.language);

export function setLanguage(code: LanguageCode): void {
  void i18next.changeLanguage(code);
  applyHtmlLang(code);
  try {
    localStorage.setItem(STORAGE_KEY, code);
  } catch {
    // Not persisted; the choice still holds for this session.
  }
}

/** Intl locale tag for numbers and dates in the current language. */
export function intlLocale(): string {
  return i18next.language === 'zh' ? 'zh-CN' : 'en';
}

export default i18next;
