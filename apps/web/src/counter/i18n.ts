import { ApiError } from '../shared/api';
import { initI18n, type Language } from '../shared/i18n';
import { counterEn, counterZhCN } from './locales';

/** The shared i18n of apps/web (language switch, remembered choice) with the counter's texts added under `counter.`. */
export function initCounterI18n(language?: Language) {
  const i18n = initI18n(language);
  i18n.addResourceBundle('zh-CN', 'translation', { counter: counterZhCN }, true, true);
  i18n.addResourceBundle('en', 'translation', { counter: counterEn }, true, true);
  return i18n;
}

/** The text key of an error for people: its code when the counter knows it, else a general one. */
export function counterErrorKey(error: unknown): string {
  const code = error instanceof ApiError ? error.code : 'generic';
  return Object.hasOwn(counterZhCN.errors, code) ? `counter.errors.${code}` : 'counter.errors.generic';
}

/** Whether an API error says the session ended (the page goes back to sign-in). */
export function sessionEnded(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401;
}
