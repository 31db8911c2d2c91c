// "New schedule" and "Edit schedule": the form, then back to the schedule page.
import { canEdit, useCurrentUser } from '../../app/auth.tsx';
import { useAction, useResource } from '../../app/hooks.ts';
import { Link, navigate } from '../../app/router.tsx';
import { LoadError, Loading, PageHeader } from '../../app/ui.tsx';
import { schedulesApi } from './api.ts';
import type { ScheduleInput } from './api.ts';
import { toLocalInput } from './format.tsx';
import { newLayer, toInput, valuesOf } from './model.ts';
import type { ScheduleValues } from './model.ts';
import { ScheduleForm } from './ScheduleForm.tsx';

const schedulePath = (id: string) => `/on-call/${encodeURIComponent(id)}`;

/**
 * The PATCH body: layers and zone only when they changed, since a new layer list or zone starts a
 * new definition from now on (docs/schedules.md, "Editing a schedule").
 */
function changesOf(before: ScheduleValues, after: ScheduleValues): Partial<ScheduleInput> {
  const was = toInput(before, true);
  const body: Partial<ScheduleInput> = toInput(after, true);
  if (JSON.stringify(body.layers) === JSON.stringify(was.layers)) delete body.layers;
  if (body.timeZone === was.timeZone) delete body.timeZone;
  return body;
}

export function NewSchedulePage() {
  const user = useCurrentUser();
  const save = useAction();
  const zone = user.timeZone;
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/on-call">On-call</Link>
      </nav>
      <PageHeader title="New schedule" />
      {canEdit(user) ? (
        <section className="panel">
          <ScheduleForm
            initial={{ name: '', description: '', teamId: '', timeZone: zone, layers: [newLayer(0, toLocalInput(Date.now(), zone).slice(0, 10))] }}
            submitLabel="Create schedule"
            pendingLabel="Creating…"
            pending={save.pending}
            error={save.error}
            onSubmit={async (values) => {
              const result = await save.run(() => schedulesApi.create(toInput(values, false)));
              if (result.ok) navigate(schedulePath(result.value.id));
            }}
            onCancel={() => navigate('/on-call')}
          />
        </section>
      ) : (
        <p className="panel">Observers cannot create schedules.</p>
      )}
    </>
  );
}

export function EditSchedulePage({ id }: { id: string }) {
  const user = useCurrentUser();
  const schedule = useResource((signal) => schedulesApi.get(id, signal), `schedule-${id}`);
  const save = useAction();
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to={schedulePath(id)}>{schedule.status === 'ready' ? schedule.data.name : 'Schedule'}</Link>
      </nav>
      <PageHeader title={schedule.status === 'ready' ? `Edit ${schedule.data.name}` : 'Edit schedule'} />
      {schedule.status === 'loading' ? <Loading label="Loading schedule…" /> : null}
      {schedule.status === 'error' ? <LoadError error={schedule.error} what="schedule" onRetry={schedule.reload} /> : null}
      {schedule.status === 'ready' && !canEdit(user) ? <p className="panel">Observers cannot change schedules.</p> : null}
      {schedule.status === 'ready' && canEdit(user) ? (
        <section className="panel">
          <p className="muted small">Changed layers or a changed time zone apply from the moment you save; shifts already past stay as they were.</p>
          <ScheduleForm
            initial={valuesOf(schedule.data)}
            submitLabel="Save changes"
            pendingLabel="Saving…"
            pending={save.pending}
            error={save.error}
            onSubmit={async (values) => {
              const result = await save.run(() => schedulesApi.update(id, changesOf(valuesOf(schedule.data), values)));
              if (result.ok) navigate(schedulePath(id));
            }}
            onCancel={() => navigate(schedulePath(id))}
          />
        </section>
      ) : null}
    </>
  );
}
