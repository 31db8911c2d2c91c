// One schedule: its layers, the gaps of the next 14 days, a two-week timeline of the final
// schedule (layers, overrides and gaps told apart by colour and by text), one-click overrides,
// upcoming overrides and shift swaps. Observers see all of it without any controls.
import { useEffect, useMemo, useRef, useState } from 'react';
import { layerShifts } from '../../../../src/core/schedules/schedule-math.ts';
import type { FormEvent } from 'react';
import type { User } from '../../app/api.ts';
import { splitFieldErrors } from '../../app/api.ts';
import { canEdit, useCurrentUser } from '../../app/auth.tsx';
import { useConfirm } from '../../app/confirm.tsx';
import { useAction, useFocusFirstInvalid, useResource } from '../../app/hooks.ts';
import { Link, navigate } from '../../app/router.tsx';
import { errorText, Field, FormActions, LoadError, Loading, Message, PageHeader } from '../../app/ui.tsx';
import { schedulesApi } from './api.ts';
import type { Gap, Layer, OverrideView, ScheduleDetail, ShiftView, SwapView } from './api.ts';
import {
  When,
  addDays,
  describeRestriction,
  describeRotation,
  formatClock,
  formatCoverage,
  formatDay,
  fromLocalInput,
  sourceClass,
  sourceLabel,
  startOfDay,
  toLocalInput,
} from './format.tsx';

const DAYS = 14;

export function ScheduleDetailPage({ id }: { id: string }) {
  // After a change the schedule is fetched again (for its gaps) while the page stays as it is.
  const schedule = useResource((signal) => schedulesApi.get(id, signal), `schedule-${id}`);
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/on-call">On-call</Link>
      </nav>
      {schedule.status === 'loading' ? (
        <>
          <PageHeader title="Schedule" />
          <Loading label="Loading schedule…" />
        </>
      ) : null}
      {schedule.status === 'error' ? (
        <>
          <PageHeader title="Schedule" />
          <LoadError error={schedule.error} what="schedule" onRetry={schedule.reload} />
        </>
      ) : null}
      {schedule.status === 'ready' ? <ScheduleView schedule={schedule.data} onChanged={schedule.reload} /> : null}
    </>
  );
}

type Selection = { kind: 'override'; start: string; end: string; userId: string | null } | { kind: 'swap'; start: string; end: string } | null;

function ScheduleView({ schedule, onChanged }: { schedule: ScheduleDetail; onChanged: () => void }) {
  const [version, setVersion] = useState(0);
  const me = useCurrentUser();
  const editable = canEdit(me);
  const zone = me.timeZone;
  const confirm = useConfirm();
  const remove = useAction();
  const [from, setFrom] = useState(() => startOfDay(Date.now(), zone));
  const to = addDays(from, DAYS, zone);
  const shifts = useResource((signal) => schedulesApi.shifts(schedule.id, new Date(from), new Date(to), signal), `shifts-${schedule.id}-${from}-${version}`);
  const overrides = useResource((signal) => schedulesApi.overrides(schedule.id, signal), `overrides-${schedule.id}-${version}`);
  const swaps = useResource((signal) => schedulesApi.swaps(schedule.id, signal), `swaps-${schedule.id}-${version}`);
  const users = useResource((signal) => schedulesApi.users(signal), 'users');
  const [selection, setSelection] = useState<Selection>(null);
  const [showLayers, setShowLayers] = useState(false);
  // Each layer's own rotation (before precedence and overrides), by the same calculator the server
  // uses, for the current definition only: from when it took effect.
  const lanes = useMemo(() => {
    if (!showLayers) return [];
    const start = Math.max(from, schedule.layersFrom ? Date.parse(schedule.layersFrom) : from);
    if (start >= to) return [];
    const names = new Map(schedule.users.map((u) => [u.id, u.name]));
    return schedule.layers.map((layer) => ({
      layer,
      shifts: layerShifts(layer, new Date(start), new Date(to), schedule.timeZone).map((x) => ({ ...x, name: names.get(x.userId) ?? 'Unknown user' })),
    }));
  }, [showLayers, from, to, schedule]);
  // Opening the form (from a row far down the table or a bar) brings it into view with focus in it.
  const selectionPanel = useRef<HTMLElement>(null);
  useEffect(() => {
    if (!selection) return;
    selectionPanel.current?.scrollIntoView({ block: 'nearest' });
    selectionPanel.current?.querySelector<HTMLElement>('select, input')?.focus({ preventScroll: true });
  }, [selection]);
  const [notice, setNotice] = useState<string | null>(null);
  const userList = users.status === 'ready' ? users.data : [];

  async function handleDelete(): Promise<void> {
    const ok = await confirm({
      title: `Delete “${schedule.name}”?`,
      body: <p>The schedule, its overrides and its swap requests will be removed. Nobody will be paged through it.</p>,
      confirmLabel: 'Delete schedule',
      danger: true,
    });
    if (!ok) return;
    const result = await remove.run(() => schedulesApi.remove(schedule.id));
    if (result.ok) navigate('/on-call');
  }

  function changed(message: string): void {
    setSelection(null);
    setNotice(message);
    setVersion((n) => n + 1);
    onChanged();
  }

  return (
    <>
      <PageHeader
        title={schedule.name}
        description={schedule.description || undefined}
        actions={
          editable ? (
            <>
              <Link to={`/on-call/${encodeURIComponent(schedule.id)}/edit`} className="button">
                Edit schedule
              </Link>
              {me.role === 'admin' ? (
                <button type="button" className="button button-danger-quiet" onClick={handleDelete} disabled={remove.pending}>
                  {remove.pending ? 'Deleting…' : 'Delete schedule'}
                </button>
              ) : null}
            </>
          ) : null
        }
      />
      <Message tone="error">{remove.error ? `Could not delete the schedule: ${errorText(remove.error)}` : null}</Message>
      <Message tone="success">{notice}</Message>

      <CoverageSection schedule={schedule} zone={zone} />

      <section className="panel" aria-labelledby="timeline-heading">
        <div className="section-header timeline-nav">
          <h2 id="timeline-heading">Final schedule</h2>
          <p className="muted small">
            From <time dateTime={new Date(from).toISOString()}>{formatDay(from, zone)}</time> to{' '}
            <time dateTime={new Date(to).toISOString()}>{formatDay(to - 1, zone)}</time>, in your time zone ({zone})
            {zone !== schedule.timeZone ? `; the schedule's zone is ${schedule.timeZone}` : ''}.
          </p>
          <div className="row-actions">
            <button type="button" className="button button-small" onClick={() => setFrom(addDays(from, -DAYS, zone))}>
              Previous 2 weeks
            </button>
            <button type="button" className="button button-small" onClick={() => setFrom(startOfDay(Date.now(), zone))}>
              Today
            </button>
            <button type="button" className="button button-small" onClick={() => setFrom(addDays(from, DAYS, zone))}>
              Next 2 weeks
            </button>
          </div>
        </div>
        <Legend layers={schedule.layers} />
        {schedule.layers.length > 0 ? (
          <label className="layer-toggle">
            <input type="checkbox" checked={showLayers} onChange={(e) => setShowLayers(e.target.checked)} /> Also show each layer’s own rotation under each day
            (before the higher layers and overrides apply{schedule.layersFrom ? '; as the layers are defined now' : ''})
          </label>
        ) : null}
        {shifts.status === 'loading' ? <Loading label="Loading shifts…" /> : null}
        {shifts.status === 'error' ? <LoadError error={shifts.error} what="shifts" onRetry={shifts.reload} /> : null}
        {shifts.status === 'ready' ? (
          <>
            <DayBars
              from={from}
              zone={zone}
              shifts={shifts.data.shifts}
              gaps={shifts.data.gaps}
              layers={schedule.layers}
              lanes={lanes}
              onPick={editable ? (s) => setSelection({ kind: 'override', start: s.start, end: s.end, userId: s.user?.id ?? null }) : undefined}
            />
            {selection ? (
              <section ref={selectionPanel} className="subpanel" aria-labelledby="selection-heading">
                <h3 id="selection-heading">{selection.kind === 'override' ? 'Override this shift' : 'Request a swap'}</h3>
                {selection.kind === 'override' ? (
                  <OverrideForm
                    scheduleId={schedule.id}
                    selection={selection}
                    users={userList}
                    zone={zone}
                    onDone={(o) => changed(`Added an override: ${o.user?.name ?? 'nobody'} is on call instead.`)}
                    onCancel={() => setSelection(null)}
                  />
                ) : (
                  <SwapForm
                    scheduleId={schedule.id}
                    selection={selection}
                    users={userList.filter((u) => u.id !== me.id)}
                    zone={zone}
                    onDone={(s) => changed(`Asked ${s.recipient.name} to take your shift.`)}
                    onCancel={() => setSelection(null)}
                  />
                )}
              </section>
            ) : null}
            <ShiftTable
              shifts={shifts.data.shifts}
              gaps={shifts.data.gaps}
              layers={schedule.layers}
              zone={zone}
              scheduleZone={schedule.timeZone}
              meId={me.id}
              editable={editable}
              onOverride={(s) => setSelection({ kind: 'override', start: s.start, end: s.end, userId: s.user?.id ?? null })}
              onSwap={(s) => setSelection({ kind: 'swap', start: s.start, end: s.end })}
            />
          </>
        ) : null}
      </section>

      <LayersSection schedule={schedule} />

      <section className="panel" aria-labelledby="overrides-heading">
        <h2 id="overrides-heading">Upcoming overrides</h2>
        <p className="muted small">Overrides in the next 14 days, in the order they apply. Times in {zone}.</p>
        {overrides.status === 'loading' ? <Loading label="Loading overrides…" /> : null}
        {overrides.status === 'error' ? <LoadError error={overrides.error} what="overrides" onRetry={overrides.reload} /> : null}
        {overrides.status === 'ready' ? (
          <OverrideTable scheduleId={schedule.id} overrides={overrides.data} zone={zone} editable={editable} onDeleted={() => changed('Deleted the override.')} />
        ) : null}
      </section>

      <section className="panel" aria-labelledby="swaps-heading">
        <h2 id="swaps-heading">Shift swaps</h2>
        <p className="muted small">
          {editable ? 'To ask someone to take one of your own shifts, use “Request a swap” next to it above. ' : ''}Times in {zone}.
        </p>
        {swaps.status === 'loading' ? <Loading label="Loading swaps…" /> : null}
        {swaps.status === 'error' ? <LoadError error={swaps.error} what="swaps" onRetry={swaps.reload} /> : null}
        {swaps.status === 'ready' ? (
          <SwapTable scheduleId={schedule.id} swaps={swaps.data} zone={zone} meId={me.id} editable={editable} admin={me.role === 'admin'} onDecided={changed} />
        ) : null}
      </section>
    </>
  );
}

function CoverageSection({ schedule, zone }: { schedule: ScheduleDetail; zone: string }) {
  return (
    <section className="panel" aria-labelledby="coverage-heading">
      <h2 id="coverage-heading">Next 14 days</h2>
      <p>
        Someone is on call for <strong>{formatCoverage(schedule.coverage)}</strong> of the next 14 days.{' '}
        <span className="muted small">Times in your time zone, {zone}.</span>
      </p>
      {schedule.gaps.length > 0 ? (
        <div className="notice gap-notice" role="note">
          <p className="notice-title">
            <span aria-hidden="true">⚠ </span>
            {schedule.gaps.length === 1 ? '1 gap' : `${schedule.gaps.length} gaps`}: nobody is on call, so nobody would be paged
          </p>
          <ul className="gap-list">
            {schedule.gaps.slice(0, 10).map((g) => (
              <li key={g.start}>
                <When iso={g.start} viewerZone={zone} /> to <When iso={g.end} viewerZone={zone} />
              </li>
            ))}
            {schedule.gaps.length > 10 ? <li>and {schedule.gaps.length - 10} more</li> : null}
          </ul>
        </div>
      ) : (
        <p className="covered">No gaps: someone is on call all the time.</p>
      )}
    </section>
  );
}

function Legend({ layers }: { layers: Layer[] }) {
  return (
    <ul className="legend" aria-label="Key">
      {layers.map((l) => (
        <li key={l.id}>
          <span className={sourceClass({ type: 'layer', layerId: l.id }, layers)} aria-hidden="true" /> Layer “{l.name}”
        </li>
      ))}
      <li>
        <span className="seg seg-override" aria-hidden="true" /> Override
      </li>
      <li>
        <span className="seg seg-temporary" aria-hidden="true" /> Temporary schedule
      </li>
      <li>
        <span className="seg seg-gap" aria-hidden="true" /> Gap: nobody on call
      </li>
    </ul>
  );
}

/** A bar per day: a visual overview. Every piece is also in the table below, which has the buttons. */
function DayBars({
  from,
  zone,
  shifts,
  gaps,
  layers,
  lanes,
  onPick,
}: {
  from: number;
  zone: string;
  shifts: ShiftView[];
  gaps: Gap[];
  layers: Layer[];
  lanes: { layer: Layer; shifts: { name: string; start: string; end: string }[] }[];
  /** Opens the override form for a shift, or for a gap (no user); past time is not offered. */
  onPick: ((range: { start: string; end: string; user: { id: string } | null }) => void) | undefined;
}) {
  const now = Date.now();
  const pickable = (end: string) => Boolean(onPick) && Date.parse(end) > now;
  const days = Array.from({ length: DAYS }, (_, i) => addDays(from, i, zone));
  return (
    <div className="day-bars" aria-hidden="true">
      {days.map((start) => {
        const end = addDays(start, 1, zone);
        const span = end - start;
        const place = (s: string, e: string) => {
          const a = Math.max(Date.parse(s), start);
          const b = Math.min(Date.parse(e), end);
          return b > a ? { left: `${((a - start) / span) * 100}%`, width: `${((b - a) / span) * 100}%` } : null;
        };
        return (
          <div className="day-bar" key={start}>
            <span className="day-label">{formatDay(start, zone)}</span>
            <div className="day-track">
              {shifts.map((s, i) => {
                const style = place(s.start, s.end);
                if (!style) return null;
                return (
                  <div
                    key={`s${i}`}
                    className={sourceClass(s.source, layers) + (pickable(s.end) ? ' seg-clickable' : '')}
                    style={style}
                    title={`${s.user.name}, ${formatClock(s.start, zone)}–${formatClock(s.end, zone)} (${sourceLabel(s.source, layers)})`}
                    onClick={pickable(s.end) ? () => onPick?.(s) : undefined}
                  >
                    <span className="seg-text">
                      {s.source.type === 'override' ? '✎ ' : ''}
                      {s.user.name}
                    </span>
                  </div>
                );
              })}
              {gaps.map((g, i) => {
                const style = place(g.start, g.end);
                return style ? (
                  <div
                    key={`g${i}`}
                    className={pickable(g.end) ? 'seg seg-gap seg-clickable' : 'seg seg-gap'}
                    style={style}
                    title={`Nobody on call, ${formatClock(g.start, zone)}–${formatClock(g.end, zone)}`}
                    onClick={pickable(g.end) ? () => onPick?.({ ...g, user: null }) : undefined}
                  >
                    <span className="seg-text">Gap</span>
                  </div>
                ) : null;
              })}
            </div>
            {lanes.map(({ layer, shifts: own }) => (
              <div className="day-lane" key={layer.id}>
                <span className="lane-label">{layer.name}</span>
                <div className="day-track day-track-lane">
                  {own.map((s, i) => {
                    const style = place(s.start, s.end);
                    return style ? (
                      <div key={i} className={sourceClass({ type: 'layer', layerId: layer.id }, layers)} style={style}>
                        <span className="seg-text">{s.name}</span>
                      </div>
                    ) : null;
                  })}
                </div>
              </div>
            ))}
          </div>
        );
      })}
    </div>
  );
}

type Row = { kind: 'shift'; shift: ShiftView } | { kind: 'gap'; gap: Gap };

function ShiftTable({
  shifts,
  gaps,
  layers,
  zone,
  scheduleZone,
  meId,
  editable,
  onOverride,
  onSwap,
}: {
  shifts: ShiftView[];
  gaps: Gap[];
  layers: Layer[];
  zone: string;
  scheduleZone: string;
  meId: string;
  editable: boolean;
  onOverride: (range: { start: string; end: string; user: { id: string } | null }) => void;
  onSwap: (range: { start: string; end: string }) => void;
}) {
  const now = Date.now();
  const rows: Row[] = [...shifts.map((shift): Row => ({ kind: 'shift', shift })), ...gaps.map((gap): Row => ({ kind: 'gap', gap }))].sort(
    (a, b) => Date.parse(a.kind === 'shift' ? a.shift.start : a.gap.start) - Date.parse(b.kind === 'shift' ? b.shift.start : b.gap.start),
  );
  if (rows.length === 0) return <p className="empty-inline">Nothing in this range.</p>;
  return (
    <div className="table-wrap">
      <table className="table table-stack shift-table">
        <caption className="visually-hidden">Shifts and gaps, in order</caption>
        <thead>
          <tr>
            <th scope="col">Who</th>
            <th scope="col">From</th>
            <th scope="col">To</th>
            <th scope="col">Source</th>
            {editable ? <th scope="col">Actions</th> : null}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const r = row.kind === 'shift' ? row.shift : row.gap;
            const past = Date.parse(r.end) <= now;
            const cls = row.kind === 'shift' ? sourceClass(row.shift.source, layers) : 'seg seg-gap';
            return (
              <tr key={`${row.kind}-${r.start}-${row.kind === 'shift' ? row.shift.user.id : ''}`} className={row.kind === 'gap' ? 'row-gap' : undefined} data-kind={row.kind}>
                <th scope="row" data-label="Who">
                  <span className={`${cls} seg-swatch`} aria-hidden="true" />
                  {row.kind === 'shift' ? row.shift.user.name : <span className="gap-text"><span aria-hidden="true">⚠ </span>Nobody on call</span>}
                </th>
                <td data-label="From">
                  <When iso={r.start} viewerZone={zone} scheduleZone={scheduleZone} />
                </td>
                <td data-label="To">
                  <When iso={r.end} viewerZone={zone} scheduleZone={scheduleZone} />
                </td>
                <td data-label="Source">{row.kind === 'shift' ? sourceLabel(row.shift.source, layers) : 'Gap'}</td>
                {editable ? (
                  <td data-label="Actions" className="row-actions">
                    {!past ? (
                      <button type="button" className="button button-small" onClick={() => onOverride({ start: r.start, end: r.end, user: row.kind === 'shift' ? row.shift.user : null })}>
                        {row.kind === 'shift' ? 'Override this shift' : 'Cover this gap'}
                      </button>
                    ) : null}
                    {!past && row.kind === 'shift' && row.shift.user.id === meId ? (
                      <button type="button" className="button button-small" onClick={() => onSwap({ start: row.shift.start, end: row.shift.end })}>
                        Request a swap
                      </button>
                    ) : null}
                  </td>
                ) : null}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** The range of a form, read as wall-clock time in the viewer's zone. */
function useRangeInputs(start: string, end: string, zone: string) {
  const [startText, setStartText] = useState(() => toLocalInput(Date.parse(start), zone));
  const [endText, setEndText] = useState(() => toLocalInput(Date.parse(end), zone));
  // Untouched, the range is exactly the shift's (datetime-local has no seconds).
  const read = () => ({
    start: startText === toLocalInput(Date.parse(start), zone) ? start : fromLocalInput(startText, zone),
    end: endText === toLocalInput(Date.parse(end), zone) ? end : fromLocalInput(endText, zone),
  });
  return { startText, setStartText, endText, setEndText, read };
}

const isoOf = (value: string | number | null) => (value === null ? null : typeof value === 'string' ? value : new Date(value).toISOString());

/** A person, a range of time and a note: the form behind an override and a swap request. */
function PersonRangeForm({
  selection,
  zone,
  person,
  submit,
  onCancel,
}: {
  selection: { start: string; end: string };
  zone: string;
  person: { name: string; label: string; hint?: string; options: { value: string; label: string }[]; missing: string };
  submit: { label: string; pendingLabel: string; run: (personId: string, start: string, end: string, note: string | undefined) => Promise<void> };
  onCancel: () => void;
}) {
  const range = useRangeInputs(selection.start, selection.end, zone);
  const [personId, setPersonId] = useState('');
  const [note, setNote] = useState('');
  const save = useAction();
  const formRef = useRef<HTMLFormElement>(null);
  const [local, setLocal] = useState<Record<string, string>>({});
  const { byField, general } = splitFieldErrors(save.error, [person.name, 'start', 'end', 'note']);
  const errors = { ...byField, ...local };
  useFocusFirstInvalid(formRef, save.error ?? (Object.keys(local).length ? local : null));

  async function handleSubmit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    save.reset();
    const { start, end } = range.read();
    const problems: Record<string, string> = {};
    if (!personId) problems[person.name] = person.missing;
    if (start === null) problems['start'] = 'Enter a date and time.';
    if (end === null) problems['end'] = 'Enter a date and time.';
    setLocal(problems);
    if (Object.keys(problems).length) return;
    await save.run(() => submit.run(personId, isoOf(start)!, isoOf(end)!, note.trim() || undefined));
  }

  return (
    <form ref={formRef} className="form" onSubmit={handleSubmit} noValidate>
      <Message tone="error">{general}</Message>
      <Field label={person.label} name={person.name} error={errors[person.name]} {...(person.hint ? { hint: person.hint } : {})}>
        {(props) => (
          <select {...props} value={personId} onChange={(e) => setPersonId(e.target.value)}>
            <option value="">Choose a person…</option>
            {person.options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div className="form-grid">
        <Field label="From" name="start" error={errors['start']} hint={`Your time zone: ${zone}.`}>
          {(props) => <input {...props} type="datetime-local" value={range.startText} onChange={(e) => range.setStartText(e.target.value)} />}
        </Field>
        <Field label="To" name="end" error={errors['end']} hint={`Your time zone: ${zone}.`}>
          {(props) => <input {...props} type="datetime-local" value={range.endText} onChange={(e) => range.setEndText(e.target.value)} />}
        </Field>
      </div>
      <Field label="Note" name="note" optional error={errors['note']}>
        {(props) => <input {...props} type="text" maxLength={1000} value={note} onChange={(e) => setNote(e.target.value)} />}
      </Field>
      <FormActions pending={save.pending} label={submit.label} pendingLabel={submit.pendingLabel} onCancel={onCancel} />
    </form>
  );
}

const personOptions = (users: User[]) => users.map((u) => ({ value: u.id, label: u.name || u.email }));

function OverrideForm({
  scheduleId,
  selection,
  users,
  zone,
  onDone,
  onCancel,
}: {
  scheduleId: string;
  selection: { start: string; end: string; userId: string | null };
  users: User[];
  zone: string;
  onDone: (o: OverrideView) => void;
  onCancel: () => void;
}) {
  return (
    <PersonRangeForm
      selection={selection}
      zone={zone}
      person={{
        name: 'userId',
        label: 'On call instead',
        options: [...personOptions(users.filter((u) => u.id !== selection.userId)), { value: 'nobody', label: 'Nobody (leave this time uncovered)' }],
        missing: 'Choose who is on call instead.',
      }}
      submit={{
        label: 'Add override',
        pendingLabel: 'Adding…',
        run: async (userId, start, end, note) =>
          onDone(await schedulesApi.addOverride(scheduleId, { userId: userId === 'nobody' ? null : userId, start, end, ...(note ? { note } : {}) })),
      }}
      onCancel={onCancel}
    />
  );
}

function SwapForm({
  scheduleId,
  selection,
  users,
  zone,
  onDone,
  onCancel,
}: {
  scheduleId: string;
  selection: { start: string; end: string };
  users: User[];
  zone: string;
  onDone: (s: SwapView) => void;
  onCancel: () => void;
}) {
  return (
    <PersonRangeForm
      selection={selection}
      zone={zone}
      person={{ name: 'recipientId', label: 'Ask', hint: 'Nothing changes until they accept.', options: personOptions(users), missing: 'Choose who you are asking.' }}
      submit={{
        label: 'Send swap request',
        pendingLabel: 'Asking…',
        run: async (recipientId, start, end, note) => onDone(await schedulesApi.requestSwap(scheduleId, { recipientId, start, end, ...(note ? { note } : {}) })),
      }}
      onCancel={onCancel}
    />
  );
}

function LayersSection({ schedule }: { schedule: ScheduleDetail }) {
  const names = new Map(schedule.users.map((u) => [u.id, u.name]));
  return (
    <section className="panel" aria-labelledby="layers-heading">
      <h2 id="layers-heading">Layers</h2>
      <p className="muted small">Time zone: {schedule.timeZone}. A later layer wins where it has someone on call.</p>
      {schedule.layers.length === 0 ? <p className="empty-inline">No layers: nobody is on call.</p> : null}
      <ol className="layer-list">
        {schedule.layers.map((l) => (
          <li key={l.id}>
            <h3>
              <span className={sourceClass({ type: 'layer', layerId: l.id }, schedule.layers) + ' seg-swatch'} aria-hidden="true" />
              {l.name}
            </h3>
            <dl className="details">
              <div>
                <dt>People</dt>
                <dd>{l.participants.map((p) => names.get(p) ?? 'Unknown user').join(' → ')}</dd>
              </div>
              <div>
                <dt>Rotation</dt>
                <dd>
                  {describeRotation(l)}, handing off at {l.handoff.time} ({l.handoff.timeZone ?? schedule.timeZone}) from {l.handoff.date}
                </dd>
              </div>
              <div>
                <dt>Restrictions</dt>
                <dd>{l.restrictions?.length ? l.restrictions.map(describeRestriction).join('; ') : 'None: all the time'}</dd>
              </div>
            </dl>
          </li>
        ))}
      </ol>
    </section>
  );
}

function OverrideTable({ scheduleId, overrides, zone, editable, onDeleted }: { scheduleId: string; overrides: OverrideView[]; zone: string; editable: boolean; onDeleted: () => void }) {
  const remove = useAction();
  const confirm = useConfirm();
  if (overrides.length === 0) return <p className="empty-inline">No overrides in the next 14 days.</p>;
  return (
    <>
      <Message tone="error">{remove.error ? `Could not delete the override: ${errorText(remove.error)}` : null}</Message>
      <div className="table-wrap">
        <table className="table table-stack override-table">
          <caption className="visually-hidden">Upcoming overrides</caption>
          <thead>
            <tr>
              <th scope="col">On call</th>
              <th scope="col">From</th>
              <th scope="col">To</th>
              <th scope="col">Note</th>
              <th scope="col">Added by</th>
              {editable ? <th scope="col">Actions</th> : null}
            </tr>
          </thead>
          <tbody>
            {overrides.map((o) => {
              const who = o.user?.name ?? 'Nobody';
              return (
                <tr key={o.id}>
                  <th scope="row" data-label="On call">
                    {who}
                    {o.replacesUser ? <span className="muted small"> instead of {o.replacesUser.name}</span> : null}
                  </th>
                  <td data-label="From">
                    <When iso={o.start} viewerZone={zone} />
                  </td>
                  <td data-label="To">
                    <When iso={o.end} viewerZone={zone} />
                  </td>
                  <td data-label="Note">{o.note || <span className="muted">—</span>}</td>
                  <td data-label="Added by">{o.createdBy?.name ?? <span className="muted">—</span>}</td>
                  {editable ? (
                    <td data-label="Actions">
                      <button
                        type="button"
                        className="button button-small button-danger-quiet"
                        disabled={remove.pending}
                        aria-label={`Delete override: ${who} from ${toLocalInput(Date.parse(o.start), zone).replace('T', ' ')}`}
                        onClick={async () => {
                          const ok = await confirm({ title: 'Delete this override?', body: <p>The schedule goes back to its layers for this time.</p>, confirmLabel: 'Delete override', danger: true });
                          if (!ok) return;
                          const result = await remove.run(() => schedulesApi.deleteOverride(scheduleId, o.id));
                          if (result.ok) onDeleted();
                        }}
                      >
                        Delete
                      </button>
                    </td>
                  ) : null}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}

const SWAP_LABEL = { requested: 'Waiting for an answer', accepted: 'Accepted', declined: 'Declined', cancelled: 'Withdrawn' } as const;

function SwapTable({
  scheduleId,
  swaps,
  zone,
  meId,
  editable,
  admin,
  onDecided,
}: {
  scheduleId: string;
  swaps: SwapView[];
  zone: string;
  meId: string;
  editable: boolean;
  admin: boolean;
  onDecided: (message: string) => void;
}) {
  const decide = useAction();
  if (swaps.length === 0) return <p className="empty-inline">No swap requests.</p>;
  const act = async (swap: SwapView, verb: 'accept' | 'decline' | 'cancel') => {
    const result = await decide.run(() => schedulesApi.decideSwap(scheduleId, swap.id, verb));
    if (result.ok) onDecided(verb === 'accept' ? `Accepted: ${swap.recipient.name} takes the shift.` : verb === 'decline' ? 'Declined the swap.' : 'Withdrew the swap request.');
  };
  return (
    <>
      <Message tone="error">{decide.error ? `Could not answer the swap: ${errorText(decide.error)}` : null}</Message>
      <div className="table-wrap">
        <table className="table table-stack swap-table">
          <caption className="visually-hidden">Shift swaps</caption>
          <thead>
            <tr>
              <th scope="col">Request</th>
              <th scope="col">From</th>
              <th scope="col">To</th>
              <th scope="col">Status</th>
              {editable ? <th scope="col">Actions</th> : null}
            </tr>
          </thead>
          <tbody>
            {swaps.map((s) => (
              <tr key={s.id}>
                <th scope="row" data-label="Request">
                  {s.requester.name} asks {s.recipient.name}
                  {s.note ? <span className="muted small"> — {s.note}</span> : null}
                </th>
                <td data-label="From">
                  <When iso={s.start} viewerZone={zone} />
                </td>
                <td data-label="To">
                  <When iso={s.end} viewerZone={zone} />
                </td>
                <td data-label="Status">{SWAP_LABEL[s.status]}</td>
                {editable ? (
                  <td data-label="Actions" className="row-actions">
                    {s.status === 'requested' && (s.recipient.id === meId || admin) ? (
                      <>
                        <button type="button" className="button button-small button-primary" disabled={decide.pending} onClick={() => act(s, 'accept')}>
                          Accept
                        </button>
                        <button type="button" className="button button-small" disabled={decide.pending} onClick={() => act(s, 'decline')}>
                          Decline
                        </button>
                      </>
                    ) : null}
                    {s.status === 'requested' && s.requester.id === meId ? (
                      <button type="button" className="button button-small" disabled={decide.pending} onClick={() => act(s, 'cancel')}>
                        Withdraw
                      </button>
                    ) : null}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
