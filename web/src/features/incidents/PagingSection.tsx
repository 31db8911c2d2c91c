// The incident page's "Paging" section (GET /incidents/{id}/notifications): the escalation's state
// and step log, and every page sent or tried: who, which method (type and label, never the
// address), level, status, attempts, last error, with times in the viewer's zone.
import { useEffect } from 'react';
import { api } from '../../app/api.ts';
import { useLiveResource } from '../../app/hooks.ts';
import { Link } from '../../app/router.tsx';
import { DateTime, LoadError, Loading } from '../../app/ui.tsx';

export interface DeliveryLog {
  incidentId: string;
  incidentNumber: number;
  escalation: {
    policy: { id: string; name: string; version: number };
    level: number;
    pass: number;
    nextRunAt: string | null;
    stoppedAt: string | null;
    stopReason: string | null;
    startedAt: string;
    steps: { at: string; level: number | null; pass: number | null; userIds: string[]; skipped: { level: number; pass: number; reason: string }[] }[];
  } | null;
  notifications: {
    id: string;
    level: number;
    pass: number;
    user: { id: string; name: string } | null;
    contactMethod: { id: string; type: string; label: string } | null;
    delayMinutes: number | null;
    status: 'queued' | 'sending' | 'sent' | 'failed' | 'cancelled';
    attempts: number;
    lastError: string | null;
    createdAt: string;
    sentAt: string | null;
  }[];
}

const STATUS: Record<DeliveryLog['notifications'][number]['status'], string> = {
  queued: 'Queued',
  sending: 'Sending',
  sent: 'Sent',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** `version` changes whenever the incident does (the page refreshes live), so the log follows. */
export function PagingSection({ incidentId, version, timeZone }: { incidentId: string; version: string; timeZone: string }) {
  const { state, refresh, retry } = useLiveResource<DeliveryLog>(
    (signal) => api.get<DeliveryLog>(`/incidents/${encodeURIComponent(incidentId)}/notifications`, { signal }),
    incidentId,
  );
  useEffect(() => refresh(), [version, refresh]);

  return (
    <section className="panel" aria-labelledby="incident-paging-heading">
      <div className="section-header">
        <h2 id="incident-paging-heading">Paging</h2>
        <button type="button" className="button button-small" onClick={refresh}>
          Refresh
        </button>
      </div>
      {state.status === 'loading' ? <Loading label="Loading who was paged…" /> : null}
      {state.status === 'error' ? <LoadError error={state.error} what="the paging log" onRetry={retry} /> : null}
      {state.status === 'ready' ? <PagingBody log={state.data} timeZone={timeZone} /> : null}
    </section>
  );
}

function PagingBody({ log, timeZone }: { log: DeliveryLog; timeZone: string }) {
  const { escalation, notifications } = log;
  const names = new Map(notifications.flatMap((n) => (n.user ? [[n.user.id, n.user.name] as const] : [])));
  return (
    <>
      {escalation ? (
        <div className="escalation-state">
          <p>
            Escalating through <Link to={`/escalation/${encodeURIComponent(escalation.policy.id)}`}>{escalation.policy.name}</Link> (version {escalation.policy.version}),
            started <DateTime iso={escalation.startedAt} timeZone={timeZone} />.{' '}
            {escalation.stoppedAt ? (
              <span data-escalation-state="stopped">
                Stopped <DateTime iso={escalation.stoppedAt} timeZone={timeZone} />: {escalation.stopReason ?? 'stopped'}.
              </span>
            ) : (
              <span data-escalation-state="running">
                Next: level {escalation.level + 1}, pass {escalation.pass + 1}
                {escalation.nextRunAt ? (
                  <>
                    , at <DateTime iso={escalation.nextRunAt} timeZone={timeZone} />
                  </>
                ) : null}
                .
              </span>
            )}
          </p>
          {escalation.steps.length ? (
            <>
              <h3>Steps</h3>
              <ol aria-label="Escalation steps">
                {escalation.steps.map((step, i) => (
                  <li key={i}>
                    <DateTime iso={step.at} timeZone={timeZone} />:{' '}
                    {step.level === null
                      ? 'nobody to page'
                      : `level ${step.level + 1}${step.pass ? ` (pass ${step.pass + 1})` : ''} paged ${step.userIds.map((id) => names.get(id) ?? 'someone').join(', ') || 'nobody'}`}
                    {step.skipped.length ? `; skipped ${step.skipped.map((s) => `level ${s.level + 1} (${s.reason})`).join(', ')}` : ''}
                  </li>
                ))}
              </ol>
            </>
          ) : (
            <p className="muted small">No step has run yet.</p>
          )}
        </div>
      ) : (
        <p className="muted">Nobody was paged: this incident’s service had no escalation policy when it opened.</p>
      )}
      {notifications.length ? (
        <div className="table-wrap">
          <table className="table table-stack">
            <caption className="visually-hidden">Notifications, oldest first</caption>
            <thead>
              <tr>
                <th scope="col">Person</th>
                <th scope="col">Method</th>
                <th scope="col">Level</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                <th scope="col">Last error</th>
                <th scope="col">Created</th>
                <th scope="col">Sent</th>
              </tr>
            </thead>
            <tbody>
              {notifications.map((n) => (
                <tr key={n.id} data-status={n.status}>
                  <th scope="row" data-label="Person">
                    {n.user?.name ?? <span className="muted">deleted user</span>}
                  </th>
                  <td data-label="Method">
                    {n.contactMethod ? `${n.contactMethod.type}: ${n.contactMethod.label}` : <span className="muted">none</span>}
                    {n.delayMinutes ? <span className="muted small"> (after {n.delayMinutes} min)</span> : null}
                  </td>
                  <td data-label="Level">
                    {n.level + 1}
                    {n.pass ? ` (pass ${n.pass + 1})` : ''}
                  </td>
                  <td data-label="Status">{STATUS[n.status]}</td>
                  <td data-label="Attempts">{n.attempts}</td>
                  <td data-label="Last error">{n.lastError ?? <span className="muted">—</span>}</td>
                  <td data-label="Created">
                    <DateTime iso={n.createdAt} timeZone={timeZone} />
                  </td>
                  <td data-label="Sent">
                    <DateTime iso={n.sentAt} timeZone={timeZone} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : escalation ? (
        <p className="empty-inline">No notifications yet.</p>
      ) : null}
    </>
  );
}
