import { useTranslation } from 'react-i18next';
import { errorKey } from './i18n';

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
