import { useMemo, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { splitFieldErrors } from '../../app/api.ts';
import { useAuth, useCurrentUser } from '../../app/auth.tsx';
import { useAction, useFocusFirstInvalid } from '../../app/hooks.ts';
import { Field, Message, timeZoneOptions } from '../../app/ui.tsx';
import { settingsApi } from './api.ts';

export function ProfileSection() {
  const user = useCurrentUser();
  const { updateUser } = useAuth();
  const { pending, error, run } = useAction();
  const [name, setName] = useState(user.name);
  const [timeZone, setTimeZone] = useState(user.timeZone);
  const [saved, setSaved] = useState<string | null>(null);
  const zones = useMemo(() => timeZoneOptions(user.timeZone), [user.timeZone]);
  const { byField, general } = splitFieldErrors(error, ['name', 'timeZone']);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, error);
  const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

  async function handleSubmit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    setSaved(null);
    const result = await run(() => settingsApi.updateProfile({ name: name.trim(), timeZone }));
    if (result.ok) {
      updateUser(result.value);
      setSaved('Profile saved.');
    }
  }

  return (
    <section id="profile" className="panel" aria-labelledby="profile-heading">
      <h2 id="profile-heading">Profile</h2>
      <form ref={formRef} className="form" onSubmit={handleSubmit}>
        <Message tone="error">{general}</Message>
        <Field label="Email" name="email" hint="Ask an admin if your email address needs to change.">
          {(props) => <input {...props} type="email" value={user.email} readOnly />}
        </Field>
        <Field label="Name" name="name" error={byField['name']}>
          {(props) => <input {...props} type="text" autoComplete="name" required value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field
          label="Time zone"
          name="timeZone"
          error={byField['timeZone']}
          hint={
            browserZone && browserZone !== timeZone ? (
              <>
                Times in Vigil are shown in this zone. Your browser is set to {browserZone}.{' '}
                <button type="button" className="link-button" onClick={() => setTimeZone(browserZone)}>
                  Use {browserZone}
                </button>
              </>
            ) : (
              'Times in Vigil are shown in this zone.'
            )
          }
        >
          {(props) => (
            <select {...props} value={timeZone} onChange={(e) => setTimeZone(e.target.value)}>
              {zones.map((zone) => (
                <option key={zone} value={zone}>
                  {zone.replace(/_/g, ' ')}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={pending}>
            {pending ? 'Saving…' : 'Save profile'}
          </button>
          <Message tone="success">{saved}</Message>
        </div>
      </form>
    </section>
  );
}
