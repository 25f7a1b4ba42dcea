import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiError, api, errorKey } from '../../shared/api';
import { en } from '../../shared/locales';
import { label, optionLabel, useTypes } from '../catalog';
import { ClaimField } from '../components/ClaimField';
import { ListField } from '../components/ListField';
import { OFFER_LIFETIMES, OfferSettings, useOfferFormat, type OfferLifetime } from '../components/OfferSettings';
import { QrCode } from '../components/QrCode';
import type { CredentialRecord } from '../record';
import { claimsOf, fieldProblem, formFields, formProblems, serverProblems, type FieldProblem } from '../schema-form';
import { useSession } from '../session';

/** What `POST /oid4vci/offers` answers. */
interface CreatedOffer {
  offerUri: string;
  txCode?: string;
  expiresAt: string;
}

/** A continued title is a JWT VC (see the issuer's offers): the one format of a transfer offer. */
const TRANSFER_FORMAT = 'jwt_vc_json';

/**
 * A clerk fills the type's form; the result is an OID4VCI offer as a QR code with its PIN. Opened from a title's
 * record (`?transferOf=<id>`), it makes a title transfer by offer (不动产转移登记): the new certificate's form, of
 * the title's type, whose offer moves the title to the new owner's wallet when redeemed.
 */
export function IssuePage() {
  const { t, i18n } = useTranslation();
  const { session, expired } = useSession();
  const types = useTypes(session.agency.credentialTypes);
  const [type, setType] = useState(session.agency.credentialTypes[0] ?? '');
  const offerFormat = useOfferFormat();
  const [search, setSearch] = useSearchParams();
  const transferOf = search.get('transferOf') ?? undefined;
  const formats = transferOf ? offerFormat.formats.filter((f) => f.id === TRANSFER_FORMAT) : offerFormat.formats;
  const format = transferOf ? TRANSFER_FORMAT : offerFormat.format;
  const [lifetime, setLifetime] = useState<OfferLifetime>(OFFER_LIFETIMES[0]);
  const [pin, setPin] = useState(true);
  const [values, setValues] = useState<Record<string, string>>({});
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [problems, setProblems] = useState<Record<string, FieldProblem>>({});
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [offer, setOffer] = useState<CreatedOffer>();
  const [transferred, setTransferred] = useState<CredentialRecord>();
  // A transfer: the title's record (its type and number), read once per title.
  useEffect(() => {
    setTransferred(undefined);
    if (!transferOf) return;
    api<CredentialRecord>('GET', `/credentials/${encodeURIComponent(transferOf)}`).then(
      (record) => {
        setTransferred(record);
        setType(record.type);
      },
      (e: unknown) => {
        if (e instanceof ApiError && e.code === 'unauthorized') return expired();
        setError(t(errorKey(e, en.errors)));
      },
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [transferOf]);

  const view = types?.find((v) => v.type === type);
  const fields = useMemo(() => (view ? formFields(view.schema) : []), [view]);

  function change(name: string, value: string) {
    setValues((v) => ({ ...v, [name]: value }));
    const field = fields.find((f) => f.name === name)!;
    // As people type: the ID number's check character at once, other fields once they were left.
    if (field.kind === 'citizen-id' || touched[name] || problems[name]) {
      setProblems((p) => {
        const next = { ...p };
        const problem = fieldProblem(field, value);
        if (problem && (field.kind !== 'citizen-id' || value.length >= 18 || touched[name])) next[name] = problem;
        else delete next[name];
        return next;
      });
    }
  }

  function leave(name: string) {
    const field = fields.find((f) => f.name === name)!;
    // A list shows each member's problem once that member is left (ListField); the list's own line waits for the
    // form's check, so an item not reached yet is not marked.
    if (field.kind === 'list') return;
    setTouched((v) => ({ ...v, [name]: true }));
    const problem = fieldProblem(field, values[name] ?? '');
    setProblems((p) => {
      const next = { ...p };
      if (problem) next[name] = problem;
      else delete next[name];
      return next;
    });
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    const found = formProblems(fields, values);
    setProblems(found);
    if (Object.keys(found).length > 0) {
      setError(t('issue.fixErrors'));
      return;
    }
    setBusy(true);
    try {
      const body = { type, format, txCode: pin, expiresInSeconds: lifetime, claims: claimsOf(fields, values), ...(transferOf ? { transferOf } : {}) };
      setOffer(await api<CreatedOffer>('POST', '/oid4vci/offers', body));
    } catch (e) {
      if (e instanceof ApiError && e.code === 'unauthorized') return expired();
      if (e instanceof ApiError && e.code === 'invalid_claims') setProblems(serverProblems(e.details));
      setError(t(errorKey(e, en.errors)));
    } finally {
      setBusy(false);
    }
  }

  if (offer) {
    return (
      <section className="card" aria-labelledby="offer-title">
        <h2 id="offer-title">{t('issue.offerTitle')}</h2>
        <div className="offer">
          <QrCode value={offer.offerUri} alt={t('issue.qrAlt')} testId="offer-qr" />
          <div>
            {offer.txCode && (
              <p>
                {t('issue.pinLabel')}
                <br />
                <span className="pin" data-testid="offer-pin">
                  {offer.txCode}
                </span>
              </p>
            )}
            <p>{t('issue.expires', { time: new Date(offer.expiresAt).toLocaleString(i18n.language) })}</p>
            {transferOf && <p data-testid="transfer-offer-note">{t('transfer.offerNote')}</p>}
            <details>
              <summary>{t('issue.offerUri')}</summary>
              <code className="mono" data-testid="offer-uri">
                {offer.offerUri}
              </code>
            </details>
            <button
              type="button"
              onClick={() => {
                setOffer(undefined);
                // One transfer per title: the next form is an ordinary one.
                if (transferOf) setSearch({});
              }}
            >
              {t('issue.another')}
            </button>
          </div>
        </div>
      </section>
    );
  }

  return (
    <section className="card" aria-labelledby="issue-title">
      <h2 id="issue-title">{transferOf ? t('transfer.title') : t('issue.title')}</h2>
      {transferOf && (
        <div className="notice" data-testid="transfer-notice">
          <p>
            {t('transfer.replaces')} <span className="mono">{transferred?.certificateNumber ?? transferOf}</span>
          </p>
          <p>{t('transfer.explain')}</p>
          <button type="button" className="secondary" onClick={() => setSearch({})}>
            {t('transfer.cancel')}
          </button>
        </div>
      )}
      <form onSubmit={submit} noValidate>
        <div className="row">
          <div className="field">
            <label htmlFor="issue-type">{t('issue.type')}</label>
            <select
              id="issue-type"
              value={type}
              disabled={transferOf !== undefined}
              onChange={(e) => {
                setType(e.target.value);
                setValues({});
                setTouched({});
                setProblems({});
              }}
            >
              {session.agency.credentialTypes.map((name) => (
                <option key={name} value={name}>
                  {label(types?.find((v) => v.type === name), i18n.language) || name}
                </option>
              ))}
            </select>
          </div>
          <OfferSettings idPrefix="issue" formats={formats} format={format} onFormat={offerFormat.setFormat} lifetime={lifetime} onLifetime={setLifetime} />
        </div>
        {fields.map((field) =>
          field.kind === 'list' ? (
            <ListField
              key={`${type}-${field.name}`}
              field={field}
              label={label(view, i18n.language, field.name)}
              memberLabel={(member) => label(view, i18n.language, `${field.name}.${member}`)}
              optionLabel={(member, o) => optionLabel(view, i18n.language, `${field.name}.${member}`, o)}
              value={values[field.name] ?? ''}
              problem={problems[field.name]}
              onChange={(v) => change(field.name, v)}
              onBlur={() => leave(field.name)}
            />
          ) : (
            <ClaimField
              key={`${type}-${field.name}`}
              field={field}
              label={label(view, i18n.language, field.name)}
              optionLabel={(o) => optionLabel(view, i18n.language, field.name, o)}
              value={values[field.name] ?? ''}
              problem={problems[field.name]}
              onChange={(v) => change(field.name, v)}
              onBlur={() => leave(field.name)}
            />
          ),
        )}
        <div className="field">
          <label>
            <input type="checkbox" checked={pin} onChange={(e) => setPin(e.target.checked)} /> {t('issue.pin')}
          </label>
        </div>
        {error && (
          <p className="alert" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy || !view || !format || (transferOf !== undefined && !transferred)}>
          {busy ? t('issue.busy') : t('issue.submit')}
        </button>
      </form>
    </section>
  );
}
