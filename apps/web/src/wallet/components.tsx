import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { errorCode, errorKey } from './i18n';
import { linkKind, pageFor } from './logic/link';
import { scanQr } from './logic/scan';

/** A plain-word error, announced to screen readers. */
export function ErrorText({ code, testId = 'error' }: { code?: string; testId?: string }) {
  const { t } = useTranslation();
  if (!code) return null;
  return (
    <p className="alert" role="alert" data-testid={testId}>
      {t(errorKey(code))}
    </p>
  );
}

/** A labelled input with an optional hint, its label tied to it for screen readers and tests. */
export function Field(props: { id: string; label: string; hint?: string; children: React.ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      {props.children}
      {props.hint && (
        <span className="hint" id={`${props.id}-hint`}>
          {props.hint}
        </span>
      )}
    </div>
  );
}

/**
 * "Scan a QR code": the back camera in the page until a code is read, whose text goes to `onText` (the page then
 * reads it as if pasted). The camera stops when the code is read, on "Stop", and when the page is left.
 */
export function ScanQr({ onText, disabled, testId }: { onText: (text: string) => void; disabled?: boolean; testId: string }) {
  const { t } = useTranslation();
  const video = useRef<HTMLVideoElement>(null);
  const stop = useRef<() => void>(undefined);
  // Whether a scan is still wanted: the camera may open after "Stop" or after the page was left (the citizen took
  // a while to allow it), and must then close at once.
  const wanted = useRef(false);
  const [scanning, setScanning] = useState(false);
  const [error, setError] = useState<string>();
  useEffect(
    () => () => {
      wanted.current = false;
      stop.current?.();
    },
    [],
  );

  const start = () => {
    setError(undefined);
    setScanning(true);
    wanted.current = true;
    scanQr(video.current!, (text) => {
      wanted.current = false;
      stop.current = undefined;
      setScanning(false);
      onText(text);
    }).then(
      (stopScan) => {
        if (wanted.current) stop.current = stopScan;
        else stopScan();
      },
      (e: unknown) => {
        if (!wanted.current) return;
        wanted.current = false;
        setScanning(false);
        setError(errorCode(e));
      },
    );
  };
  const cancel = () => {
    wanted.current = false;
    stop.current?.();
    stop.current = undefined;
    setScanning(false);
  };

  return (
    <div className="scan">
      <video ref={video} hidden={!scanning} muted playsInline data-testid={`${testId}-video`} aria-label={t('wallet.scan.hint')} />
      {scanning ? (
        <>
          <p className="hint">{t('wallet.scan.hint')}</p>
          <button type="button" className="secondary" onClick={cancel}>
            {t('wallet.scan.stop')}
          </button>
        </>
      ) : (
        <button type="button" className="secondary" disabled={disabled} onClick={start} data-testid={testId}>
          {t('wallet.scan.start')}
        </button>
      )}
      <ErrorText code={error} testId={`${testId}-error`} />
    </div>
  );
}

/**
 * The link a page reads (an offer on Receive, a request on Present): scanned with the camera, or pasted and then
 * read with the button; a scanned code is read at once, as if pasted and read. A link of the other kind goes to
 * the page that reads it; a link in the page's query (`?offer=` / `?request=`, from that or from a deep link) is
 * read on arrival, once. Its words are the page's (`wallet.<page>.<kind>`, `….<kind>Hint`, `….read`, `….reading`).
 */
export function LinkForm(props: { kind: 'offer' | 'request'; text: string; onText: (text: string) => void; onRead: (text: string) => void; busy: boolean }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const { kind, text, onText, onRead, busy } = props;
  const page = kind === 'offer' ? 'receive' : 'present';
  const texts = { label: `wallet.${page}.${kind}`, hint: `wallet.${page}.${kind}Hint`, read: `wallet.${page}.read`, reading: `wallet.${page}.reading` };
  const read = (value: string) => {
    const other = linkKind(value);
    if (other && other !== kind) void navigate(pageFor(other, value));
    else onRead(value);
  };
  const arriving = useRef(params.get(kind));
  useEffect(() => {
    const link = arriving.current;
    arriving.current = null;
    if (!link) return;
    setParams({}, { replace: true });
    onText(link);
    read(link);
    // On arrival only: the link came with the address.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    read(text);
  };
  const scanned = (value: string) => {
    onText(value);
    read(value);
  };
  return (
    <form onSubmit={submit}>
      <ScanQr onText={scanned} disabled={busy} testId={`${kind}-scan`} />
      <Field id={kind} label={t(texts.label)} hint={t(texts.hint)}>
        <textarea id={kind} required aria-describedby={`${kind}-hint`} value={text} onChange={(e) => onText(e.target.value)} />
      </Field>
      <div className="actions">
        <button type="submit" disabled={busy || !text.trim()}>
          {busy ? t(texts.reading) : t(texts.read)}
        </button>
      </div>
    </form>
  );
}
