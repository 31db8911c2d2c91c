import { useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { splitFieldErrors } from '../../app/api.ts';
import { canEdit, useCurrentUser } from '../../app/auth.tsx';
import { useConfirm } from '../../app/confirm.tsx';
import { useAction, useFocusFirstInvalid, useResource } from '../../app/hooks.ts';
import { Link, navigate } from '../../app/router.tsx';
import { CopyButton, DateTime, Field, LoadError, Loading, Message, PageHeader, errorText } from '../../app/ui.tsx';
import { safeHttpUrl, servicesApi } from './api.ts';
import type { IntegrationKey, Service } from './api.ts';
import { ServicePolicySection } from '../escalation/ServicePolicySection.tsx';
import { ServiceNoiseSection } from '../noise/ServiceNoiseSection.tsx';
import { SendAlertsSection } from './SendAlertsSection.tsx';
import { ServiceForm, toInput, toValues } from './ServiceForm.tsx';

export function ServiceDetailPage({ id }: { id: string }) {
  const service = useResource((signal) => servicesApi.get(id, signal), id);

  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/services">Services</Link>
      </nav>
      {service.status === 'loading' ? (
        <>
          <PageHeader title="Service" />
          <Loading label="Loading service…" />
        </>
      ) : null}
      {service.status === 'error' ? (
        <>
          <PageHeader title="Service" />
          <LoadError error={service.error} what="service" onRetry={service.reload} />
        </>
      ) : null}
      {service.status === 'ready' ? (
        <ServiceDetail service={service.data} onChange={(next) => service.setData(() => next)} />
      ) : null}
    </>
  );
}

function ServiceDetail({ service, onChange }: { service: Service; onChange: (service: Service) => void }) {
  const user = useCurrentUser();
  const editable = canEdit(user);
  const confirm = useConfirm();
  const [editing, setEditing] = useState(false);
  const save = useAction();
  const remove = useAction();

  async function handleDelete(): Promise<void> {
    const ok = await confirm({
      title: `Delete “${service.name}”?`,
      body: (
        <p>
          The service and all of its integration keys will be removed. Monitoring tools still sending alerts with those keys
          will be rejected.
        </p>
      ),
      confirmLabel: 'Delete service',
      danger: true,
    });
    if (!ok) return;
    const result = await remove.run(() => servicesApi.remove(service.id));
    if (result.ok) navigate('/services');
  }

  return (
    <>
      <PageHeader
        title={service.name}
        actions={
          editable && !editing ? (
            <>
              <button type="button" className="button" onClick={() => setEditing(true)}>
                Edit details
              </button>
              <button type="button" className="button button-danger-quiet" onClick={handleDelete} disabled={remove.pending}>
                {remove.pending ? 'Deleting…' : 'Delete service'}
              </button>
            </>
          ) : null
        }
      />
      <Message tone="error">{remove.error ? `Could not delete the service: ${errorText(remove.error)}` : null}</Message>

      {editing ? (
        <section className="panel" aria-labelledby="edit-heading">
          <h2 id="edit-heading">Edit details</h2>
          <ServiceForm
            initial={toValues(service)}
            submitLabel="Save changes"
            pendingLabel="Saving…"
            pending={save.pending}
            error={save.error}
            onSubmit={async (values) => {
              const result = await save.run(() => servicesApi.update(service.id, toInput(values, true)));
              if (result.ok) {
                onChange(result.value);
                setEditing(false);
              }
            }}
            onCancel={() => {
              save.reset();
              setEditing(false);
            }}
          />
        </section>
      ) : (
        <section className="panel" aria-labelledby="details-heading">
          <h2 id="details-heading" className="visually-hidden">
            Details
          </h2>
          <dl className="details">
            <div>
              <dt>Description</dt>
              <dd>{service.description ? <p className="prewrap">{service.description}</p> : <span className="muted">No description</span>}</dd>
            </div>
            <div>
              <dt>Team</dt>
              <dd>{service.teamName ?? <span className="muted">No team</span>}</dd>
            </div>
            <div>
              <dt>Runbook</dt>
              <dd>
                <Runbook url={service.runbookUrl} />
              </dd>
            </div>
            <div>
              <dt>Created</dt>
              <dd>
                <DateTime iso={service.createdAt} timeZone={user.timeZone} />
              </dd>
            </div>
          </dl>
        </section>
      )}

      <ServicePolicySection serviceId={service.id} />
      <ServiceNoiseSection service={service} />
      <IntegrationKeys service={service} editable={editable} onChange={onChange} />
      <SendAlertsSection service={service} />
    </>
  );
}

function Runbook({ url }: { url: string | null }) {
  if (!url) return <span className="muted">No runbook</span>;
  const safe = safeHttpUrl(url);
  if (!safe) return <span className="break">{url}</span>;
  return (
    <a href={safe} target="_blank" rel="noopener noreferrer" className="break">
      {url}
      <span className="visually-hidden"> (opens in a new tab)</span>
    </a>
  );
}

function IntegrationKeys({ service, editable, onChange }: { service: Service; editable: boolean; onChange: (service: Service) => void }) {
  const user = useCurrentUser();
  const confirm = useConfirm();
  const action = useAction();
  const add = useAction();
  const [status, setStatus] = useState<string | null>(null);
  const [newKeyName, setNewKeyName] = useState('');
  const { byField, general } = splitFieldErrors(add.error, ['name']);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, add.error);

  function replaceKeys(keys: IntegrationKey[]): void {
    onChange({ ...service, integrationKeys: keys });
  }

  async function handleAdd(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    setStatus(null);
    action.reset();
    const name = newKeyName.trim();
    const result = await add.run(() => servicesApi.addKey(service.id, name || undefined));
    if (result.ok) {
      replaceKeys([...service.integrationKeys, result.value]);
      setNewKeyName('');
      setStatus(`Added key “${result.value.name}”.`);
    }
  }

  async function handleRotate(key: IntegrationKey): Promise<void> {
    setStatus(null);
    const ok = await confirm({
      title: `Rotate key “${key.name}”?`,
      body: (
        <p>
          A new key replaces this one and the current key stops working <strong>immediately</strong>. Update every monitoring
          tool that uses it.
        </p>
      ),
      confirmLabel: 'Rotate key',
      danger: true,
    });
    if (!ok) return;
    const result = await action.run(() => servicesApi.rotateKey(service.id, key.id));
    if (result.ok) {
      replaceKeys(service.integrationKeys.map((k) => (k.id === key.id ? result.value : k)));
      setStatus(`Rotated key “${key.name}”. The old key no longer works.`);
    }
  }

  async function handleRevoke(key: IntegrationKey): Promise<void> {
    setStatus(null);
    const ok = await confirm({
      title: `Revoke key “${key.name}”?`,
      body: <p>Alerts sent with this key will be rejected from now on. This cannot be undone.</p>,
      confirmLabel: 'Revoke key',
      danger: true,
    });
    if (!ok) return;
    const result = await action.run(() => servicesApi.revokeKey(service.id, key.id));
    if (result.ok) {
      replaceKeys(service.integrationKeys.filter((k) => k.id !== key.id));
      setStatus(`Revoked key “${key.name}”.`);
    }
  }

  return (
    <section className="panel" aria-labelledby="keys-heading">
      <div className="section-header">
        <h2 id="keys-heading">Integration keys</h2>
        <p className="muted">Monitoring tools send alerts to this service with one of these keys. Treat them like passwords.</p>
      </div>
      <Message tone="success">{status}</Message>
      <Message tone="error">{action.error ? errorText(action.error) : null}</Message>

      {service.integrationKeys.length === 0 ? (
        <p className="empty-inline">This service has no active keys, so it cannot receive alerts.</p>
      ) : (
        <div className="table-wrap">
          <table className="table table-stack">
            <caption className="visually-hidden">Integration keys of {service.name}</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Key</th>
                <th scope="col">Created</th>
                {editable ? (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {service.integrationKeys.map((key) => (
                <tr key={key.id}>
                  <th scope="row" data-label="Name">
                    {key.name}
                  </th>
                  <td data-label="Key">
                    {key.key ? (
                      <span className="key-value">
                        <code className="secret">{key.key}</code>
                        <CopyButton value={key.key} ariaLabel={`Copy key “${key.name}”`} />
                      </span>
                    ) : (
                      <code className="secret muted" title="Only responders and admins can see the full key">
                        {key.keyPreview}
                      </code>
                    )}
                  </td>
                  <td data-label="Created">
                    <DateTime iso={key.createdAt} timeZone={user.timeZone} />
                  </td>
                  {editable ? (
                    <td className="row-actions">
                      <button
                        type="button"
                        className="button button-small"
                        onClick={() => handleRotate(key)}
                        disabled={action.pending}
                        aria-label={`Rotate key “${key.name}”`}
                      >
                        Rotate
                      </button>
                      <button
                        type="button"
                        className="button button-small button-danger-quiet"
                        onClick={() => handleRevoke(key)}
                        disabled={action.pending}
                        aria-label={`Revoke key “${key.name}”`}
                      >
                        Revoke
                      </button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {editable ? (
        <form ref={formRef} className="inline-form" onSubmit={handleAdd} aria-labelledby="add-key-heading">
          <h3 id="add-key-heading">Add a key</h3>
          <Message tone="error">{general}</Message>
          <div className="inline-form-row">
            <Field label="Key name" name="name" optional error={byField['name']} hint="For example the tool that will use it.">
              {(props) => (
                <input
                  {...props}
                  type="text"
                  maxLength={200}
                  placeholder="grafana"
                  value={newKeyName}
                  onChange={(e) => setNewKeyName(e.target.value)}
                />
              )}
            </Field>
            <button type="submit" className="button button-primary" disabled={add.pending}>
              {add.pending ? 'Adding…' : 'Add key'}
            </button>
          </div>
        </form>
      ) : null}
    </section>
  );
}
