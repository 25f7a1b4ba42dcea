import { useTranslation } from 'react-i18next';
import { LANGUAGES } from './i18n';

/** The one language switch of a page: a labelled select, usable by keyboard. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <label>
      <span className="visually-hidden">{t('app.language')}</span>{' '}
      <select aria-label={t('app.language')} value={i18n.language} onChange={(e) => void i18n.changeLanguage(e.target.value)} data-testid="language">
        {LANGUAGES.map((l) => (
          <option key={l.code} value={l.code} lang={l.code}>
            {l.label}
          </option>
        ))}
      </select>
    </label>
  );
}
