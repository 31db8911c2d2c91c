// "Start maintenance": a window for one service, starting now by default, with quick durations.
import { useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { splitFieldErrors } from '../../app/api.ts';
import { useCurrentUser } from '../../app/auth.tsx';
import { useAction, useFocusFirstInvalid } from '../../app/hooks.ts';
import { Field, FormActions, Message } from '../../app/ui.tsx';
import type { Service } from '../services/api.ts';
import { noiseApi } from './api.ts';
import type { MaintenanceWindow } from './api.ts';
import { HOUR, QUICK_DURATIONS, fromLocalInput, toLocalInput } from './format.tsx';

const FIELDS = ['serviceId', 'description', 'startsAt', 'endsAt'];

export function MaintenanceWindowForm({
  services,
  serviceId: fixedServiceId,
  onCreated,
  onCancel,
}: {
  /** The services to choose from; omit with `serviceId` to make the window for that one. */
  services?: Service[];
  serviceId?: string;
  onCreated: (window: MaintenanceWindow) => void;
  onCancel: () => void;
}) {
  const user = useCurrentUser();
  const zone = user.timeZone;
  const [initialStart] = useState(() => toLocalInput(Date.now(), zone));
  const [serviceId, setServiceId] = useState(fixedServiceId ?? '');
  const [description, setDescription] = useState('');
  const [start, setStart] = useState(initialStart);
  const [end, setEnd] = useState(() => toLocalInput(Date.now() + HOUR, zone));
  const [localError, setLocalError] = useState<Record<string, string>>({});
  const save = useAction();
  const formRef = useRef<HTMLFormElement>(null);
  const { byField, general } = splitFieldErrors(save.error, FIELDS);
  const errors = { ...byField, ...localError };
  useFocusFirstInvalid(formRef, save.error ?? (Object.keys(localError).length ? localError : null));

  /** An untouched start means "now", read when the form is sent (it may have been open a while). */
  const startMs = (): number | null => (start === initialStart ? Date.now() : fromLocalInput(start, zone));

  function setDuration(ms: number): void {
    const from = startMs();
    setEnd(toLocalInput((from ?? Date.now()) + ms, zone));
  }

  async function handleSubmit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    save.reset();
    const from = startMs();
    const to = fromLocalInput(end, zone);
    const problems: Record<string, string> = {};
    if (from === null) problems['startsAt'] = 'Enter a date and time.';
    if (to === null) problems['endsAt'] = 'Enter a date and time.';
    setLocalError(problems);
    if (from === null || to === null) return;
    const result = await save.run(() =>
      noiseApi.createWindow({ serviceId, description: description.trim(), startsAt: new Date(from).toISOString(), endsAt: new Date(to).toISOString() }),
    );
    if (result.ok) onCreated(result.value);
  }

  return (
    <form ref={formRef} className="form form-wide" onSubmit={handleSubmit} noValidate>
      <Message tone="error">{general}</Message>
      {fixedServiceId === undefined ? (
        <Field label="Service" name="serviceId" error={errors['serviceId']}>
          {(props) => (
            <select {...props} required value={serviceId} onChange={(e) => setServiceId(e.target.value)}>
              <option value="">Choose a service…</option>
              {(services ?? []).map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      ) : null}
      <Field label="Description" name="description" error={errors['description']} hint="What is being maintained; shown on every alert the window suppresses.">
        {(props) => (
          <input {...props} type="text" required maxLength={1000} value={description} onChange={(e) => setDescription(e.target.value)} />
        )}
      </Field>
      <div className="form-grid">
        <Field label="Start" name="startsAt" error={errors['startsAt']} hint={`Your time zone: ${zone}. Left as it is, the window starts now.`}>
          {(props) => <input {...props} type="datetime-local" required value={start} onChange={(e) => setStart(e.target.value)} />}
        </Field>
        <Field label="End" name="endsAt" error={errors['endsAt']} hint={`Your time zone: ${zone}.`}>
          {(props) => <input {...props} type="datetime-local" required value={end} onChange={(e) => setEnd(e.target.value)} />}
        </Field>
      </div>
      <div className="quick-durations" role="group" aria-label="Quick durations: end this long after the start">
        <span className="muted small" aria-hidden="true">
          Lasts:
        </span>
        {QUICK_DURATIONS.map((d) => (
          <button key={d.label} type="button" className="button button-small" onClick={() => setDuration(d.ms)} aria-label={`Lasts ${d.label}`}>
            {d.label}
          </button>
        ))}
      </div>
      <FormActions pending={save.pending} label="Schedule maintenance" pendingLabel="Scheduling…" onCancel={onCancel} />
    </form>
  );
}
