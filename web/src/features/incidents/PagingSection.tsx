// The incident page's "Paging" section (GET /incidents/{id}/notifications): the escalation's state
// and step log, and every page sent or tried: who, which method (type and label, never the
// address), level, status, attempts, last error, with times in the viewer's zone.
import { useEffect } from 'react';
import { api } from '../../app/api.ts';
import { useLiveResource, useResource } from '../../app/hooks.ts';
import { Link } from '../../app/router.tsx';
import { DateTime, LoadError, Loading } from '../../app/ui.tsx';
import { schedulesApi } from '../schedules/api.ts';

export interface DeliveryLog {
  incidentId: string;
  incidentNumber: number;
  escalation: {
    /** id null: reassigned to people rather than a policy. */
    policy: { id: string | null; name: string; version: number };
    level: number;
    pass: number;
    restarts: number;
    nextRunAt: string | null;
    stoppedAt: string | null;
    stopReason: string | null;
    startedAt: string;
    steps: {
      at: string;
      level: number | null;
      pass: number | null;
      userIds: string[];
      skipped: { level: number; pass: number; reason: string }[];
      manual?: { by: string; requestedLevel: number | null };
      restart?: { reason: 'ack timeout' | 'reassigned' | 'escalated after it ended'; by: string | null; to?: string };
    }[];
  } | null;
  notifications: {
    id: string;
    level: number;
    pass: number;
    restart: number;
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
  // Who escalated or reassigned by hand may not be among the people paged: name them from everyone.
  const people = useResource((signal) => schedulesApi.users(signal), 'paging-people');
  const everyone = people.status === 'ready' ? people.data : [];

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
      {state.status === 'ready' ? <PagingBody log={state.data} timeZone={timeZone} everyone={everyone} /> : null}
    </section>
  );
}

function restartText(r: NonNullable<DeliveryLog['escalation']>['steps'][number]['restart'] & {}, names: Map<string, string>): string {
  if (r.reason === 'ack timeout') return 'acknowledged but not resolved in time: triggered again, escalating from level 1';
  const by = r.by ? ` by ${names.get(r.by) ?? 'someone'}` : '';
  return r.reason === 'reassigned' ? `reassigned to ${r.to ?? 'others'}${by}, escalating from level 1` : `escalated again${by} after the escalation had ended`;
}

function PagingBody({ log, timeZone, everyone }: { log: DeliveryLog; timeZone: string; everyone: readonly { id: string; name: string }[] }) {
  const { escalation, notifications } = log;
  const names = new Map([...everyone.map((u) => [u.id, u.name] as const), ...notifications.flatMap((n) => (n.user ? [[n.user.id, n.user.name] as const] : []))]);
  return (
    <>
      {escalation ? (
        <div className="escalation-state">
          <p>
            {escalation.policy.id ? (
              <>
                Escalating through <Link to={`/escalation/${encodeURIComponent(escalation.policy.id)}`}>{escalation.policy.name}</Link> (version{' '}
                {escalation.policy.version}),
              </>
            ) : (
              <>{escalation.policy.name}:</>
            )}{' '}
            started <DateTime iso={escalation.startedAt} timeZone={timeZone} />
            {escalation.restarts ? `, started again ${escalation.restarts === 1 ? 'once' : `${escalation.restarts} times`}` : ''}.{' '}
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
                    {step.restart
                      ? restartText(step.restart, names)
                      : step.level === null
                      ? 'nobody to page'
                      : `level ${step.level + 1}${step.pass ? ` (pass ${step.pass + 1})` : ''} paged ${step.userIds.map((id) => names.get(id) ?? 'someone').join(', ') || 'nobody'}`}
                    {step.skipped.length ? `; skipped ${step.skipped.map((s) => `level ${s.level + 1} (${s.reason})`).join(', ')}` : ''}
                    {step.manual
                      ? ` (by hand: ${names.get(step.manual.by) ?? step.manual.by}, ${step.manual.requestedLevel === null ? 'escalate now' : `to level ${step.manual.requestedLevel + 1}`})`
                      : ''}
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
                    {n.restart ? <span className="muted small"> (restart {n.restart})</span> : null}
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
