// Noise control: maintenance windows, silences and event rules across all services.
import { useState } from 'react';
import { canEdit, useCurrentUser } from '../../app/auth.tsx';
import { useConfirm } from '../../app/confirm.tsx';
import { useAction, useResource } from '../../app/hooks.ts';
import { Link } from '../../app/router.tsx';
import { LoadError, Loading, Message, PageHeader, errorText } from '../../app/ui.tsx';
import { useNow } from '../alerts/format.tsx';
import { servicesApi } from '../services/api.ts';
import type { Service } from '../services/api.ts';
import { noiseApi } from './api.ts';
import type { EventRule } from './api.ts';
import { MatcherChips, describeActions } from './format.tsx';
import { EventRuleForm } from './EventRuleForm.tsx';
import { MaintenanceWindowForm } from './MaintenanceWindowForm.tsx';
import { SilenceForm } from './SilenceForm.tsx';
import { MaintenanceWindowTable, RowButton, SilenceTable } from './tables.tsx';
import { useDisclosure } from './useDisclosure.ts';

export function NoisePage() {
  const services = useResource((signal) => servicesApi.list(signal), 'services');
  const list = services.status === 'ready' ? [...services.data].sort((a, b) => a.name.localeCompare(b.name)) : [];
  return (
    <>
      <PageHeader
        title="Noise control"
        description="Maintenance windows and silences hold back new alerts so nobody is paged; event rules drop, route, re-rate or suppress events as they arrive. Suppressed alerts are still recorded, with the reason."
      />
      <nav aria-label="Noise control sections" className="subnav">
        <ul>
          <li>
            <a href="#maintenance">Maintenance windows</a>
          </li>
          <li>
            <a href="#silences">Silences</a>
          </li>
          <li>
            <a href="#event-rules">Event rules</a>
          </li>
        </ul>
      </nav>
      {services.status === 'error' ? <LoadError error={services.error} what="services" onRetry={services.reload} /> : null}
      <MaintenanceSection services={list} />
      <SilencesSection services={list} />
      <EventRulesSection services={list} />
    </>
  );
}

function MaintenanceSection({ services }: { services: Service[] }) {
  const user = useCurrentUser();
  const editable = canEdit(user);
  const now = useNow();
  const windows = useResource((signal) => noiseApi.windows({}, signal), 'maintenance-windows');
  const create = useDisclosure();
  const [status, setStatus] = useState<string | null>(null);

  return (
    <section className="panel" id="maintenance" aria-labelledby="maintenance-heading">
      <div className="section-header section-header-actions">
        <div>
          <h2 id="maintenance-heading">Maintenance windows</h2>
          <p className="muted">While a service's window is active, its new alerts are recorded as suppressed and page nobody.</p>
        </div>
        {editable && !create.open ? (
          <button ref={create.button} type="button" className="button button-primary" onClick={() => { setStatus(null); create.show(); }}>
            New maintenance window
          </button>
        ) : null}
      </div>
      <Message tone="success">{status}</Message>
      {editable && create.open ? (
        <div ref={create.panel} className="subpanel" role="region" aria-labelledby="new-window-heading">
          <h3 id="new-window-heading">New maintenance window</h3>
          <MaintenanceWindowForm
            services={services}
            onCreated={(w) => {
              setStatus(`Scheduled maintenance window “${w.description}” for ${w.serviceName}.`);
              windows.reload();
              create.close();
            }}
            onCancel={create.close}
          />
        </div>
      ) : null}
      {windows.status === 'loading' ? <Loading label="Loading maintenance windows…" /> : null}
      {windows.status === 'error' ? <LoadError error={windows.error} what="maintenance windows" onRetry={windows.reload} /> : null}
      {windows.status === 'ready' && windows.data.length === 0 ? <p className="empty-inline">No maintenance windows yet.</p> : null}
      {windows.status === 'ready' && windows.data.length > 0 ? (
        <MaintenanceWindowTable
          windows={windows.data}
          now={now}
          editable={editable}
          caption="Maintenance windows: active and upcoming first, then past ones"
          onChanged={() => {
            setStatus(null);
            windows.reload();
          }}
        />
      ) : null}
    </section>
  );
}

function SilencesSection({ services }: { services: Service[] }) {
  const user = useCurrentUser();
  const editable = canEdit(user);
  const now = useNow();
  const silences = useResource((signal) => noiseApi.silences(signal), 'silences');
  const create = useDisclosure();
  const [status, setStatus] = useState<string | null>(null);

  return (
    <section className="panel" id="silences" aria-labelledby="silences-heading">
      <div className="section-header section-header-actions">
        <div>
          <h2 id="silences-heading">Silences</h2>
          <p className="muted">A silence holds back new alerts whose labels match all of its matchers, on one service or on all of them.</p>
        </div>
        {editable && !create.open ? (
          <button ref={create.button} type="button" className="button button-primary" onClick={() => { setStatus(null); create.show(); }}>
            New silence
          </button>
        ) : null}
      </div>
      <Message tone="success">{status}</Message>
      {editable && create.open ? (
        <div ref={create.panel} className="subpanel" role="region" aria-labelledby="new-silence-heading">
          <h3 id="new-silence-heading">New silence</h3>
          <SilenceForm
            services={services}
            onCreated={(s) => {
              setStatus(`Created silence “${s.comment}”.`);
              silences.reload();
              create.close();
            }}
            onCancel={create.close}
          />
        </div>
      ) : null}
      {silences.status === 'loading' ? <Loading label="Loading silences…" /> : null}
      {silences.status === 'error' ? <LoadError error={silences.error} what="silences" onRetry={silences.reload} /> : null}
      {silences.status === 'ready' && silences.data.length === 0 ? <p className="empty-inline">No silences yet.</p> : null}
      {silences.status === 'ready' && silences.data.length > 0 ? (
        <SilenceTable
          silences={silences.data}
          now={now}
          editable={editable}
          caption="Silences: active first, then pending, then expired"
          onChanged={() => {
            setStatus(null);
            silences.reload();
          }}
        />
      ) : null}
    </section>
  );
}

function EventRulesSection({ services }: { services: Service[] }) {
  const user = useCurrentUser();
  const editable = canEdit(user);
  const confirm = useConfirm();
  const rules = useResource((signal) => noiseApi.eventRules(signal), 'event-rules');
  const action = useAction();
  const [status, setStatus] = useState<string | null>(null);
  const create = useDisclosure();
  const names = new Map(services.map((s) => [s.id, s.name]));
  const serviceName = (id: string) => names.get(id) ?? 'another service';
  /** Global rules see every service's events: only admins change them. */
  const mayDelete = (rule: EventRule) => editable && (rule.serviceId !== null || user.role === 'admin');

  async function remove(rule: EventRule): Promise<void> {
    setStatus(null);
    const ok = await confirm({
      title: `Delete event rule “${rule.name}”?`,
      body: <p>Events that arrive from now on are no longer checked against it. The rules after it move up one place.</p>,
      confirmLabel: 'Delete rule',
      danger: true,
    });
    if (!ok) return;
    const result = await action.run(() => noiseApi.deleteEventRule(rule.id));
    if (result.ok) {
      rules.setData((prev) => prev.filter((r) => r.id !== rule.id));
      setStatus(`Deleted event rule “${rule.name}”.`);
      rules.reload();
    }
  }

  return (
    <section className="panel" id="event-rules" aria-labelledby="event-rules-heading">
      <div className="section-header section-header-actions">
        <div>
          <h2 id="event-rules-heading">Event rules</h2>
          <p className="muted">
            In the order they run: global rules first, then the rules of the service the event reached. The first enabled rule that
            matches applies. Editing and reordering rules is done over the API (<code>/api/docs</code>, tag <code>noise</code>).
          </p>
        </div>
        {editable && !create.open ? (
          <button
            ref={create.button}
            type="button"
            className="button button-primary"
            onClick={() => {
              setStatus(null);
              create.show();
            }}
          >
            New event rule
          </button>
        ) : null}
      </div>
      <Message tone="success">{status}</Message>
      {editable && create.open ? (
        <div ref={create.panel} className="subpanel" role="region" aria-labelledby="new-rule-heading">
          <h3 id="new-rule-heading">New event rule</h3>
          <EventRuleForm
            services={services}
            onCreated={(rule) => {
              setStatus(`Added event rule “${rule.name}”.`);
              rules.reload();
              create.close();
            }}
            onCancel={create.close}
          />
        </div>
      ) : null}
      <Message tone="error">{action.error ? `Could not delete the rule: ${errorText(action.error)}` : null}</Message>
      {rules.status === 'loading' ? <Loading label="Loading event rules…" /> : null}
      {rules.status === 'error' ? <LoadError error={rules.error} what="event rules" onRetry={rules.reload} /> : null}
      {rules.status === 'ready' && rules.data.length === 0 ? <p className="empty-inline">No event rules: every event goes straight to its service.</p> : null}
      {rules.status === 'ready' && rules.data.length > 0 ? (
        <div className="table-wrap">
          <table className="table table-stack noise-table">
            <caption className="visually-hidden">Event rules in evaluation order</caption>
            <thead>
              <tr>
                <th scope="col">Scope</th>
                <th scope="col" className="numeric">
                  Order
                </th>
                <th scope="col">Name</th>
                <th scope="col">Matchers</th>
                <th scope="col">Actions</th>
                <th scope="col">Enabled</th>
                {editable ? (
                  <th scope="col">
                    <span className="visually-hidden">Delete</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {rules.data.map((rule) => (
                <tr key={rule.id} data-rule-id={rule.id} className={rule.enabled ? undefined : 'row-disabled'}>
                  <td data-label="Scope">
                    {rule.serviceId ? <Link to={`/services/${encodeURIComponent(rule.serviceId)}`}>{rule.serviceName ?? serviceName(rule.serviceId)}</Link> : <strong>Global</strong>}
                  </td>
                  <td data-label="Order" className="numeric">
                    {rule.position}
                  </td>
                  <th scope="row" data-label="Name" className="break">
                    {rule.name}
                  </th>
                  <td data-label="Matchers">
                    <MatcherChips matchers={rule.matchers} label={`Matchers of “${rule.name}”`} />
                  </td>
                  <td data-label="Actions">{describeActions(rule.actions, serviceName)}</td>
                  <td data-label="Enabled">{rule.enabled ? 'Yes' : <span className="muted">No (skipped)</span>}</td>
                  {editable ? (
                    <td className="row-actions">
                      {mayDelete(rule) ? (
                        <RowButton className="button button-small button-danger-quiet" enabled={!action.pending} onClick={() => void remove(rule)} label={`Delete: ${rule.name}`}>
                          Delete
                        </RowButton>
                      ) : (
                        <span className="muted small">Admins only</span>
                      )}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
