// One incident: its status, urgency, service and times, the alerts grouped into it, and the service's
// recent changes (deploys sent as PagerDuty change events), live over the alerts stream, and for
// responders the actions (acknowledge, resolve, escalate, reassign). Everything senders sent is rendered as text.
import { useState } from 'react';
import type { ReactNode } from 'react';
import { useCurrentUser } from '../../app/auth.tsx';
import { useLiveResource } from '../../app/hooks.ts';
import { Link } from '../../app/router.tsx';
import { DateTime, LoadError, Loading, Message, PageHeader, errorText } from '../../app/ui.tsx';
import type { Alert, AlertStatus } from '../alerts/api.ts';
import { STATUS_LABEL, StatusBadge, UrgencyBadge, useNow } from '../alerts/format.tsx';
import { LiveIndicator, useAlertStream } from '../alerts/live.tsx';
import { AlertTable, Item, SenderLink, Timestamp } from '../alerts/parts.tsx';
import { IncidentActions } from './IncidentActions.tsx';
import { PagingSection } from './PagingSection.tsx';
import { RECENT_CHANGES_HOURS, incidentsApi } from './api.ts';
import type { ChangeEvent, Incident, IncidentDetail } from './api.ts';

/** Loads the incident; refresh() refetches without blanking the page, keeping the last good copy on failure. */
function useIncident(ref: string) {
  return useLiveResource<IncidentDetail>((signal) => incidentsApi.get(ref, signal), ref);
}

export function IncidentDetailPage({ number }: { number: string }) {
  const { state, refresh, retry, refreshError } = useIncident(number);
  const live = useAlertStream(refresh);
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/incidents">Incidents</Link>
      </nav>
      {state.status === 'loading' ? (
        <>
          <PageHeader title={`Incident #${number}`} />
          <Loading label="Loading incident…" />
        </>
      ) : null}
      {state.status === 'error' ? (
        <>
          <PageHeader title={`Incident #${number}`} />
          <LoadError error={state.error} what="incident" onRetry={retry} />
        </>
      ) : null}
      {state.status === 'ready' ? <IncidentView data={state.data} live={<LiveIndicator state={live} />} refreshError={refreshError} onChanged={refresh} /> : null}
    </>
  );
}

function IncidentView({ data, live, refreshError, onChanged }: { data: IncidentDetail; live: ReactNode; refreshError: unknown; onChanged: () => void }) {
  const { incident, alerts, recentChanges } = data;
  const user = useCurrentUser();
  const now = useNow();
  const serviceLink = <Link to={`/services/${encodeURIComponent(incident.serviceId)}`}>{incident.serviceName}</Link>;
  const allAlerts = `/alerts?status=any&incidentId=${encodeURIComponent(incident.id)}`;
  // An action may change only the escalation (escalate now), not the incident: count actions so the Paging section refetches too.
  const [actions, setActions] = useState(0);
  const changed = () => {
    setActions((n) => n + 1);
    onChanged();
  };

  return (
    <>
      <PageHeader
        title={incident.title || `Incident #${incident.number}`}
        description={
          <span className="alert-meta">
            <span>Incident #{incident.number}</span>
            <StatusBadge status={incident.status} />
            <UrgencyBadge urgency={incident.urgency} />
            <span>on {serviceLink}</span>
          </span>
        }
        actions={live}
      />
      <Message tone="error">{refreshError ? `Could not refresh the incident: ${errorText(refreshError)}. Showing what was loaded before.` : null}</Message>
      <IncidentActions incident={incident} onChanged={changed} />

      <section className="panel" aria-labelledby="incident-overview-heading">
        <h2 id="incident-overview-heading">Overview</h2>
        <dl className="details alert-fields">
          <Item label="Alerts">
            <AlertTally incident={incident} alerts={alerts} />
          </Item>
          <Item label="Status">
            <StatusBadge status={incident.status} />
          </Item>
          <Item label="Urgency">
            <UrgencyBadge urgency={incident.urgency} />
          </Item>
          <Item label="Service">{serviceLink}</Item>
          <Item label="Opened">
            <Timestamp iso={incident.createdAt} now={now} timeZone={user.timeZone} />
          </Item>
          <Item label="Acknowledged">
            <Timestamp iso={incident.acknowledgedAt} now={now} timeZone={user.timeZone} />
          </Item>
          <Item label="Resolved">
            <Timestamp iso={incident.resolvedAt} now={now} timeZone={user.timeZone} />
          </Item>
          <Item label="Last change">
            <Timestamp iso={incident.updatedAt} now={now} timeZone={user.timeZone} />
          </Item>
        </dl>
      </section>

      <section className="panel" aria-labelledby="incident-alerts-heading">
        <div className="section-header">
          <h2 id="incident-alerts-heading">Alerts</h2>
          <p className="muted">
            The alerts grouped into this incident, newest first. It resolves when all of them are resolved. To acknowledge or resolve
            some of them only, open one, or use <Link to={allAlerts}>the Alerts list filtered to this incident</Link>.
            {incident.alertCount > alerts.length ? ` Showing the newest ${alerts.length} of ${incident.alertCount}.` : ''}
          </p>
        </div>
        {alerts.length === 0 ? (
          <p className="empty-inline">No alerts to show.</p>
        ) : (
          <AlertTable caption="The incident’s alerts, newest first" alerts={alerts} now={now} timeZone={user.timeZone} showService={false} />
        )}
      </section>

      <PagingSection incidentId={incident.id} version={`${incident.status}:${incident.updatedAt}:${actions}`} timeZone={user.timeZone} />
      <RecentChanges incident={incident} changes={recentChanges} timeZone={user.timeZone} />
    </>
  );
}

const ORDER: readonly AlertStatus[] = ['triggered', 'acknowledged', 'resolved'];

/** "2 alerts: 1 triggered, 1 acknowledged". */
function AlertTally({ incident, alerts }: { incident: Incident; alerts: Alert[] }) {
  const counts = new Map<AlertStatus, number>();
  for (const alert of alerts) counts.set(alert.status, (counts.get(alert.status) ?? 0) + 1);
  const parts = ORDER.filter((s) => counts.has(s)).map((s) => `${counts.get(s)} ${STATUS_LABEL[s].toLowerCase()}`);
  const shownAll = alerts.length >= incident.alertCount;
  return (
    <span>
      <span className="cell-count">{incident.alertCount}</span> {incident.alertCount === 1 ? 'alert' : 'alerts'}
      {parts.length ? (
        <span className="muted">
          : {parts.join(', ')}
          {shownAll ? '' : ` (of the newest ${alerts.length})`}
        </span>
      ) : null}
    </span>
  );
}

/** "12 minutes before it opened", "3 hours after it opened", "as it opened". */
function offsetFromOpening(happenedAt: string, openedAt: string): string {
  const ms = new Date(happenedAt).getTime() - new Date(openedAt).getTime();
  if (Number.isNaN(ms)) return '';
  const minutes = Math.round(Math.abs(ms) / 60_000);
  if (minutes === 0) return 'as it opened';
  const amount =
    minutes < 60
      ? `${minutes} minute${minutes === 1 ? '' : 's'}`
      : minutes < 48 * 60
        ? `${Math.round(minutes / 60)} hour${Math.round(minutes / 60) === 1 ? '' : 's'}`
        : `${Math.round(minutes / 1440)} days`;
  return `${amount} ${ms < 0 ? 'before' : 'after'} it opened`;
}

function RecentChanges({ incident, changes, timeZone }: { incident: Incident; changes: ChangeEvent[]; timeZone: string }) {
  const until = incident.resolvedAt ? 'until it was resolved' : 'until now';
  return (
    <section className="panel" aria-labelledby="incident-changes-heading">
      <div className="section-header">
        <h2 id="incident-changes-heading">Recent changes</h2>
        <p className="muted">
          Deploys and other changes to {incident.serviceName} from {RECENT_CHANGES_HOURS} hours before this incident opened {until}, newest
          first. A change just before an incident is often its cause.
        </p>
      </div>
      {changes.length === 0 ? (
        <NoChanges incident={incident} />
      ) : (
        <ol className="timeline change-list" aria-label="Change events, newest first">
          {changes.map((change) => (
            <li key={change.id} className="timeline-item" data-change-id={change.id}>
              <div className="timeline-head">
                <strong className="break">{change.summary}</strong>
                <DateTime iso={change.happenedAt} timeZone={timeZone} />
              </div>
              <p className="timeline-reason">
                {offsetFromOpening(change.happenedAt, incident.createdAt)}
                {change.source ? (
                  <>
                    {' · from '}
                    <span className="break">{change.source}</span>
                  </>
                ) : null}
              </p>
              <ChangeLinks change={change} />
              {Object.keys(change.details ?? {}).length ? (
                <details className="payload">
                  <summary>Details</summary>
                  <pre className="code">{JSON.stringify(change.details, null, 2)}</pre>
                </details>
              ) : null}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function ChangeLinks({ change }: { change: ChangeEvent }) {
  if (change.links.length === 0) return null;
  return (
    <ul className="link-list" aria-label={`Links for ${change.summary}`}>
      {change.links.map((link, index) => (
        <li key={index}>
          <SenderLink href={link.href} text={link.text || link.href} />
        </li>
      ))}
    </ul>
  );
}

/** The empty state: how to send change events, so the next incident shows what changed before it. */
function NoChanges({ incident }: { incident: Incident }) {
  const url = `${window.location.origin}/v2/change/enqueue`;
  const example = `curl -sS -X POST '${url}' \\
  -H 'Content-Type: application/json' \\
  -d '{
    "routing_key": "YOUR_INTEGRATION_KEY",
    "payload": {
      "summary": "Deployed payments-api v2.14.0",
      "source": "ci/deploy-prod",
      "timestamp": "${new Date().toISOString()}",
      "custom_details": { "commit": "4f1c2a9" }
    },
    "links": [{ "href": "https://github.com/acme/payments-api/releases/v2.14.0", "text": "Release notes" }]
  }'`;
  return (
    <div className="change-empty">
      <p className="empty-inline">No changes were recorded for {incident.serviceName} in that time.</p>
      <p>
        Have your deploy pipeline send a PagerDuty change event to <code className="break">POST /v2/change/enqueue</code> with one of the{' '}
        <Link to={`/services/${encodeURIComponent(incident.serviceId)}#send-alerts`}>service’s integration keys</Link> as the{' '}
        <code>routing_key</code>. Change events never page anyone; they show up here on the incidents that follow them.
      </p>
      <details className="example">
        <summary>
          Example: curl<span className="visually-hidden"> request that sends a change event</span>
        </summary>
        <pre className="code">
          <code>{example}</code>
        </pre>
      </details>
    </div>
  );
}
