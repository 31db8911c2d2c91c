// "Send alerts here": for one of the service's integration keys, the URL each sender posts to and a
// copy-paste example. Observers only see a preview of the key, so their examples carry a placeholder.
import { useId, useState } from 'react';
import type { ReactNode } from 'react';
import { Link } from '../../app/router.tsx';
import { CopyButton } from '../../app/ui.tsx';
import type { Service } from './api.ts';

const PLACEHOLDER = 'YOUR_INTEGRATION_KEY';

export function SendAlertsSection({ service }: { service: Service }) {
  const keys = service.integrationKeys;
  const [chosen, setChosen] = useState<string>('');
  const selectId = useId();
  const key = keys.find((k) => k.id === chosen) ?? keys[0];

  return (
    <section className="panel" aria-labelledby="send-alerts-heading" id="send-alerts">
      <div className="section-header">
        <h2 id="send-alerts-heading">Send alerts here</h2>
        <p className="muted">
          Point a monitoring tool at one of these endpoints. Alerts it sends show up under{' '}
          <Link to={`/alerts?serviceId=${encodeURIComponent(service.id)}`}>this service’s alerts</Link>.
        </p>
      </div>
      {!key ? (
        <p className="empty-inline">This service has no active integration key, so nothing can send alerts to it. Add a key first.</p>
      ) : (
        <>
          {keys.length > 1 ? (
            <div className="field send-key-select">
              <label htmlFor={selectId}>Integration key</label>
              <select id={selectId} value={key.id} onChange={(e) => setChosen(e.target.value)}>
                {keys.map((k) => (
                  <option key={k.id} value={k.id}>
                    {k.name}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          {key.key ? null : (
            <p className="notice">
              Only responders and admins can see the full key (this one starts and ends like <code>{key.keyPreview}</code>). The examples
              below use <code>{PLACEHOLDER}</code> in its place: ask a responder or an admin for the key.
            </p>
          )}
          <Senders origin={window.location.origin} keyValue={key.key ?? PLACEHOLDER} />
        </>
      )}
    </section>
  );
}

function Senders({ origin, keyValue }: { origin: string; keyValue: string }) {
  const k = encodeURIComponent(keyValue);
  const pagerduty = `${origin}/v2/enqueue`;
  const pagerdutyChange = `${origin}/v2/change/enqueue`;
  const alertmanager = `${origin}/integrations/alertmanager/${k}`;
  const opsgenie = `${origin}/v2/alerts`;
  const generic = `${origin}/api/v1/integrations/${k}/events`;

  return (
    <div className="senders">
      <Sender
        id="pagerduty"
        title="PagerDuty Events API v2"
        intro={
          <>
            Anything that can send PagerDuty events works: change its events host to <code>{origin}</code> and use the integration key
            as the <code>routing_key</code>. Deploys and config changes go to the change-events endpoint and never page.
          </>
        }
        endpoints={[
          { label: 'Alert events', url: pagerduty },
          { label: 'Change events', url: pagerdutyChange },
        ]}
        exampleLabel="curl"
        example={`curl -sS -X POST '${pagerduty}' \\
  -H 'Content-Type: application/json' \\
  -d '{
    "routing_key": "${keyValue}",
    "event_action": "trigger",
    "dedup_key": "disk-full/db-1",
    "payload": {
      "summary": "Disk 95% full on db-1",
      "source": "db-1",
      "severity": "critical"
    }
  }'

# When it recovers, send the same dedup_key with "event_action": "resolve".`}
      />
      <Sender
        id="alertmanager"
        title="Prometheus Alertmanager"
        intro={
          <>
            Add a webhook receiver to <code>alertmanager.yml</code> and route alerts to it. Each alert is deduplicated by its fingerprint,
            and <code>send_resolved</code> resolves it here too.
          </>
        }
        endpoints={[{ label: 'Webhook URL', url: alertmanager }]}
        exampleLabel="alertmanager.yml"
        example={`route:
  receiver: vigil

receivers:
  - name: vigil
    webhook_configs:
      - url: '${alertmanager}'
        send_resolved: true`}
      />
      <Sender
        id="opsgenie"
        title="Opsgenie Alert API"
        intro={
          <>
            Tools that create Opsgenie alerts can post here instead, with the integration key in the header{' '}
            <code>Authorization: GenieKey …</code>. A repeated <code>alias</code> counts up the open alert.
          </>
        }
        endpoints={[{ label: 'Create alert', url: opsgenie }]}
        exampleLabel="curl"
        example={`curl -sS -X POST '${opsgenie}' \\
  -H 'Authorization: GenieKey ${keyValue}' \\
  -H 'Content-Type: application/json' \\
  -d '{
    "message": "Disk 95% full on db-1",
    "alias": "disk-full/db-1",
    "priority": "P1",
    "source": "db-1"
  }'`}
      />
      <Sender
        id="generic"
        title="Generic JSON"
        intro={
          <>
            Vigil’s own format, for scripts: <code>title</code>, <code>status</code> (<code>firing</code> or <code>resolved</code>),{' '}
            <code>dedup_key</code>, <code>severity</code>, <code>description</code>, <code>details</code>, <code>links</code> and{' '}
            <code>source_url</code>.
          </>
        }
        endpoints={[{ label: 'Events URL', url: generic }]}
        exampleLabel="curl"
        example={`curl -sS -X POST '${generic}' \\
  -H 'Content-Type: application/json' \\
  -d '{"title": "Nightly backup failed", "dedup_key": "backup/orders-db", "severity": "critical"}'

# When it recovers:
curl -sS -X POST '${generic}' \\
  -H 'Content-Type: application/json' \\
  -d '{"status": "resolved", "dedup_key": "backup/orders-db"}'`}
      />
      <section className="sender" aria-labelledby="sender-heartbeats">
        <h3 id="sender-heartbeats">Heartbeats</h3>
        <p className="muted">
          For jobs that should check in regularly (a nightly backup, a cron job): each heartbeat has its own key, and Vigil opens an alert
          when its pings stop. The job requests <code className="break">{`${origin}/api/v1/heartbeats/<heartbeat key>`}</code>.
        </p>
      </section>
    </div>
  );
}

function Sender({
  id,
  title,
  intro,
  endpoints,
  exampleLabel,
  example,
}: {
  id: string;
  title: string;
  intro: ReactNode;
  endpoints: { label: string; url: string }[];
  exampleLabel: string;
  example: string;
}) {
  const headingId = `sender-${id}`;
  return (
    <section className="sender" aria-labelledby={headingId} data-sender={id}>
      <h3 id={headingId}>{title}</h3>
      <p className="muted">{intro}</p>
      <dl className="endpoints">
        {endpoints.map((endpoint) => (
          <div key={endpoint.label} className="endpoint">
            <dt>{endpoint.label}</dt>
            <dd>
              <code className="secret endpoint-url">{endpoint.url}</code>
              <CopyButton value={endpoint.url} label="Copy URL" ariaLabel={`Copy the ${title} ${endpoint.label.toLowerCase()} URL`} />
            </dd>
          </div>
        ))}
      </dl>
      <details className="example">
        <summary>
          Example: {exampleLabel}
          <span className="visually-hidden"> for {title}</span>
        </summary>
        <pre className="code">
          <code>{example}</code>
        </pre>
        <CopyButton value={example} label="Copy example" ariaLabel={`Copy the ${title} example`} />
      </details>
    </section>
  );
}
