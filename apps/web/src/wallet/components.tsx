import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { errorCode, errorKey } from './i18n';
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
  const [scanning, setScanning] = useState(false);
  const [error, setError] = useState<string>();
  useEffect(() => () => stop.current?.(), []);

  const start = () => {
    setError(undefined);
    setScanning(true);
    scanQr(video.current!, (text) => {
      stop.current = undefined;
      setScanning(false);
      onText(text);
    }).then(
      (stopScan) => {
        stop.current = stopScan;
      },
      (e: unknown) => {
        setScanning(false);
        setError(errorCode(e));
      },
    );
  };
  const cancel = () => {
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
 * read with the button. A scanned code is read at once, as if pasted and read. Its words are the page's
 * (`wallet.<page>.<id>`, `….<id>Hint`, `….read`, `….reading`).
 */
export function LinkForm(props: { page: 'receive' | 'present'; id: string; text: string; onText: (text: string) => void; onRead: (text: string) => void; busy: boolean }) {
  const { t } = useTranslation();
  const { page, id, text, onText, onRead, busy } = props;
  const texts = { label: `wallet.${page}.${id}`, hint: `wallet.${page}.${id}Hint`, read: `wallet.${page}.read`, reading: `wallet.${page}.reading` };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onRead(text);
  };
  const scanned = (value: string) => {
    onText(value);
    onRead(value);
  };
  return (
    <form onSubmit={submit}>
      <ScanQr onText={scanned} disabled={busy} testId={`${id}-scan`} />
      <Field id={id} label={t(texts.label)} hint={t(texts.hint)}>
        <textarea id={id} required aria-describedby={`${id}-hint`} value={text} onChange={(e) => onText(e.target.value)} />
      </Field>
      <div className="actions">
        <button type="submit" disabled={busy || !text.trim()}>
          {busy ? t(texts.reading) : t(texts.read)}
        </button>
      </div>
    </form>
  );
}
