// The "Escalation policy" panel of a service page: which policy its incidents page through, and
// (for responders and admins) a selector to change it (PUT /services/{id}/escalation-policy).
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { canEdit, useCurrentUser } from '../../app/auth.tsx';
import { useAction, useResource } from '../../app/hooks.ts';
import { Link } from '../../app/router.tsx';
import { Loading, LoadError, Message, errorText } from '../../app/ui.tsx';
import { policiesApi } from './api.ts';
import { policyPath } from './PolicyPages.tsx';

export function ServicePolicySection({ serviceId }: { serviceId: string }) {
  const user = useCurrentUser();
  const editable = canEdit(user);
  const policies = useResource((signal) => policiesApi.list(signal), `policies-for-${serviceId}`);
  const current = policies.status === 'ready' ? (policies.data.find((p) => p.services.some((s) => s.id === serviceId)) ?? null) : null;
  const [picked, setPicked] = useState('');
  const save = useAction();
  const [saved, setSaved] = useState<string | null>(null);
  useEffect(() => setPicked(current?.id ?? ''), [current?.id]);

  async function handleSubmit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    setSaved(null);
    const result = await save.run(() => policiesApi.setServicePolicy(serviceId, picked || null));
    if (result.ok) {
      setSaved(result.value.policy ? `Incidents of this service now page through “${result.value.policy.name}”.` : 'This service now pages nobody.');
      policies.reload();
    }
  }

  return (
    <section className="panel" aria-labelledby="service-policy-heading">
      <h2 id="service-policy-heading">Escalation policy</h2>
      {policies.status === 'loading' ? <Loading label="Loading escalation policies…" /> : null}
      {policies.status === 'error' ? <LoadError error={policies.error} what="escalation policies" onRetry={policies.reload} /> : null}
      {policies.status === 'ready' ? (
        <>
          <p>
            {current ? (
              <>
                Incidents page through <Link to={policyPath(current.id)}>{current.name}</Link>.
              </>
            ) : (
              <span className="gap-text">
                <span aria-hidden="true">⚠ </span>No escalation policy: incidents of this service page nobody.
              </span>
            )}
          </p>
          {editable ? (
            <form className="inline-form" onSubmit={handleSubmit}>
              <label htmlFor="service-policy-select">Escalation policy</label>
              <select id="service-policy-select" name="policyId" value={picked} onChange={(e) => setPicked(e.target.value)}>
                <option value="">None (pages nobody)</option>
                {policies.data.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
              <button type="submit" className="button button-small" disabled={save.pending || picked === (current?.id ?? '')}>
                {save.pending ? 'Saving…' : 'Save policy'}
              </button>
            </form>
          ) : null}
          <Message tone="error">{save.error ? `Could not change the policy: ${errorText(save.error)}` : null}</Message>
          <Message tone="success">{saved}</Message>
        </>
      ) : null}
    </section>
  );
}
