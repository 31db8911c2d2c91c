// The On-call area: who is on call right now in every schedule, and the list of schedules with a
// warning on each that leaves time uncovered in the next 14 days.
import { canEdit, useCurrentUser } from '../../app/auth.tsx';
import { useResource } from '../../app/hooks.ts';
import { Link } from '../../app/router.tsx';
import { LoadError, Loading, PageHeader } from '../../app/ui.tsx';
import { contactsApi } from '../settings/api.ts';
import type { ReadinessReport } from '../settings/api.ts';
import { schedulesApi } from './api.ts';
import type { OnCallNow, ShiftView } from './api.ts';
import { DAY, When } from './format.tsx';

/** Until when each person on call now stays on, read from each schedule's next 14 days of shifts. */
interface Current {
  scheduleId: string;
  name: string;
  people: { id: string; name: string; until: string | null }[];
}

/** The end of the stretch `userId` is on call from `now`, joining touching shifts of any source. */
export function onCallUntil(shifts: readonly ShiftView[], userId: string, now: number): string | null {
  let end = now;
  let found = false;
  for (const s of [...shifts].filter((x) => x.user.id === userId).sort((a, b) => Date.parse(a.start) - Date.parse(b.start))) {
    if (Date.parse(s.start) > end) break;
    if (Date.parse(s.end) > end) {
      end = Date.parse(s.end);
      found = true;
    }
  }
  return found ? new Date(end).toISOString() : null;
}

async function loadCurrent(signal: AbortSignal): Promise<{ at: string; horizon: string; rows: Current[] }> {
  const now: OnCallNow = await schedulesApi.onCallNow(signal);
  const at = Date.parse(now.at);
  const to = new Date(at + 14 * DAY);
  const rows = await Promise.all(
    now.schedules.map(async ({ schedule, onCall }) => {
      const shifts = onCall.length ? (await schedulesApi.shifts(schedule.id, new Date(at), to, signal)).shifts : [];
      return {
        scheduleId: schedule.id,
        name: schedule.name,
        people: onCall.map((o) => ({ id: o.user.id, name: o.user.name, until: onCallUntil(shifts, o.user.id, at) })),
      };
    }),
  );
  return { at: now.at, horizon: to.toISOString(), rows };
}

export function SchedulesPage() {
  const user = useCurrentUser();
  const editable = canEdit(user);
  const schedules = useResource((signal) => schedulesApi.list(signal), 'schedules');
  const current = useResource(loadCurrent, 'oncall-now');
  const zone = user.timeZone;

  return (
    <>
      <PageHeader
        title="On-call"
        description="Schedules decide who is paged, and when. Times are shown in your time zone."
        actions={
          editable ? (
            <Link to="/on-call/new" className="button button-primary">
              New schedule
            </Link>
          ) : null
        }
      />
      <NotReachable />
      <section className="panel" aria-labelledby="oncall-now-heading">
        <h2 id="oncall-now-heading">Who’s on call now</h2>
        <p className="muted small">Your time zone: {zone}.</p>
        {current.status === 'loading' ? <Loading label="Loading who is on call…" /> : null}
        {current.status === 'error' ? <LoadError error={current.error} what="who is on call" onRetry={current.reload} /> : null}
        {current.status === 'ready' && current.data.rows.length === 0 ? <p className="empty-inline">There are no schedules yet.</p> : null}
        {current.status === 'ready' && current.data.rows.length > 0 ? (
          <ul className="oncall-now">
            {current.data.rows.map((row) => (
              <li key={row.scheduleId} aria-label={row.name}>
                <Link to={`/on-call/${encodeURIComponent(row.scheduleId)}`} className="oncall-schedule">
                  {row.name}
                </Link>
                {row.people.length === 0 ? (
                  <span className="gap-text">
                    <span aria-hidden="true">⚠ </span>Nobody is on call
                  </span>
                ) : (
                  <ul className="oncall-people">
                    {row.people.map((p) => (
                      <li key={p.id}>
                        <strong>{p.name}</strong>{' '}
                        {p.until ? (
                          <span>
                            until <When iso={p.until} viewerZone={zone} />
                            {p.until >= current.data.horizon ? ' or later' : ''}
                          </span>
                        ) : null}
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ul>
        ) : null}
      </section>

      <section aria-labelledby="schedules-heading">
        <h2 id="schedules-heading">Schedules</h2>
        {schedules.status === 'loading' ? <Loading label="Loading schedules…" /> : null}
        {schedules.status === 'error' ? <LoadError error={schedules.error} what="schedules" onRetry={schedules.reload} /> : null}
        {schedules.status === 'ready' && schedules.data.length === 0 ? (
          <div className="panel panel-empty">
            <p>{editable ? 'Create a schedule to say who is on call, and when.' : 'Nobody has created a schedule yet.'}</p>
            {editable ? (
              <Link to="/on-call/new" className="button button-primary">
                Create your first schedule
              </Link>
            ) : null}
          </div>
        ) : null}
        {schedules.status === 'ready' && schedules.data.length > 0 ? (
          <ScheduleTable schedules={schedules.data} />
        ) : null}
      </section>
    </>
  );
}

/**
 * People on call in the next 7 days whom a high-urgency page would not reach (GET /readiness: names
 * and what is missing, never addresses). Says nothing when everyone is reachable or it fails to load.
 */
function NotReachable() {
  const report = useResource((signal) => contactsApi.readiness(signal), 'readiness');
  if (report.status !== 'ready') return null;
  const people: ReadinessReport['people'] = report.data.people.filter((p) => !p.readiness.high);
  if (!people.length) return null;
  return (
    <section className="notice" aria-labelledby="not-reachable-heading">
      <h2 id="not-reachable-heading" className="notice-title">
        <span aria-hidden="true">⚠ </span>Not reachable
      </h2>
      <p>On call in the next 7 days, but a high-urgency page would not reach them:</p>
      <ul aria-labelledby="not-reachable-heading">
        {people.map((p) => (
          <li key={p.user.id}>
            <strong>{p.user.name}</strong>: {p.readiness.problems.join('; ') || 'no way to reach them'}
          </li>
        ))}
      </ul>
    </section>
  );
}

function ScheduleTable({ schedules }: { schedules: Awaited<ReturnType<typeof schedulesApi.list>> }) {
  const teams = useResource((signal) => schedulesApi.teams(signal), 'teams');
  const teamName = (id: string | null) => (id === null ? null : teams.status === 'ready' ? (teams.data.find((t) => t.id === id)?.name ?? null) : null);
  return (
    <div className="table-wrap">
      <table className="table table-stack">
        <caption className="visually-hidden">Schedules</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Time zone</th>
            <th scope="col">Team</th>
            <th scope="col">People</th>
            <th scope="col">Next 14 days</th>
          </tr>
        </thead>
        <tbody>
          {[...schedules]
            .sort((a, b) => a.name.localeCompare(b.name))
            .map((s) => (
              <tr key={s.id}>
                <th scope="row" data-label="Name">
                  <Link to={`/on-call/${encodeURIComponent(s.id)}`}>{s.name}</Link>
                </th>
                <td data-label="Time zone">{s.timeZone}</td>
                <td data-label="Team">{teamName(s.teamId) ?? <span className="muted">No team</span>}</td>
                <td data-label="People">{s.users.length ? s.users.map((u) => u.name).join(', ') : <span className="muted">Nobody</span>}</td>
                <td data-label="Next 14 days">
                  {s.hasGapsNext14Days ? (
                    <span className="gap-warning">
                      <span aria-hidden="true">⚠ </span>Gaps: time with nobody on call
                    </span>
                  ) : (
                    <span className="covered">Fully covered</span>
                  )}
                </td>
              </tr>
            ))}
        </tbody>
      </table>
    </div>
  );
}
