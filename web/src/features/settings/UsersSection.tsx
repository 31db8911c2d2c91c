import { useMemo, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { splitFieldErrors } from '../../app/api.ts';
import type { Role, User } from '../../app/api.ts';
import { useAction, useFocusFirstInvalid, useResource } from '../../app/hooks.ts';
import { Field, LoadError, Loading, Message, PasswordField, timeZoneOptions } from '../../app/ui.tsx';
import { settingsApi } from './api.ts';
import type { NewUser } from './api.ts';

const ROLES: { value: Role; label: string }[] = [
  { value: 'responder', label: 'Responder' },
  { value: 'observer', label: 'Observer' },
  { value: 'admin', label: 'Admin' },
];

const ROLE_LABEL: Record<Role, string> = { admin: 'Admin', responder: 'Responder', observer: 'Observer' };

export function UsersSection() {
  const users = useResource((signal) => settingsApi.users(signal), 'users');
  const [status, setStatus] = useState<string | null>(null);

  return (
    <section id="users" className="panel" aria-labelledby="users-heading">
      <div className="section-header">
        <h2 id="users-heading">Users</h2>
        <p className="muted">Only admins see this section. Responders can act on services; observers can only look.</p>
      </div>
      <Message tone="success">{status}</Message>
      {users.status === 'loading' ? <Loading label="Loading users…" /> : null}
      {users.status === 'error' ? <LoadError error={users.error} what="users" onRetry={users.reload} /> : null}
      {users.status === 'ready' ? (
        <div className="table-wrap">
          <table className="table table-stack">
            <caption className="visually-hidden">Users</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Time zone</th>
              </tr>
            </thead>
            <tbody>
              {[...users.data]
                .sort((a, b) => a.email.localeCompare(b.email))
                .map((user) => (
                  <tr key={user.id}>
                    <th scope="row" data-label="Name">
                      {user.name || <span className="muted">—</span>}
                    </th>
                    <td data-label="Email" className="break">
                      {user.email}
                    </td>
                    <td data-label="Role">
                      <span className="badge">{ROLE_LABEL[user.role] ?? user.role}</span>
                    </td>
                    <td data-label="Time zone">{user.timeZone}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <NewUserForm
        onCreated={(user) => {
          users.setData((list) => [...list, user]);
          setStatus(`Created ${user.email}. Share the password with them through a safe channel.`);
        }}
      />
    </section>
  );
}

function NewUserForm({ onCreated }: { onCreated: (user: User) => void }) {
  const { pending, error, run } = useAction();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('responder');
  const [timeZone, setTimeZone] = useState('');
  const [password, setPassword] = useState('');
  const zones = useMemo(() => timeZoneOptions(), []);
  const { byField, general } = splitFieldErrors(error, ['email', 'name', 'role', 'timeZone', 'password']);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, error);

  async function handleSubmit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const input: NewUser = { email: email.trim(), name: name.trim(), role, password };
    if (timeZone) input.timeZone = timeZone;
    const result = await run(() => settingsApi.createUser(input));
    if (result.ok) {
      setEmail('');
      setName('');
      setRole('responder');
      setTimeZone('');
      setPassword('');
      onCreated(result.value);
    }
  }

  return (
    <form ref={formRef} className="inline-form" onSubmit={handleSubmit} aria-labelledby="new-user-heading">
      <h3 id="new-user-heading">Add a user</h3>
      <Message tone="error">{general}</Message>
      <div className="form-grid">
        <Field label="Email" name="email" error={byField['email']}>
          {(props) => (
            <input {...props} type="email" autoComplete="off" required value={email} onChange={(e) => setEmail(e.target.value)} />
          )}
        </Field>
        <Field label="Name" name="name" error={byField['name']}>
          {(props) => <input {...props} type="text" autoComplete="off" required value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field label="Role" name="role" error={byField['role']}>
          {(props) => (
            <select {...props} value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {ROLES.map((r) => (
                <option key={r.value} value={r.value}>
                  {r.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Time zone" name="timeZone" optional error={byField['timeZone']}>
          {(props) => (
            <select {...props} value={timeZone} onChange={(e) => setTimeZone(e.target.value)}>
              <option value="">Server default</option>
              {zones.map((zone) => (
                <option key={zone} value={zone}>
                  {zone.replace(/_/g, ' ')}
                </option>
              ))}
            </select>
          )}
        </Field>
        <PasswordField label="Initial password" name="password" error={byField['password']} hint="They can change it in Settings after signing in." autoComplete="new-password" value={password} onChange={setPassword} />
      </div>
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={pending}>
          {pending ? 'Adding…' : 'Add user'}
        </button>
      </div>
    </form>
  );
}
