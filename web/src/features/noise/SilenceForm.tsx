// A new silence: matchers edited as rows (name, operator, value), an optional service, a comment and
// how long it lasts. It starts now.
import { useEffect, useId, useRef, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { splitFieldErrors } from '../../app/api.ts';
import { useCurrentUser } from '../../app/auth.tsx';
import { useAction, useFocusFirstInvalid } from '../../app/hooks.ts';
import { Field, Message } from '../../app/ui.tsx';
import type { FieldControlProps } from '../../app/ui.tsx';
import type { Service } from '../services/api.ts';
import { MATCH_OPS, noiseApi } from './api.ts';
import type { MatchOp, Matcher, Silence } from './api.ts';
import { HOUR, SILENCE_DURATIONS, fromLocalInput, toLocalInput } from './format.tsx';

const OP_LABEL: Record<MatchOp, string> = {
  '=': '= (equals)',
  '!=': '!= (not equal)',
  '=~': '=~ (regex)',
  '!~': '!~ (not regex)',
};

const CUSTOM = 'custom';

export function SilenceForm({ services, onCreated, onCancel }: { services: Service[]; onCreated: (silence: Silence) => void; onCancel: () => void }) {
  const user = useCurrentUser();
  const zone = user.timeZone;
  const [matchers, setMatchers] = useState<Matcher[]>([{ name: 'alertname', op: '=', value: '' }]);
  const [serviceId, setServiceId] = useState('');
  const [comment, setComment] = useState('');
  const [duration, setDuration] = useState(String(2 * HOUR));
  const [end, setEnd] = useState(() => toLocalInput(Date.now() + 2 * HOUR, zone));
  const [endError, setEndError] = useState<string | null>(null);
  const save = useAction();
  const formRef = useRef<HTMLFormElement>(null);
  const known = ['matchers', 'serviceId', 'comment', 'endsAt', ...matchers.flatMap((_, i) => [`matchers.${i}`, `matchers.${i}.name`, `matchers.${i}.op`, `matchers.${i}.value`])];
  const { byField, general } = splitFieldErrors(save.error, known);
  useFocusFirstInvalid(formRef, save.error ?? endError);
  const rowsId = useId();

  function setMatcher(index: number, patch: Partial<Matcher>): void {
    setMatchers((prev) => prev.map((m, i) => (i === index ? { ...m, ...patch } : m)));
  }

  // A row added: focus its name. A row removed: focus "Add matcher" (its Remove button is gone).
  const rowCount = useRef(matchers.length);
  useEffect(() => {
    const before = rowCount.current;
    rowCount.current = matchers.length;
    if (matchers.length > before) {
      const rows = formRef.current?.querySelectorAll<HTMLElement>('.matcher-row');
      rows?.[rows.length - 1]?.querySelector<HTMLInputElement>('input')?.focus();
    } else if (matchers.length < before) {
      formRef.current?.querySelector<HTMLElement>('.matcher-add')?.focus();
    }
  }, [matchers.length]);

  function addMatcher(): void {
    setMatchers((prev) => [...prev, { name: '', op: '=', value: '' }]);
  }

  function removeMatcher(index: number): void {
    setMatchers((prev) => prev.filter((_, i) => i !== index));
  }

  async function handleSubmit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    save.reset();
    let endsAt: number | null;
    if (duration === CUSTOM) endsAt = fromLocalInput(end, zone);
    else endsAt = Date.now() + Number(duration);
    if (endsAt === null) {
      setEndError('Enter a date and time.');
      return;
    }
    setEndError(null);
    const body = {
      matchers: matchers.map((m) => ({ name: m.name.trim(), op: m.op, value: m.value })),
      comment: comment.trim(),
      endsAt: new Date(endsAt).toISOString(),
      serviceId: serviceId || null,
    };
    const result = await save.run(() => noiseApi.createSilence(body));
    if (result.ok) onCreated(result.value);
  }

  const rowError = (i: number, part: 'name' | 'op' | 'value') => byField[`matchers.${i}.${part}`] ?? (part === 'value' ? byField[`matchers.${i}`] : undefined);

  return (
    <form ref={formRef} className="form form-wide" onSubmit={handleSubmit} noValidate>
      <Message tone="error">{general}</Message>
      <fieldset className="matchers" aria-describedby={`${rowsId}-hint${byField['matchers'] ? ` ${rowsId}-error` : ''}`}>
        <legend>Matchers</legend>
        <p className="field-hint" id={`${rowsId}-hint`}>
          A new alert is silenced when every matcher matches. Names are labels or fields (alertname, severity, source, service, …); a regular expression must match the whole value.
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
      <Field label="Service" name="serviceId" optional error={byField['serviceId']} hint="Leave as “All services” to silence matching alerts wherever they arrive.">
        {(props) => (
          <select {...props} value={serviceId} onChange={(e) => setServiceId(e.target.value)}>
            <option value="">All services</option>
            {services.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Comment" name="comment" error={byField['comment']} hint="Why; shown on every alert the silence suppresses. A ticket number helps.">
        {(props) => <input {...props} type="text" required maxLength={1000} value={comment} onChange={(e) => setComment(e.target.value)} />}
      </Field>
      <div className="form-grid">
        <Field label="Duration" name="duration" error={duration === CUSTOM ? undefined : byField['endsAt']} hint="It starts now.">
          {(props) => (
            <select {...props} value={duration} onChange={(e) => setDuration(e.target.value)}>
              {SILENCE_DURATIONS.map((d) => (
                <option key={d.label} value={String(d.ms)}>
                  {d.label}
                </option>
              ))}
              <option value={CUSTOM}>Until a set time…</option>
            </select>
          )}
        </Field>
        {duration === CUSTOM ? (
          <Field label="Ends" name="endsAt" error={endError ?? byField['endsAt']} hint={`Your time zone: ${zone}.`}>
            {(props) => <input {...props} type="datetime-local" required value={end} onChange={(e) => setEnd(e.target.value)} />}
          </Field>
        ) : null}
      </div>
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={save.pending}>
          {save.pending ? 'Creating…' : 'Create silence'}
        </button>
        <button type="button" className="button" onClick={onCancel} disabled={save.pending}>
          Cancel
        </button>
      </div>
    </form>
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
