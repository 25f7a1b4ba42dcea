import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en, zhCN } from './locales';

export const LANGUAGES = [
  { code: 'zh-CN', label: '中文' },
  { code: 'en', label: 'English' },
] as const;
export type Language = (typeof LANGUAGES)[number]['code'];

const STORAGE_KEY = 'govcred.language';

/** The language to start in: the one chosen before, else zh-CN (the portal's users work in Chinese). */
function initialLanguage(): Language {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'en' || saved === 'zh-CN') return saved;
  } catch {
    // Storage may be disabled: the default applies.
  }
  return 'zh-CN';
}

/** Sets up i18next once (bundled texts: nothing is fetched) and keeps `<html lang>` in step for screen readers. */
export function initI18n(language: Language = initialLanguage()): typeof i18next {
  if (!i18next.isInitialized) {
    void i18next.use(initReactI18next).init({
      resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
      lng: language,
      fallbackLng: 'zh-CN',
      interpolation: { escapeValue: false },
      initAsync: false,
    });
    i18next.on('languageChanged', (lng) => {
      document.documentElement.lang = lng;
      try {
        localStorage.setItem(STORAGE_KEY, lng);
      } catch {
        // Not remembered then; nothing else depends on it.
      }
    });
  } else {
    void i18next.changeLanguage(language);
  }
  document.documentElement.lang = i18next.language;
  return i18next;
}
