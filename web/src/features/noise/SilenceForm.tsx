// A new silence: matchers edited as rows (name, operator, value), an optional service, a comment and
// how long it lasts. It starts now.
import { useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { splitFieldErrors } from '../../app/api.ts';
import { useCurrentUser } from '../../app/auth.tsx';
import { useAction, useFocusFirstInvalid } from '../../app/hooks.ts';
import { Field, FormActions, Message } from '../../app/ui.tsx';
import type { Service } from '../services/api.ts';
import { noiseApi } from './api.ts';
import type { Matcher, Silence } from './api.ts';
import { HOUR, SILENCE_DURATIONS, fromLocalInput, toLocalInput } from './format.tsx';
import { MatcherRows, matcherFields } from './MatcherRows.tsx';

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
  const known = ['serviceId', 'comment', 'endsAt', ...matcherFields(matchers.length)];
  const { byField, general } = splitFieldErrors(save.error, known);
  useFocusFirstInvalid(formRef, save.error ?? endError);

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

  return (
    <form ref={formRef} className="form form-wide" onSubmit={handleSubmit} noValidate>
      <Message tone="error">{general}</Message>
      <MatcherRows
        matchers={matchers}
        onChange={setMatchers}
        byField={byField}
        hint="A new alert is silenced when every matcher matches. Names are labels or fields (alertname, severity, source, service, …); a regular expression must match the whole value."
      />
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
      <FormActions pending={save.pending} label="Create silence" pendingLabel="Creating…" onCancel={onCancel} />
    </form>
  );
}
