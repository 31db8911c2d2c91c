import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { splitFieldErrors } from '../../app/api.ts';
import { useCurrentUser } from '../../app/auth.tsx';
import { useConfirm } from '../../app/confirm.tsx';
import { useAction, useFocusFirstInvalid, useResource } from '../../app/hooks.ts';
import { CopyButton, DateTime, Field, LoadError, Loading, Message, errorText } from '../../app/ui.tsx';
import { servicesApi } from '../services/api.ts';
import { WEBHOOK_EVENTS, webhooksApi } from './api.ts';
import type { Webhook } from './api.ts';

const short = (event: string) => event.replace(/^incident\./, '').replace(/_/g, ' ');
const eventsText = (events: string[]) => (events.length === WEBHOOK_EVENTS.length ? 'All events' : events.map(short).join(', '));

/** Outgoing webhooks (admins): subscriptions, the signing secret shown once, and each one's delivery log. */
export function WebhooksSection() {
  const hooks = useResource((signal) => webhooksApi.list(signal), 'webhooks');
  const confirm = useConfirm();
  const action = useAction();
  const [status, setStatus] = useState<string | null>(null);
  const [created, setCreated] = useState<{ webhook: Webhook; secret: string } | null>(null);
  const [open, setOpen] = useState<string | null>(null);

  async function handleDelete(w: Webhook): Promise<void> {
    setStatus(null);
    const ok = await confirm({
      title: 'Delete this webhook?',
      body: <p>{w.url} will receive no more events, and its delivery log is deleted. This cannot be undone.</p>,
      confirmLabel: 'Delete webhook',
      danger: true,
    });
    if (!ok) return;
    const result = await action.run(() => webhooksApi.delete(w.id));
    if (result.ok) {
      hooks.setData((list) => list.filter((x) => x.id !== w.id));
      if (created?.webhook.id === w.id) setCreated(null);
      setStatus('Deleted the webhook.');
    }
  }

  async function handleTest(w: Webhook): Promise<void> {
    setStatus(null);
    const result = await action.run(() => webhooksApi.test(w.id));
    if (result.ok) {
      setStatus('Queued a test ping. Its result appears in the delivery log.');
      setOpen(w.id);
    }
  }

  async function handleEnabled(w: Webhook): Promise<void> {
    setStatus(null);
    const result = await action.run(() => webhooksApi.setEnabled(w.id, !w.enabled));
    if (result.ok) hooks.setData((list) => list.map((x) => (x.id === w.id ? result.value : x)));
  }

  return (
    <section id="webhooks" className="panel" aria-labelledby="webhooks-heading">
      <div className="section-header">
        <h2 id="webhooks-heading">Webhooks</h2>
        <p className="muted">Only admins see this section. Vigil POSTs signed incident events to these URLs (payload and signature: docs/webhooks.md).</p>
      </div>
      {created ? <NewWebhookSecret secret={created.secret} onDone={() => setCreated(null)} /> : null}
      <Message tone="success">{status}</Message>
      <Message tone="error">{action.error ? `That did not work: ${errorText(action.error)}` : null}</Message>
      {hooks.status === 'loading' ? <Loading label="Loading webhooks…" /> : null}
      {hooks.status === 'error' ? <LoadError error={hooks.error} what="webhooks" onRetry={hooks.reload} /> : null}
      {hooks.status === 'ready' && hooks.data.length === 0 ? <p className="empty-inline">No webhooks yet.</p> : null}
      {hooks.status === 'ready' && hooks.data.length > 0 ? (
        <div className="table-wrap">
          <table className="table table-stack">
            <caption className="visually-hidden">Webhooks</caption>
            <thead>
              <tr>
                <th scope="col">URL</th>
                <th scope="col">Service</th>
                <th scope="col">Events</th>
                <th scope="col">Enabled</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {hooks.data.map((w) => (
                <tr key={w.id}>
                  <th scope="row" data-label="URL" className="break">
                    {w.url}
                    {w.description ? <div className="muted">{w.description}</div> : null}
                  </th>
                  <td data-label="Service">{w.serviceName ?? <span className="muted">Every service</span>}</td>
                  <td data-label="Events">{eventsText(w.events)}</td>
                  <td data-label="Enabled">
                    <span className="badge">{w.enabled ? 'Enabled' : 'Paused'}</span>
                  </td>
                  <td className="row-actions">
                    <button type="button" className="button button-small" onClick={() => setOpen(open === w.id ? null : w.id)} aria-expanded={open === w.id} aria-label={`Delivery log of ${w.url}`}>
                      Deliveries
                    </button>
                    <button type="button" className="button button-small" onClick={() => handleTest(w)} disabled={action.pending} aria-label={`Send a test ping to ${w.url}`}>
                      Test
                    </button>
                    <button type="button" className="button button-small" onClick={() => handleEnabled(w)} disabled={action.pending} aria-label={`${w.enabled ? 'Pause' : 'Enable'} ${w.url}`}>
                      {w.enabled ? 'Pause' : 'Enable'}
                    </button>
                    <button type="button" className="button button-small button-danger-quiet" onClick={() => handleDelete(w)} disabled={action.pending} aria-label={`Delete webhook ${w.url}`}>
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {open && hooks.status === 'ready' && hooks.data.some((w) => w.id === open) ? <DeliveryLog webhook={hooks.data.find((w) => w.id === open)!} /> : null}
      <NewWebhookForm
        onCreated={(result) => {
          setStatus(null);
          setCreated(result);
          hooks.setData((list) => [...list, result.webhook]);
          if (hooks.status !== 'ready') hooks.reload();
        }}
      />
    </section>
  );
}

function DeliveryLog({ webhook }: { webhook: Webhook }) {
  const user = useCurrentUser();
  const [generation, setGeneration] = useState(0);
  const log = useResource((signal) => webhooksApi.deliveries(webhook.id, signal), `${webhook.id}:${generation}`);
  return (
    <div className="inline-form" role="region" aria-labelledby="webhook-log-heading">
      <h3 id="webhook-log-heading">Deliveries to {webhook.url}</h3>
      <button type="button" className="button button-small" onClick={() => setGeneration((n) => n + 1)}>
        Refresh
      </button>
      {log.status === 'loading' ? <Loading label="Loading deliveries…" /> : null}
      {log.status === 'error' ? <LoadError error={log.error} what="deliveries" onRetry={log.reload} /> : null}
      {log.status === 'ready' && log.data.length === 0 ? <p className="empty-inline">Nothing sent yet.</p> : null}
      {log.status === 'ready' && log.data.length > 0 ? (
        <div className="table-wrap">
          <table className="table table-stack">
            <caption className="visually-hidden">The latest 20 deliveries</caption>
            <thead>
              <tr>
                <th scope="col">Created</th>
                <th scope="col">Event</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                <th scope="col">Response</th>
                <th scope="col">Last error / next attempt</th>
              </tr>
            </thead>
            <tbody>
              {log.data.map((d) => (
                <tr key={d.id}>
                  <td data-label="Created">
                    <DateTime iso={d.createdAt} timeZone={user.timeZone} />
                  </td>
                  <td data-label="Event">{d.eventType}</td>
                  <td data-label="Status">
                    <span className="badge">{d.status}</span>
                  </td>
                  <td data-label="Attempts">{d.attempts}</td>
                  <td data-label="Response">{d.lastStatusCode === null ? '—' : `${d.lastStatusCode}${d.durationMs === null ? '' : ` in ${d.durationMs} ms`}`}</td>
                  <td data-label="Last error / next attempt" className="break">
                    {d.lastError ?? ''}
                    {d.nextAttemptAt ? (
                      <>
                        {d.lastError ? '; next ' : 'Next '}
                        <DateTime iso={d.nextAttemptAt} timeZone={user.timeZone} />
                      </>
                    ) : null}
                    {!d.lastError && !d.nextAttemptAt ? '—' : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}

function NewWebhookSecret({ secret, onDone }: { secret: string; onDone: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <div className="secret-reveal" role="region" aria-labelledby="webhook-secret-heading" tabIndex={-1} ref={ref}>
      <h3 id="webhook-secret-heading">Webhook created</h3>
      <p className="warning">
        <strong>Copy the signing secret now.</strong> The receiver checks each delivery's signature with it; Vigil shows it only this once.
      </p>
      <div className="key-value">
        <code className="secret" id="new-webhook-secret">
          {secret}
        </code>
        <CopyButton value={secret} ariaLabel="Copy the signing secret" />
      </div>
      <button type="button" className="button" onClick={onDone}>
        I have copied it
      </button>
    </div>
  );
}

function NewWebhookForm({ onCreated }: { onCreated: (result: { webhook: Webhook; secret: string }) => void }) {
  const services = useResource((signal) => servicesApi.list(signal), 'services');
  const { pending, error, run } = useAction();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [serviceId, setServiceId] = useState('');
  const [events, setEvents] = useState<string[]>([...WEBHOOK_EVENTS]);
  const { byField, general } = splitFieldErrors(error, ['url', 'description', 'serviceId', 'events']);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, error);

  async function handleSubmit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const input = { url: url.trim(), serviceId: serviceId || null, events, ...(description.trim() ? { description: description.trim() } : {}) };
    const result = await run(() => webhooksApi.create(input));
    if (result.ok) {
      setUrl('');
      setDescription('');
      setServiceId('');
      setEvents([...WEBHOOK_EVENTS]);
      onCreated(result.value);
    }
  }

  return (
    <form ref={formRef} className="inline-form" onSubmit={handleSubmit} aria-labelledby="new-webhook-heading">
      <h3 id="new-webhook-heading">Add a webhook</h3>
      <Message tone="error">{general}</Message>
      <div className="form-grid">
        <Field label="URL" name="url" error={byField['url']} hint="http or https; put a receiver's token in the path or query, not user:password.">
          {(props) => <input {...props} type="url" required maxLength={2048} value={url} onChange={(e) => setUrl(e.target.value)} />}
        </Field>
        <Field label="Description" name="description" optional error={byField['description']}>
          {(props) => <input {...props} type="text" maxLength={500} value={description} onChange={(e) => setDescription(e.target.value)} />}
        </Field>
        <Field label="Service" name="serviceId" error={byField['serviceId']}>
          {(props) => (
            <select {...props} value={serviceId} onChange={(e) => setServiceId(e.target.value)}>
              <option value="">Every service</option>
              {services.status === 'ready'
                ? services.data.map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.name}
                    </option>
                  ))
                : null}
            </select>
          )}
        </Field>
      </div>
      <fieldset className="fieldset">
        <legend>Events</legend>
        {byField['events'] ? <p className="field-error">{byField['events']}</p> : null}
        <div className="webhook-events">
        {WEBHOOK_EVENTS.map((e) => (
          <label key={e} className="check">
            <input type="checkbox" checked={events.includes(e)} onChange={(ev) => setEvents((list) => (ev.target.checked ? [...list, e] : list.filter((x) => x !== e)))} /> {short(e)}
          </label>
        ))}
        </div>
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={pending || events.length === 0}>
          {pending ? 'Adding…' : 'Add webhook'}
        </button>
      </div>
    </form>
  );
}
