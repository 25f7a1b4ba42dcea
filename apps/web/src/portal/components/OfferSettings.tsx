import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import type { OfferFormat } from '../catalog';

/**
 * How long an offer may wait for the citizen's wallet, in seconds: at the counter (the citizen scans it now),
 * within a day, or by post or message (7 days, the most the issuer allows). Every offer keeps its PIN and is
 * redeemed once; a longer life only gives the letter time to arrive.
 */
export const OFFER_LIFETIMES = [900, 86_400, 604_800] as const;
export type OfferLifetime = (typeof OFFER_LIFETIMES)[number];

/**
 * The format a new offer starts in: SD-JWT VC, which every wallet can hold (the phone's web wallet takes no
 * other) and which discloses only what a verifier asks. The clerk may still pick JWT VC.
 */
const PREFERRED_FORMAT = 'dc+sd-jwt';

/** The formats the issuer makes offers in, and the one chosen (the preferred one once the list is in). */
export function useOfferFormat(): { formats: OfferFormat[]; format: string; setFormat: (id: string) => void } {
  const [formats, setFormats] = useState<OfferFormat[]>([]);
  const [format, setFormat] = useState('');
  useEffect(() => {
    api<OfferFormat[]>('GET', '/oid4vci/formats').then(
      (list) => {
        setFormats(list);
        setFormat((f) => f || (list.find((x) => x.id === PREFERRED_FORMAT) ?? list[0])?.id || '');
      },
      () => setFormats([]),
    );
  }, []);
  return { formats, format, setFormat };
}

/** The format and lifetime selects of an offer (the issue page and the bulk page). */
export function OfferSettings(props: {
  idPrefix: string;
  formats: OfferFormat[];
  format: string;
  onFormat: (id: string) => void;
  lifetime: OfferLifetime;
  onLifetime: (seconds: OfferLifetime) => void;
  disabled?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'zh-CN';
  return (
    <>
      <div className="field">
        <label htmlFor={`${props.idPrefix}-format`}>{t('issue.format')}</label>
        <select id={`${props.idPrefix}-format`} value={props.format} disabled={props.disabled} onChange={(e) => props.onFormat(e.target.value)}>
          {props.formats.map((f) => (
            <option key={f.id} value={f.id}>
              {f.labels[lang]}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${props.idPrefix}-lifetime`}>{t('offer.lifetime')}</label>
        <select
          id={`${props.idPrefix}-lifetime`}
          value={props.lifetime}
          disabled={props.disabled}
          onChange={(e) => props.onLifetime(Number(e.target.value) as OfferLifetime)}
        >
          {OFFER_LIFETIMES.map((seconds) => (
            <option key={seconds} value={seconds}>
              {t(`offer.lifetimes.s${seconds}`)}
            </option>
          ))}
        </select>
      </div>
    </>
  );
}
