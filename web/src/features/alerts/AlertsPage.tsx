// The Alerts list: filters in the URL, newest first, "Load more", bulk acknowledge/resolve, live.
import { useEffect, useId, useMemo, useState } from 'react';
import { canEdit, useCurrentUser } from '../../app/auth.tsx';
import { useAction, useResource } from '../../app/hooks.ts';
import { Link, navigate, useSearch } from '../../app/router.tsx';
import { LoadError, Loading, Message, PageHeader, errorText } from '../../app/ui.tsx';
import { servicesApi } from '../services/api.ts';
import { MAX_BULK, SEVERITIES, STATUSES, alertsApi } from './api.ts';
import type { AlertQuery, AlertStatus, AlertVerb, Severity } from './api.ts';
import { OPEN, parseFilters, toApiQuery, toSearch } from './filters.ts';
import { SEVERITY_LABEL, STATUS_LABEL, useNow } from './format.tsx';
import { AlertTable, FilterSelect, LoadMore, plural, useLoadMore } from './parts.tsx';
import { LiveIndicator, useAlertStream } from './live.tsx';
import { SoftButton } from './SoftButton.tsx';
import { useAlertList } from './useAlertList.ts';

export function AlertsPage() {
  const user = useCurrentUser();
  const editable = canEdit(user);
  const search = useSearch();
  const filters = useMemo(() => parseFilters(search), [search]);
  const key = toSearch(filters);
  const apiQuery = useMemo(() => toApiQuery(filters), [filters]);
  const { list, refresh, retry, refreshError, loadMore, loadingMore, moreError } = useAlertList(apiQuery, key);
  const live = useAlertStream(refresh);
  const now = useNow();
  const [selected, setSelected] = useState<ReadonlySet<string>>(() => new Set());
  const [status, setStatus] = useState<string | null>(null);
  const bulk = useAction();

  // A new view starts with nothing selected and no leftover messages.
  useEffect(() => {
    setSelected(new Set());
    setStatus(null);
    bulk.reset();
  }, [key, bulk.reset]);

  const alerts = list.status === 'ready' ? list.items : [];
  // Forget selections of alerts that are no longer shown (a live refresh may drop them).
  useEffect(() => {
    setSelected((prev) => {
      if (prev.size === 0) return prev;
      const shown = new Set(alerts.map((a) => a.id));
      const kept = [...prev].filter((id) => shown.has(id));
      return kept.length === prev.size ? prev : new Set(kept);
    });
  }, [alerts]);

  function applyFilters(next: AlertQuery): void {
    navigate(`/alerts${toSearch(next)}`, { replace: true });
  }

  const selectedAlerts = alerts.filter((a) => selected.has(a.id));
  const canAck = selectedAlerts.some((a) => a.status === 'triggered');
  const canResolve = selectedAlerts.some((a) => a.status !== 'resolved');

  async function runBulk(verb: AlertVerb): Promise<void> {
    setStatus(null);
    const ids = selectedAlerts.map((a) => a.id);
    if (ids.length === 0) return;
    const result = await bulk.run(async () => {
      let changed = 0;
      let unchanged = 0;
      for (let i = 0; i < ids.length; i += MAX_BULK) {
        const answer = await alertsApi.changeMany(ids.slice(i, i + MAX_BULK), verb);
        changed += answer.changed.length;
        unchanged += answer.unchanged.length;
      }
      return { changed, unchanged };
    });
    if (!result.ok) return;
    const { changed, unchanged } = result.value;
    const done = verb === 'acknowledge' ? 'Acknowledged' : 'Resolved';
    const parts = [`${done} ${plural(changed, 'alert')}.`];
    if (unchanged) {
      parts.push(`${plural(unchanged, 'alert')} ${unchanged === 1 ? 'was' : 'were'} already ${verb === 'acknowledge' ? 'acknowledged or resolved' : 'resolved'} and left as ${unchanged === 1 ? 'it was' : 'they were'}.`);
    }
    setStatus(parts.join(' '));
    setSelected(new Set());
    refresh();
  }

  const { tableRef, handleLoadMore } = useLoadMore(loadMore, alerts.length);

  const isDefault = key === '';

  return (
    <>
      <PageHeader
        title="Alerts"
        description="What monitoring tools sent to your services, newest first. Repeats of an open alert count up instead of opening another."
        actions={<LiveIndicator state={live} />}
      />
      <Filters filters={filters} onChange={applyFilters} />

      <Message tone="success">{status}</Message>
      <Message tone="error">{bulk.error ? `Could not change the alerts: ${errorText(bulk.error)}` : null}</Message>
      <Message tone="error">{refreshError ? `Could not refresh the list: ${errorText(refreshError)}. Showing what was loaded before.` : null}</Message>

      {list.status === 'loading' ? <Loading label="Loading alerts…" /> : null}
      {list.status === 'error' ? <LoadError error={list.error} what="alerts" onRetry={retry} /> : null}
      {list.status === 'ready' && alerts.length === 0 ? (
        <section className="panel panel-empty" aria-labelledby="no-alerts-heading">
          <h2 id="no-alerts-heading">{isDefault ? 'No open alerts' : 'No alerts match these filters'}</h2>
          {isDefault ? (
            <p>
              All quiet. Alerts arrive when a monitoring tool posts to a service’s integration key; each{' '}
              <Link to="/services">service’s page</Link> shows how to send them.
            </p>
          ) : (
            <p>
              <Link to="/alerts">Show all open alerts</Link>
            </p>
          )}
        </section>
      ) : null}
      {list.status === 'ready' && alerts.length > 0 ? (
        <>
          {editable ? (
            <BulkBar
              count={selectedAlerts.length}
              pending={bulk.pending}
              canAck={canAck}
              canResolve={canResolve}
              onAck={() => runBulk('acknowledge')}
              onResolve={() => runBulk('resolve')}
              onClear={() => setSelected(new Set())}
            />
          ) : null}
          <AlertTable
            wrapRef={tableRef}
            caption="Alerts, newest first"
            alerts={alerts}
            now={now}
            timeZone={user.timeZone}
            selection={
              editable
                ? {
                    selected,
                    onSelect: (ids, on) =>
                      setSelected((prev) => {
                        const next = new Set(prev);
                        for (const id of ids) {
                          if (on) next.add(id);
                          else next.delete(id);
                        }
                        return next;
                      }),
                  }
                : undefined
            }
          />
          <LoadMore
            noun="alert"
            shown={alerts.length}
            hasMore={Boolean(list.nextCursor)}
            pending={loadingMore}
            error={moreError}
            onLoadMore={handleLoadMore}
          />
        </>
      ) : null}
    </>
  );
}

function Filters({ filters, onChange }: { filters: AlertQuery; onChange: (next: AlertQuery) => void }) {
  const services = useResource((signal) => servicesApi.list(signal), 'services');
  const incident = useResource(
    (signal) => (filters.incidentId ? alertsApi.incident(filters.incidentId, signal) : Promise.resolve(null)),
    `incident:${filters.incidentId}`,
  );
  const statusHint = useId();
  const set = (patch: Partial<AlertQuery>) => onChange({ ...filters, ...patch });
  const serviceList = services.status === 'ready' ? [...services.data].sort((a, b) => a.name.localeCompare(b.name)) : [];
  const isDefault = toSearch(filters) === '';

  function toggleStatus(status: AlertStatus, on: boolean): void {
    const next = on ? [...filters.status, status] : filters.status.filter((s) => s !== status);
    set({ status: STATUSES.filter((s) => next.includes(s)) });
  }

  return (
    <form className="panel filters" role="search" aria-label="Filter alerts" onSubmit={(e) => e.preventDefault()}>
      <fieldset className="filter-status" aria-describedby={statusHint}>
        <legend>Status</legend>
        <div className="checks">
          {STATUSES.map((s) => (
            <label key={s} className="check">
              <input type="checkbox" name="status" value={s} checked={filters.status.includes(s)} onChange={(e) => toggleStatus(s, e.target.checked)} />
              {STATUS_LABEL[s]}
            </label>
          ))}
        </div>
        <p className="field-hint" id={statusHint}>
          {filters.status.length === 0 ? 'None ticked: every status is shown.' : sameSet(filters.status, OPEN) ? 'Open alerts (the default).' : null}
        </p>
      </fieldset>
      <FilterSelect
        label="Severity"
        value={filters.severity.length === 1 ? filters.severity[0]! : filters.severity.length ? filters.severity.join(',') : ''}
        onChange={(value) => set({ severity: value ? (value.split(',') as Severity[]) : [] })}
      >
        <option value="">Any severity</option>
        {SEVERITIES.map((s) => (
          <option key={s} value={s}>
            {SEVERITY_LABEL[s]}
          </option>
        ))}
        {filters.severity.length > 1 ? <option value={filters.severity.join(',')}>{filters.severity.map((s) => SEVERITY_LABEL[s]).join(' or ')}</option> : null}
      </FilterSelect>
      <FilterSelect label="Service" value={filters.serviceId} onChange={(value) => set({ serviceId: value })}>
        <option value="">Any service</option>
        {serviceList.map((service) => (
          <option key={service.id} value={service.id}>
            {service.name}
          </option>
        ))}
        {filters.serviceId && !serviceList.some((s) => s.id === filters.serviceId) ? (
          <option value={filters.serviceId}>{services.status === 'loading' ? 'Loading…' : 'Unknown service'}</option>
        ) : null}
      </FilterSelect>
      <FilterSelect
        label="Suppressed"
        value={filters.suppressed === null ? '' : String(filters.suppressed)}
        onChange={(value) => set({ suppressed: value === 'true' ? true : value === 'false' ? false : null })}
      >
        <option value="">All</option>
        <option value="true">Yes: only suppressed</option>
        <option value="false">No: only alerts that paged</option>
      </FilterSelect>
      {filters.incidentId ? (
        <div className="filter-chip">
          <span className="filter-chip-label">Incident</span>
          <span className="chip">
            {incident.status === 'ready' && incident.data ? `#${incident.data.number} ${incident.data.title}` : 'one incident'}
          </span>
          <button type="button" className="button button-small" onClick={() => set({ incidentId: '' })}>
            Show every incident’s alerts
          </button>
        </div>
      ) : null}
      {!isDefault ? (
        <div className="filters-reset">
          <Link to="/alerts" className="button button-small button-quiet">
            Reset filters
          </Link>
        </div>
      ) : null}
    </form>
  );
}

function sameSet<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

function BulkBar({
  count,
  pending,
  canAck,
  canResolve,
  onAck,
  onResolve,
  onClear,
}: {
  count: number;
  pending: boolean;
  canAck: boolean;
  canResolve: boolean;
  onAck: () => void;
  onResolve: () => void;
  onClear: () => void;
}) {
  return (
    <div className="bulk-bar" role="group" aria-label="Selected alerts">
      <span className="bulk-count" aria-live="polite">
        {count === 0 ? 'Tick alerts to acknowledge or resolve several at once.' : `${plural(count, 'alert')} selected`}
      </span>
      <div className="bulk-actions">
        <SoftButton className="button button-small" onClick={onAck} enabled={!pending && canAck}>
          {pending ? 'Working…' : 'Acknowledge'}
          <span className="visually-hidden"> selected alerts</span>
        </SoftButton>
        <SoftButton className="button button-small" onClick={onResolve} enabled={!pending && canResolve}>
          {pending ? 'Working…' : 'Resolve'}
          <span className="visually-hidden"> selected alerts</span>
        </SoftButton>
        {count > 0 ? (
          <button type="button" className="button button-small button-quiet" onClick={onClear} disabled={pending}>
            Clear selection
          </button>
        ) : null}
      </div>
    </div>
  );
}
