// One alert: every field, its labels, details and links, its incident, Acknowledge/Resolve, and its
// event log as a timeline. Everything the sender sent is rendered as text.
import { useCallback, useState } from 'react';
import type { ReactNode } from 'react';
import { canEdit, useCurrentUser } from '../../app/auth.tsx';
import { useAction, useLiveResource, useResource } from '../../app/hooks.ts';
import { Link } from '../../app/router.tsx';
import { DateTime, LoadError, Loading, Message, PageHeader, errorText } from '../../app/ui.tsx';
import { safeHttpUrl } from '../services/api.ts';
import { alertsApi } from './api.ts';
import type { Alert, AlertEvent, AlertVerb } from './api.ts';
import { DecisionBadge, SeverityBadge, StatusBadge, UrgencyBadge, describeSuppression, useNow } from './format.tsx';
import { LiveIndicator, useAlertStream } from './live.tsx';
import { SoftButton } from './SoftButton.tsx';
import { ExternalLink, Item, SenderLink, Timestamp } from './parts.tsx';

interface Loaded {
  alert: Alert;
  events: AlertEvent[];
  eventCount: number;
}

/** Loads the alert; refresh() refetches without blanking the page, keeping the last good copy on failure. */
function useAlert(ref: string) {
  const { state, refresh, retry, refreshError, setData } = useLiveResource<Loaded>((signal) => alertsApi.get(ref, signal), ref);
  const replaceAlert = useCallback((alert: Alert) => setData((data) => ({ ...data, alert })), [setData]);
  return { state, refresh, retry, refreshError, replaceAlert };
}

export function AlertDetailPage({ number }: { number: string }) {
  const { state, refresh, retry, refreshError, replaceAlert } = useAlert(number);
  const live = useAlertStream(refresh);

  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/alerts">Alerts</Link>
      </nav>
      {state.status === 'loading' ? (
        <>
          <PageHeader title={`Alert #${number}`} />
          <Loading label="Loading alert…" />
        </>
      ) : null}
      {state.status === 'error' ? (
        <>
          <PageHeader title={`Alert #${number}`} />
          <LoadError error={state.error} what="alert" onRetry={retry} />
        </>
      ) : null}
      {state.status === 'ready' ? (
        <AlertDetail data={state.data} live={<LiveIndicator state={live} />} refreshError={refreshError} onChanged={(alert) => {
          replaceAlert(alert);
          refresh();
        }} />
      ) : null}
    </>
  );
}

function AlertDetail({
  data,
  live,
  refreshError,
  onChanged,
}: {
  data: Loaded;
  live: ReactNode;
  refreshError: unknown;
  onChanged: (alert: Alert) => void;
}) {
  const { alert, events, eventCount } = data;
  const user = useCurrentUser();
  const editable = canEdit(user);
  const now = useNow();
  const action = useAction();
  const [status, setStatus] = useState<string | null>(null);

  async function change(verb: AlertVerb): Promise<void> {
    setStatus(null);
    const result = await action.run(() => alertsApi.change(alert.id, verb));
    if (!result.ok) return;
    const next = result.value.changed[0] ?? result.value.unchanged[0];
    if (next) onChanged(next);
    // The button just used may be gone now: continue from the page heading rather than from nowhere.
    requestAnimationFrame(() => {
      if (!document.activeElement || document.activeElement === document.body) document.querySelector<HTMLElement>('main [data-page-title]')?.focus();
    });
    setStatus(
      result.value.changed.length
        ? `${verb === 'acknowledge' ? 'Acknowledged' : 'Resolved'} alert #${alert.number}.`
        : `Alert #${alert.number} was already ${next?.status ?? 'changed'}; nothing to do.`,
    );
  }

  const actions = (
    <>
      {live}
      {editable && alert.status === 'triggered' ? (
        <SoftButton className="button button-primary" onClick={() => change('acknowledge')} enabled={!action.pending}>
          Acknowledge
        </SoftButton>
      ) : null}
      {editable && alert.status !== 'resolved' ? (
        <SoftButton className="button" onClick={() => change('resolve')} enabled={!action.pending}>
          Resolve
        </SoftButton>
      ) : null}
    </>
  );

  return (
    <>
      <PageHeader
        title={alert.summary || `Alert #${alert.number}`}
        description={
          <span className="alert-meta">
            <span>Alert #{alert.number}</span>
            <StatusBadge status={alert.status} />
            <SeverityBadge severity={alert.severity} />
            <span>
              on <Link to={`/services/${encodeURIComponent(alert.serviceId)}`}>{alert.serviceName}</Link>
            </span>
          </span>
        }
        actions={actions}
      />
      <Message tone="success">{status}</Message>
      <Message tone="error">{action.error ? `Could not change the alert: ${errorText(action.error)}` : null}</Message>
      <Message tone="error">{refreshError ? `Could not refresh the alert: ${errorText(refreshError)}. Showing what was loaded before.` : null}</Message>

      {alert.suppressedBy ? (
        <div className="notice notice-suppressed">
          <h2 className="notice-title">Suppressed: nobody was paged</h2>
          <p>
            Held back by {describeSuppression(alert.suppressedBy, user.timeZone)}. It is recorded here but did not open an incident.
          </p>
        </div>
      ) : null}

      <section className="panel" aria-labelledby="alert-fields-heading">
        <h2 id="alert-fields-heading">Overview</h2>
        <dl className="details alert-fields">
          <div>
            <dt>Description</dt>
            <dd>{alert.description ? <p className="prewrap break">{alert.description}</p> : <span className="muted">No description</span>}</dd>
          </div>
          <Item label="Status">
            <StatusBadge status={alert.status} />
          </Item>
          <Item label="Severity">
            <SeverityBadge severity={alert.severity} />
          </Item>
          <Item label="Urgency">
            <UrgencyBadge urgency={alert.urgency} />
          </Item>
          <Item label="Count">
            <span className="cell-count">{alert.count}</span> <span className="muted small">{alert.count === 1 ? 'time' : 'times'}</span>
          </Item>
          <Item label="Service">
            <Link to={`/services/${encodeURIComponent(alert.serviceId)}`}>{alert.serviceName}</Link>
          </Item>
          <Item label="Incident">
            <IncidentSummary alert={alert} />
          </Item>
          <Item label="Sender">{alert.sender}</Item>
          <Item label="Source">{text(alert.source)}</Item>
          <Item label="Component">{text(alert.component)}</Item>
          <Item label="Group">{text(alert.group)}</Item>
          <Item label="Class">{text(alert.class)}</Item>
          <Item label="Client">
            <Client name={alert.client} url={alert.clientUrl} />
          </Item>
          <Item label="Dedup key">
            <code className="break">{alert.dedupKey}</code>
          </Item>
          {alert.groupKey ? (
            <Item label="Group key">
              <code className="break">{alert.groupKey}</code>
            </Item>
          ) : null}
          <Item label="Started">
            <Timestamp iso={alert.startedAt} now={now} timeZone={user.timeZone} />
          </Item>
          <Item label="Created">
            <Timestamp iso={alert.createdAt} now={now} timeZone={user.timeZone} />
          </Item>
          <Item label="Last seen">
            <Timestamp iso={alert.lastSeenAt} now={now} timeZone={user.timeZone} />
          </Item>
          <Item label="Acknowledged">
            <Timestamp iso={alert.acknowledgedAt} now={now} timeZone={user.timeZone} />
          </Item>
          <Item label="Resolved">
            <Timestamp iso={alert.resolvedAt} now={now} timeZone={user.timeZone} />
          </Item>
        </dl>
      </section>

      <section className="panel" aria-labelledby="alert-labels-heading">
        <h2 id="alert-labels-heading">Labels</h2>
        <Labels labels={alert.labels} />
      </section>

      <section className="panel" aria-labelledby="alert-details-heading">
        <h2 id="alert-details-heading">Custom details</h2>
        <KeyValues values={alert.details} />
      </section>

      <section className="panel" aria-labelledby="alert-links-heading">
        <h2 id="alert-links-heading">Links</h2>
        <Links alert={alert} />
      </section>

      <section className="panel" aria-labelledby="alert-log-heading">
        <div className="section-header">
          <h2 id="alert-log-heading">Event log</h2>
          <p className="muted">
            Every event received for this alert and every action taken on it, oldest first, with what Vigil decided.
            {eventCount > events.length ? ` Showing the newest ${events.length} of ${eventCount}.` : ''}
          </p>
        </div>
        <Timeline events={events} timeZone={user.timeZone} />
      </section>
    </>
  );
}

function text(value: string | null): ReactNode {
  return value ? <span className="break">{value}</span> : <span className="muted">—</span>;
}

function Client({ name, url }: { name: string | null; url: string | null }) {
  const safe = safeHttpUrl(url);
  if (!name && !url) return <span className="muted">—</span>;
  if (!safe) return <span className="break">{[name, url].filter(Boolean).join(' ')}</span>;
  return (
    <ExternalLink href={safe}>
      {name || url}
    </ExternalLink>
  );
}

function IncidentSummary({ alert }: { alert: Alert }) {
  const incident = useResource(
    (signal) => (alert.incidentId ? alertsApi.incident(alert.incidentId, signal) : Promise.resolve(null)),
    `${alert.incidentId ?? ''}:${alert.status}:${alert.lastSeenAt}`,
  );
  if (!alert.incidentId) {
    return <span className="muted">{alert.suppressedBy ? 'None: the alert was suppressed' : 'None'}</span>;
  }
  const filtered = `/alerts?status=any&incidentId=${encodeURIComponent(alert.incidentId)}`;
  if (incident.status !== 'ready' || !incident.data) {
    return (
      <span>
        {alert.incidentNumber !== null ? <Link to={`/incidents/${alert.incidentNumber}`}>#{alert.incidentNumber}</Link> : null}
        {incident.status === 'error' ? <span className="muted small"> (could not load it: {errorText(incident.error)})</span> : null}
      </span>
    );
  }
  const i = incident.data;
  return (
    <span className="incident-summary">
      <Link to={`/incidents/${i.number}`} className="break">
        #{i.number} {i.title}
      </Link>{' '}
      <StatusBadge status={i.status} />
      <br />
      <Link to={filtered} className="small">
        {i.alertCount === 1 ? 'Its 1 alert' : `All ${i.alertCount} of its alerts`}
      </Link>
    </span>
  );
}

function Labels({ labels }: { labels: Record<string, string> }) {
  const entries = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return <p className="empty-inline">No labels.</p>;
  return (
    <ul className="chips" aria-label="Labels">
      {entries.map(([name, value]) => (
        <li key={name} className="chip">
          <span className="chip-name">{name}</span>
          <span className="chip-sep" aria-hidden="true">
            =
          </span>
          <span className="visually-hidden"> is </span>
          <span className="chip-value">{value}</span>
        </li>
      ))}
    </ul>
  );
}

function KeyValues({ values }: { values: Record<string, unknown> }) {
  const entries = Object.entries(values ?? {});
  if (entries.length === 0) return <p className="empty-inline">No custom details.</p>;
  return (
    <dl className="kv">
      {entries.map(([name, value]) => (
        <div key={name} className="kv-row">
          <dt className="break">{name}</dt>
          <dd>
            <Value value={value} />
          </dd>
        </div>
      ))}
    </dl>
  );
}

function Value({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <span className="muted">null</span>;
  if (typeof value === 'string') return value === '' ? <span className="muted">(empty)</span> : <span className="prewrap break">{value}</span>;
  if (typeof value === 'number' || typeof value === 'boolean') return <code>{String(value)}</code>;
  return <pre className="code">{JSON.stringify(value, null, 2)}</pre>;
}

function Links({ alert }: { alert: Alert }) {
  const items = [
    ...alert.links.map((link) => ({ href: link.href, text: link.text || link.href })),
    ...alert.images.map((image) => ({ href: image.href || image.src, text: `Image: ${image.alt || image.src}` })),
  ];
  if (items.length === 0) return <p className="empty-inline">No links.</p>;
  return (
    <ul className="link-list">
      {items.map((item, index) => (
        <li key={index}>
          <SenderLink href={item.href} text={item.text} />
        </li>
      ))}
    </ul>
  );
}

function Timeline({ events, timeZone }: { events: AlertEvent[]; timeZone: string }) {
  if (events.length === 0) return <p className="empty-inline">Nothing logged yet.</p>;
  return (
    <ol className="timeline">
      {events.map((event) => (
        <li key={event.id} className="timeline-item" data-decision={event.decision}>
          <div className="timeline-head">
            <DecisionBadge decision={event.decision} />
            <span className="timeline-action">
              {event.action} from {event.actorName ? <strong>{event.actorName}</strong> : <strong>{event.sender}</strong>}
              {event.actorName && event.sender !== 'person' ? <span className="muted"> via {event.sender}</span> : null}
            </span>
            <DateTime iso={event.at} timeZone={timeZone} />
          </div>
          {event.reason ? <p className="timeline-reason break">{event.reason}</p> : null}
          {event.payload !== null && event.payload !== undefined ? <Payload payload={event.payload} /> : null}
        </li>
      ))}
    </ol>
  );
}

/** The raw payload, rendered only once opened (payloads can be large). */
function Payload({ payload }: { payload: unknown }) {
  const [open, setOpen] = useState(false);
  return (
    <details className="payload" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Raw payload</summary>
      {open ? <pre className="code">{JSON.stringify(payload, null, 2)}</pre> : null}
    </details>
  );
}
