// The Incidents list: what alert ingestion opened, newest first. Open or all (in the URL), one
// service or every one, "Load more", live over the alerts stream (incidents change when alerts do).
import { useId, useMemo } from 'react';
import type { RefObject } from 'react';
import { useCurrentUser } from '../../app/auth.tsx';
import { useResource } from '../../app/hooks.ts';
import { Link, navigate, useSearch } from '../../app/router.tsx';
import { LoadError, Loading, Message, PageHeader, errorText } from '../../app/ui.tsx';
import { RelativeTime, StatusBadge, UrgencyBadge, useNow } from '../alerts/format.tsx';
import { LiveIndicator, useAlertStream } from '../alerts/live.tsx';
import { FilterSelect, LoadMore, useLoadMore } from '../alerts/parts.tsx';
import { servicesApi } from '../services/api.ts';
import type { Incident } from './api.ts';
import { parseFilters, toApiQuery, toSearch } from './filters.ts';
import type { IncidentFilters } from './filters.ts';
import { useIncidentList } from './useIncidentList.ts';

export function IncidentsPage() {
  const user = useCurrentUser();
  const search = useSearch();
  const filters = useMemo(() => parseFilters(search), [search]);
  const key = toSearch(filters);
  const apiQuery = useMemo(() => toApiQuery(filters), [filters]);
  const { list, refresh, retry, refreshError, loadMore, loadingMore, moreError } = useIncidentList(apiQuery, key);
  const live = useAlertStream(refresh);
  const now = useNow();
  const incidents = list.status === 'ready' ? list.items : [];

  const { tableRef, handleLoadMore } = useLoadMore(loadMore, incidents.length);

  return (
    <>
      <PageHeader
        title="Incidents"
        description="What your services’ alerts opened, newest first. Alerts that page open an incident; depending on the service’s grouping, later alerts join it. An incident resolves when all its alerts do."
        actions={<LiveIndicator state={live} />}
      />
      <Filters filters={filters} onChange={(next) => navigate(`/incidents${toSearch(next)}`, { replace: true })} />

      <Message tone="error">{refreshError ? `Could not refresh the list: ${errorText(refreshError)}. Showing what was loaded before.` : null}</Message>

      {list.status === 'loading' ? <Loading label="Loading incidents…" /> : null}
      {list.status === 'error' ? <LoadError error={list.error} what="incidents" onRetry={retry} /> : null}
      {list.status === 'ready' && incidents.length === 0 ? <Empty filters={filters} /> : null}
      {list.status === 'ready' && incidents.length > 0 ? (
        <>
          <IncidentTable wrapRef={tableRef} incidents={incidents} now={now} timeZone={user.timeZone} />
          <LoadMore
            noun="incident"
            shown={incidents.length}
            hasMore={list.nextCursor !== null}
            pending={loadingMore}
            error={moreError}
            onLoadMore={handleLoadMore}
          />
        </>
      ) : null}
    </>
  );
}

function Empty({ filters }: { filters: IncidentFilters }) {
  const headingId = useId();
  if (filters.serviceId) {
    return (
      <section className="panel panel-empty" aria-labelledby={headingId}>
        <h2 id={headingId}>No incidents match these filters</h2>
        <p>
          <Link to={filters.show === 'all' ? '/incidents?status=all' : '/incidents'}>
            Show {filters.show === 'all' ? 'every' : 'every open'} incident of every service
          </Link>
        </p>
      </section>
    );
  }
  if (filters.show === 'open') {
    return (
      <section className="panel panel-empty" aria-labelledby={headingId}>
        <h2 id={headingId}>No open incidents</h2>
        <p>
          All quiet. <Link to="/incidents?status=all">Show resolved incidents too</Link>.
        </p>
      </section>
    );
  }
  return (
    <section className="panel panel-empty" aria-labelledby={headingId}>
      <h2 id={headingId}>No incidents yet</h2>
      <p>
        Incidents open when a monitoring tool sends an alert that pages to one of your services. Each{' '}
        <Link to="/services">service’s page</Link> shows how to send alerts; the ones received so far are under{' '}
        <Link to="/alerts">Alerts</Link>.
      </p>
    </section>
  );
}

function Filters({ filters, onChange }: { filters: IncidentFilters; onChange: (next: IncidentFilters) => void }) {
  const services = useResource((signal) => servicesApi.list(signal), 'services');
  const serviceList = services.status === 'ready' ? [...services.data].sort((a, b) => a.name.localeCompare(b.name)) : [];
  const isDefault = toSearch(filters) === '';
  return (
    <form className="panel filters" role="search" aria-label="Filter incidents" onSubmit={(e) => e.preventDefault()}>
      <FilterSelect label="Status" value={filters.show} onChange={(value) => onChange({ ...filters, show: value === 'all' ? 'all' : 'open' })}>
        <option value="open">Open</option>
        <option value="all">All, resolved too</option>
      </FilterSelect>
      <FilterSelect label="Service" value={filters.serviceId} onChange={(value) => onChange({ ...filters, serviceId: value })}>
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
      {!isDefault ? (
        <div className="filters-reset">
          <Link to="/incidents" className="button button-small button-quiet">
            Reset filters
          </Link>
        </div>
      ) : null}
    </form>
  );
}

function IncidentTable({
  wrapRef,
  incidents,
  now,
  timeZone,
}: {
  wrapRef: RefObject<HTMLDivElement | null>;
  incidents: Incident[];
  now: number;
  timeZone: string;
}) {
  return (
    <div className="table-wrap" ref={wrapRef}>
      <table className="table table-stack alerts-table incidents-table">
        <caption className="visually-hidden">Incidents, newest first</caption>
        <thead>
          <tr>
            <th scope="col" className="numeric">
              #
            </th>
            <th scope="col">Title</th>
            <th scope="col">Status</th>
            <th scope="col">Urgency</th>
            <th scope="col">Service</th>
            <th scope="col" className="numeric">
              Alerts
            </th>
            <th scope="col">Opened</th>
          </tr>
        </thead>
        <tbody>
          {incidents.map((incident) => (
            <tr key={incident.id} data-incident-number={incident.number}>
              <td data-label="Incident #" className="numeric cell-number">
                {incident.number}
              </td>
              <th scope="row" className="cell-summary">
                <Link to={`/incidents/${incident.number}`} className="break">
                  {incident.title || <span className="muted">(no title)</span>}
                </Link>
              </th>
              <td data-label="Status">
                <StatusBadge status={incident.status} />
              </td>
              <td data-label="Urgency">
                <UrgencyBadge urgency={incident.urgency} />
              </td>
              <td data-label="Service">
                <Link to={`/services/${encodeURIComponent(incident.serviceId)}`}>{incident.serviceName}</Link>
              </td>
              <td data-label="Alerts" className="numeric cell-count">
                {incident.alertCount}
              </td>
              <td data-label="Opened">
                <RelativeTime iso={incident.createdAt} now={now} timeZone={timeZone} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
