import { useTranslation } from 'react-i18next';
import { QrCode } from './QrCode';

/** One citizen's letter: the names read from the class list, the offer and when it ends. */
export interface OfferLetter {
  line: number;
  names: string[];
  offerUri: string;
  expiresAt: string;
}

/**
 * Letters for a class list, one printed page per citizen: who it is for, the agency and the credential, the
 * offer's QR code and when it ends, so the citizen receives the credential without coming back to the counter.
 * The PIN is never on the letter: it travels another way (an SMS, from the offers CSV), so a letter opened by
 * someone else is worth nothing to them.
 */
export function OfferLetters({ letters, agency, type, onBack }: { letters: OfferLetter[]; agency: string; type: string; onBack: () => void }) {
  const { t, i18n } = useTranslation();
  return (
    <section className="card letters" aria-labelledby="letters-title">
      <h2 id="letters-title" className="no-print">
        {t('letters.title', { count: letters.length })}
      </h2>
      <p className="no-print">{t('letters.intro')}</p>
      <div className="actions no-print">
        <button type="button" onClick={() => window.print()}>
          {t('letters.print')}
        </button>
        <button type="button" className="secondary" onClick={onBack}>
          {t('letters.back')}
        </button>
      </div>
      {letters.map((letter) => (
        <article key={letter.line} className="letter" data-testid="letter">
          <h3>{t('letters.heading', { type })}</h3>
          <p className="letter-to" data-testid="letter-to">
            {letter.names.filter(Boolean).join(' · ')}
          </p>
          <p>{t('letters.body', { agency, type })}</p>
          <QrCode value={letter.offerUri} alt={t('issue.qrAlt')} testId="letter-qr" />
          <p>{t('issue.expires', { time: new Date(letter.expiresAt).toLocaleString(i18n.language) })}</p>
          <p>
            <strong>{t('letters.pin')}</strong>
          </p>
        </article>
      ))}
    </section>
  );
}
