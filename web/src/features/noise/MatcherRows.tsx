// Matchers edited as rows (name, operator, value), for silences and event rules. The API names a
// problem by place ("body.matchers.1.value"), so each error lands under its own input.
import { useEffect, useId, useRef } from 'react';
import type { ReactNode } from 'react';
import type { FieldControlProps } from '../../app/ui.tsx';
import { MATCH_OPS } from './api.ts';
import type { MatchOp, Matcher } from './api.ts';

const OP_LABEL: Record<MatchOp, string> = {
  '=': '= (equals)',
  '!=': '!= (not equal)',
  '=~': '=~ (regex)',
  '!~': '!~ (not regex)',
};

/** The field names the API may report for `count` matchers, for splitFieldErrors. */
export function matcherFields(count: number): string[] {
  return ['matchers', ...Array.from({ length: count }, (_, i) => [`matchers.${i}`, `matchers.${i}.name`, `matchers.${i}.op`, `matchers.${i}.value`]).flat()];
}

export function MatcherRows({
  matchers,
  onChange,
  byField,
  hint,
}: {
  matchers: Matcher[];
  onChange: (matchers: Matcher[]) => void;
  byField: Record<string, string>;
  hint: string;
}) {
  const container = useRef<HTMLFieldSetElement>(null);
  const rowsId = useId();

  function setMatcher(index: number, patch: Partial<Matcher>): void {
    onChange(matchers.map((m, i) => (i === index ? { ...m, ...patch } : m)));
  }

  // A row added: focus its name. A row removed: focus "Add matcher" (its Remove button is gone).
  const rowCount = useRef(matchers.length);
  useEffect(() => {
    const before = rowCount.current;
    rowCount.current = matchers.length;
    if (matchers.length > before) {
      const rows = container.current?.querySelectorAll<HTMLElement>('.matcher-row');
      rows?.[rows.length - 1]?.querySelector<HTMLInputElement>('input')?.focus();
    } else if (matchers.length < before) {
      container.current?.querySelector<HTMLElement>('.matcher-add')?.focus();
    }
  }, [matchers.length]);

  function addMatcher(): void {
    onChange([...matchers, { name: '', op: '=', value: '' }]);
  }

  function removeMatcher(index: number): void {
    onChange(matchers.filter((_, i) => i !== index));
  }

  const rowError = (i: number, part: 'name' | 'op' | 'value') => byField[`matchers.${i}.${part}`] ?? (part === 'value' ? byField[`matchers.${i}`] : undefined);

  return (
    <fieldset ref={container} className="matchers" aria-describedby={`${rowsId}-hint${byField['matchers'] ? ` ${rowsId}-error` : ''}`}>
      <legend>Matchers</legend>
      <p className="field-hint" id={`${rowsId}-hint`}>
        {hint}
      </p>
      {byField['matchers'] ? (
        <p className="field-error" id={`${rowsId}-error`}>
          {byField['matchers']}
        </p>
      ) : null}
      {matchers.map((m, i) => (
        <div className="matcher-row" key={i} role="group" aria-label={`Matcher ${i + 1}`}>
          <MatcherField row={i} field="name" label="Name" error={rowError(i, 'name')}>
            {(props) => (
              <input {...props} type="text" required maxLength={100} autoComplete="off" value={m.name} onChange={(e) => setMatcher(i, { name: e.target.value })} />
            )}
          </MatcherField>
          <MatcherField row={i} field="op" label="Operator" error={rowError(i, 'op')}>
            {(props) => (
              <select {...props} value={m.op} onChange={(e) => setMatcher(i, { op: e.target.value as MatchOp })}>
                {MATCH_OPS.map((op) => (
                  <option key={op} value={op}>
                    {OP_LABEL[op]}
                  </option>
                ))}
              </select>
            )}
          </MatcherField>
          <MatcherField row={i} field="value" label="Value" error={rowError(i, 'value')}>
            {(props) => (
              <input {...props} type="text" maxLength={1024} autoComplete="off" value={m.value} onChange={(e) => setMatcher(i, { value: e.target.value })} />
            )}
          </MatcherField>
          {matchers.length > 1 ? (
            <button type="button" className="button button-small button-danger-quiet matcher-remove" onClick={() => removeMatcher(i)} aria-label={`Remove matcher ${i + 1}`}>
              Remove
            </button>
          ) : null}
        </div>
      ))}
      <button type="button" className="button button-small matcher-add" onClick={addMatcher} disabled={matchers.length >= 20}>
        Add matcher
      </button>
    </fieldset>
  );
}

/** One input of a matcher row: shows "Name", says "Matcher 2 Name" to assistive tech, with its error below. */
function MatcherField({
  row,
  field,
  label,
  error,
  children,
}: {
  row: number;
  field: 'name' | 'op' | 'value';
  label: string; error: string | undefined; children: (props: FieldControlProps) => ReactNode }) {
  const id = useId();
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>
        <span className="visually-hidden">Matcher {row + 1} </span>
        {label}
      </label>
      {children({ id, name: `matchers.${row}.${field}`, 'aria-describedby': errorId, 'aria-invalid': error ? true : undefined })}
      {error ? (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      ) : null}
    </div>
  );
}
