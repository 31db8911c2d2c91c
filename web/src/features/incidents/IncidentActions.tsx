// The incident's actions for responders and admins: acknowledge, resolve, escalate now, and
// reassign to a person or another policy. Each posts to the incident API and the page refreshes
// from the answer; the server's refusal (412 when the incident is no longer open, …) is shown as is.
import { useState } from 'react';
import type { FormEvent } from 'react';
import { api } from '../../app/api.ts';
import { canEdit, useCurrentUser } from '../../app/auth.tsx';
import { useAction, useResource } from '../../app/hooks.ts';
import { Message, errorText } from '../../app/ui.tsx';
import { policiesApi } from '../escalation/api.ts';
import { schedulesApi } from '../schedules/api.ts';
import type { Incident } from './api.ts';

type Verb = 'acknowledge' | 'resolve' | 'escalate';
const DONE: Record<Verb, string> = { acknowledge: 'Acknowledged.', resolve: 'Resolved.', escalate: 'Escalated: the next level was paged now.' };

async function loadTargets(signal: AbortSignal) {
  const [users, policies] = await Promise.all([schedulesApi.users(signal), policiesApi.list(signal)]);
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
  return { users: [...users].sort(byName), policies: [...policies].sort(byName) };
}

export function IncidentActions({ incident, onChanged }: { incident: Incident; onChanged: () => void }) {
  const user = useCurrentUser();
  const action = useAction();
  const [done, setDone] = useState<string | null>(null);
  const [target, setTarget] = useState('');
  const [reassigning, setReassigning] = useState(false);
  const targets = useResource(loadTargets, reassigning ? `reassign-targets-${incident.id}` : 'reassign-targets-idle');
  if (!canEdit(user)) return null;
  const path = (verb: string) => `/incidents/${encodeURIComponent(incident.id)}/${verb}`;
  const open = incident.status !== 'resolved';

  async function post(verb: string, body: unknown, message: string): Promise<void> {
    setDone(null);
    const result = await action.run(() => api.post(path(verb), body));
    if (result.ok) {
      setDone(message);
      onChanged();
    }
  }

  async function handleReassign(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const [kind, id] = target.split(':');
    if (!id) return;
    await post('reassign', kind === 'user' ? { userIds: [id] } : { policyId: id }, 'Reassigned: the escalation starts again on them now.');
    setReassigning(false);
  }

  return (
    <section className="panel" aria-labelledby="incident-actions-heading">
      <h2 id="incident-actions-heading">Respond</h2>
      {open ? (
        <div className="action-row">
          {incident.status === 'triggered' ? (
            <button type="button" className="button" disabled={action.pending} onClick={() => post('acknowledge', {}, DONE.acknowledge)}>
              Acknowledge
            </button>
          ) : null}
          <button type="button" className="button" disabled={action.pending} onClick={() => post('resolve', {}, DONE.resolve)}>
            Resolve
          </button>
          {incident.status === 'triggered' ? (
            <button type="button" className="button" disabled={action.pending} onClick={() => post('escalate', {}, DONE.escalate)}>
              Escalate now
            </button>
          ) : null}
          <button type="button" className="button" aria-expanded={reassigning} disabled={action.pending} onClick={() => setReassigning((r) => !r)}>
            Reassign…
          </button>
        </div>
      ) : (
        <p className="muted">This incident is resolved.</p>
      )}
      {open && reassigning ? (
        <form className="inline-form" onSubmit={handleReassign}>
          <label htmlFor="reassign-target">Reassign to</label>
          <select id="reassign-target" name="target" required value={target} onChange={(e) => setTarget(e.target.value)}>
            <option value="">Choose a person or a policy…</option>
            {targets.status === 'ready' ? (
              <>
                <optgroup label="People">
                  {targets.data.users.map((u) => (
                    <option key={u.id} value={`user:${u.id}`}>
                      {u.name}
                    </option>
                  ))}
                </optgroup>
                <optgroup label="Escalation policies">
                  {targets.data.policies.map((p) => (
                    <option key={p.id} value={`policy:${p.id}`}>
                      {p.name}
                    </option>
                  ))}
                </optgroup>
              </>
            ) : null}
          </select>
          <button type="submit" className="button button-small" disabled={action.pending || !target}>
            {action.pending ? 'Reassigning…' : 'Reassign'}
          </button>
          <p className="muted small">
            The escalation starts again on them from its first level; pages still queued for others are cancelled, and an acknowledged incident is
            triggered again.
          </p>
        </form>
      ) : null}
      {targets.status === 'error' && reassigning ? <Message tone="error">{`Could not load people and policies: ${errorText(targets.error)}`}</Message> : null}
      <Message tone="error">{action.error ? `That did not work: ${errorText(action.error)}` : null}</Message>
      <Message tone="success">{done}</Message>
    </section>
  );
}
