import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { listRowProblems, listRows, type FieldProblem, type FormField, type ListRow } from '../schema-form';
import { ClaimField } from './ClaimField';

/**
 * A list claim (the co-owners of a title) as repeated groups of inputs, one per item, each member checked as a
 * field of its own; items are added and removed with buttons. The value stays the list's raw JSON
 * (see {@link listRows}), so the form keeps one string per claim.
 */
export function ListField(props: {
  field: FormField;
  label: string;
  /** A member's label (`coOwners.name` → 共有人姓名). */
  memberLabel(member: string): string;
  optionLabel?: (member: string, value: string) => string;
  value: string;
  /** The list's problem: set once the form was checked or a member was left. */
  problem?: FieldProblem;
  onChange(value: string): void;
  onBlur(): void;
}) {
  const { t } = useTranslation();
  const { field } = props;
  const rows = listRows(props.value) ?? [];
  const problems = listRowProblems(field, rows);
  // Members left at least once (`<item>.<member>`): their problems show from then on.
  const [left, setLeft] = useState<Set<string>>(new Set());
  const max = field.schema.maxItems ?? Infinity;
  const write = (next: ListRow[]) => props.onChange(JSON.stringify(next));
  const update = (item: number, member: string, value: string) => write(rows.map((row, i) => (i === item ? { ...row, [member]: value } : row)));

  return (
    <fieldset className="list-field" data-testid={`list-${field.name}`}>
      <legend>
        {props.label}
        {field.required ? ' *' : ''}
      </legend>
      {rows.length === 0 && <p className="hint">{t('field.listEmpty')}</p>}
      {rows.map((row, item) => (
        <div className="list-item" role="group" aria-label={t('field.item', { name: props.label, item: item + 1 })} key={item}>
          {(field.items ?? []).map((member) => {
            const raw = row[member.name] ?? '';
            const key = `${item}.${member.name}`;
            // A 公民身份号码 is checked as it is typed once it is whole; other members once left (or the form checked).
            const shown = left.has(key) || props.problem !== undefined || (member.kind === 'citizen-id' && raw.length >= 18);
            return (
              <ClaimField
                key={member.name}
                field={{ ...member, name: `${field.name}.${item}.${member.name}` }}
                label={props.memberLabel(member.name)}
                optionLabel={props.optionLabel && ((value) => props.optionLabel!(member.name, value))}
                value={raw}
                problem={shown ? problems[item]?.[member.name] : undefined}
                onChange={(value) => update(item, member.name, value)}
                onBlur={() => {
                  setLeft((keys) => new Set(keys).add(key));
                  props.onBlur();
                }}
              />
            );
          })}
          <button
            type="button"
            className="secondary"
            aria-label={t('field.removeItemLabel', { name: props.label, item: item + 1 })}
            onClick={() => {
              write(rows.filter((_, i) => i !== item));
              setLeft(new Set());
            }}
          >
            {t('field.removeItem')}
          </button>
        </div>
      ))}
      {props.problem && (
        <p className="error" role="alert" data-testid={`error-${field.name}`}>
          {t(props.problem.key, props.problem.values)}
        </p>
      )}
      <button type="button" className="secondary" disabled={rows.length >= max} onClick={() => write([...rows, {}])}>
        {t('field.addItem', { name: props.label })}
      </button>
    </fieldset>
  );
}
