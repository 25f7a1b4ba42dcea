import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldProblem, FormField } from '../schema-form';

/** One labelled claim input, its inline problem announced to screen readers. */
export function ClaimField(props: {
  field: FormField;
  label: string;
  /** The words for a coded option (the option's value is what the claim keeps). @default the value itself */
  optionLabel?: (value: string) => string;
  value: string;
  problem?: FieldProblem;
  onChange(value: string): void;
  onBlur(): void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const { field, value, problem } = props;
  const common = {
    id,
    name: field.name,
    value,
    required: field.required,
    'aria-invalid': problem ? true : undefined,
    'aria-describedby': problem ? `${id}-error` : undefined,
    onBlur: props.onBlur,
  } as const;
  let input;
  if (field.kind === 'select') {
    input = (
      <select {...common} onChange={(e) => props.onChange(e.target.value)}>
        <option value="">{t('field.choose')}</option>
        {field.options!.map((o) => (
          <option key={o} value={o}>
            {props.optionLabel?.(o) ?? o}
          </option>
        ))}
      </select>
    );
  } else if (field.kind === 'json') {
    input = <textarea {...common} rows={3} placeholder={t('issue.jsonHint')} onChange={(e) => props.onChange(e.target.value)} />;
  } else if (field.kind === 'boolean') {
    input = <input {...common} type="checkbox" value="true" checked={value === 'true'} onChange={(e) => props.onChange(e.target.checked ? 'true' : 'false')} />;
  } else {
    const type = field.kind === 'date' ? 'date' : field.kind === 'number' ? 'number' : 'text';
    const extra = field.kind === 'citizen-id' ? { inputMode: 'text' as const, autoComplete: 'off', maxLength: 18, spellCheck: false } : {};
    input = <input {...common} {...extra} type={type} onChange={(e) => props.onChange(field.kind === 'citizen-id' ? e.target.value.toUpperCase() : e.target.value)} />;
  }
  return (
    <div className="field">
      <label htmlFor={id}>
        {props.label}
        {field.required ? ' *' : ''}
      </label>
      {input}
      {problem && (
        <span className="error" id={`${id}-error`} role="alert" data-testid={`error-${field.name}`}>
          {t(problem.key, problem.values)}
        </span>
      )}
    </div>
  );
}
