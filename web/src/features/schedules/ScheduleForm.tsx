// Create or edit a schedule: its zone and its layers (participants, rotation, handoff, optional
// layer zone for follow-the-sun, restriction windows). The form checks itself with the core's
// checkSchedule as you type, and previews the next handoffs with the core's finalSchedule.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { ApiError, fieldName } from '../../app/api.ts';
import type { User } from '../../app/api.ts';
import { useCurrentUser } from '../../app/auth.tsx';
import { useFocusFirstInvalid, useResource } from '../../app/hooks.ts';
import { Field, Message, timeZoneOptions } from '../../app/ui.tsx';
import { schedulesApi } from './api.ts';
import { When, formatCoverage, toLocalInput, weekdayName } from './format.tsx';
import { ROTATION_UNITS, checkValues, layerIds, newLayer, newRestriction, preview } from './model.ts';
import type { LayerValues, RestrictionValues, ScheduleValues } from './model.ts';

const PREVIEW_DAYS = 14;
const PREVIEW_HANDOFFS = 10;
const MAX_LAYERS = 10;

export function ScheduleForm({
  initial,
  submitLabel,
  pendingLabel,
  pending,
  error,
  onSubmit,
  onCancel,
}: {
  initial: ScheduleValues;
  submitLabel: string;
  pendingLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (values: ScheduleValues) => void;
  onCancel: () => void;
}) {
  const me = useCurrentUser();
  const [values, setValues] = useState(initial);
  const [touched, setTouched] = useState<Set<string>>(() => new Set());
  const [submitted, setSubmitted] = useState(0);
  const [now, setNow] = useState(() => new Date());
  const users = useResource((signal) => schedulesApi.users(signal), 'users');
  const teams = useResource((signal) => schedulesApi.teams(signal), 'teams');
  const formRef = useRef<HTMLFormElement>(null);
  const zones = useMemo(() => timeZoneOptions(values.timeZone), [values.timeZone]);
  const userList = users.status === 'ready' ? users.data : [];

  useEffect(() => {
    const timer = window.setInterval(() => setNow(new Date()), 60_000);
    return () => window.clearInterval(timer);
  }, []);

  const clientErrors = useMemo(() => checkValues(values, now), [values, now]);
  const server = useMemo(() => serverErrors(error), [error]);
  // A client problem shows once its field was touched, or after a submit; the server's until edited.
  const errors: Record<string, string> = {};
  for (const [field, reason] of Object.entries(server.byField)) if (!touched.has(field)) errors[field] = reason;
  for (const [field, reason] of Object.entries(clientErrors)) {
    if (submitted > 0 || [...touched].some((t) => field === t || field.startsWith(`${t}.`) || t.startsWith(`${field}.`))) errors[field] = reason;
  }
  useFocusFirstInvalid(formRef, submitted > 0 ? (Object.keys(clientErrors).length ? `${submitted}` : error) : error);
  const shown = useMemo(() => preview(values, now, PREVIEW_DAYS), [values, now]);

  // Keyboard users keep their place: after adding, moving or removing a layer, focus goes to the
  // new layer's name, the moved layer's button, or "Add layer".
  const pendingFocus = useRef<{ key: string; selector: string } | null>(null);
  useEffect(() => {
    const target = pendingFocus.current;
    if (!target) return;
    pendingFocus.current = null;
    const root = formRef.current;
    const layer = root?.querySelector<HTMLElement>(`[data-layer-key="${target.key}"]`);
    const wanted = target.key === 'add' ? root?.querySelector<HTMLElement>('.layer-add') : layer?.querySelector<HTMLElement>(target.selector);
    const fallback = layer?.querySelector<HTMLElement>('.layer-tools button:not([disabled])');
    (wanted && !(wanted as HTMLButtonElement).disabled ? wanted : fallback)?.focus();
  }, [values.layers]);

  function touch(field: string): void {
    setTouched((prev) => (prev.has(field) ? prev : new Set(prev).add(field)));
  }
  function set<K extends keyof ScheduleValues>(key: K, value: ScheduleValues[K]): void {
    touch(key);
    setValues((prev) => ({ ...prev, [key]: value }));
  }
  function setLayer(index: number, patch: Partial<LayerValues>, field: string): void {
    touch(`layers.${index}.${field}`);
    setValues((prev) => ({ ...prev, layers: prev.layers.map((l, i) => (i === index ? { ...l, ...patch } : l)) }));
  }
  function setLayers(layers: LayerValues[]): void {
    // Moving or removing layers renumbers fields: forget what was touched rather than mislabel it.
    setTouched(new Set());
    setValues((prev) => ({ ...prev, layers }));
  }

  function handleSubmit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    setSubmitted((n) => n + 1);
    setTouched(new Set());
    if (Object.keys(checkValues(values, new Date())).length > 0) return;
    onSubmit(values);
  }

  const general = error ? server.general : submitted > 0 && Object.keys(clientErrors).length ? 'Please correct the highlighted fields.' : null;
  const today = toLocalInput(Date.now(), values.timeZone || me.timeZone).slice(0, 10);

  return (
    <form ref={formRef} className="form form-wide schedule-form" onSubmit={handleSubmit} noValidate>
      <Message tone="error">{general}</Message>
      <div className="form-grid">
        <Field label="Name" name="name" error={errors['name']}>
          {(props) => <input {...props} type="text" required maxLength={100} value={values.name} onChange={(e) => set('name', e.target.value)} />}
        </Field>
        <Field label="Time zone" name="timeZone" error={errors['timeZone']} hint="Handoffs and restrictions are read in this zone unless a layer names its own.">
          {(props) => (
            <select {...props} value={values.timeZone} onChange={(e) => set('timeZone', e.target.value)}>
              {zones.map((z) => (
                <option key={z} value={z}>
                  {z}
                </option>
              ))}
            </select>
          )}
        </Field>
        {teams.status === 'ready' && (teams.data.length > 0 || values.teamId) ? (
          <Field label="Team" name="teamId" optional error={errors['teamId']}>
            {(props) => (
              <select {...props} value={values.teamId} onChange={(e) => set('teamId', e.target.value)}>
                <option value="">No team</option>
                {teams.data.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : null}
      </div>
      <Field label="Description" name="description" optional error={errors['description']}>
        {(props) => <textarea {...props} rows={2} value={values.description} onChange={(e) => set('description', e.target.value)} />}
      </Field>

      <h2 className="form-section-title">Layers</h2>
      <p className="field-hint">
        A later layer wins where it has someone on call; earlier layers fill the time it leaves empty.
      </p>
      {errors['layers'] ? <p className="field-error">{errors['layers']}</p> : null}
      {values.layers.length === 0 ? <p className="empty-inline">No layers: nobody is on call. Add a layer to start a rotation.</p> : null}
      {values.layers.map((layer, i) => (
        <LayerFields
          key={layer.key}
          index={i}
          count={values.layers.length}
          layer={layer}
          users={userList}
          zones={zones}
          scheduleZone={values.timeZone}
          errors={errors}
          onChange={(patch, field) => setLayer(i, patch, field)}
          onMove={(to) => {
            pendingFocus.current = { key: layer.key, selector: to < i ? '.layer-up' : '.layer-down' };
            const next = [...values.layers];
            const [moved] = next.splice(i, 1);
            next.splice(to, 0, moved!);
            setLayers(next);
          }}
          onRemove={() => {
            pendingFocus.current = { key: 'add', selector: '' };
            setLayers(values.layers.filter((_, j) => j !== i));
          }}
        />
      ))}
      {values.layers.length < MAX_LAYERS ? (
        <button
          type="button"
          className="button layer-add"
          onClick={() => {
            const layer = newLayer(values.layers.length, today);
            pendingFocus.current = { key: layer.key, selector: 'input' };
            setLayers([...values.layers, layer]);
          }}
        >
          Add layer
        </button>
      ) : null}

      <PreviewPanel preview={shown} users={userList} layers={values.layers} viewerZone={me.timeZone} scheduleZone={values.timeZone} />

      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={pending}>
          {pending ? pendingLabel : submitLabel}
        </button>
        <button type="button" className="button" onClick={onCancel} disabled={pending}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function serverErrors(error: unknown): { byField: Record<string, string>; general: string | null } {
  if (!error) return { byField: {}, general: null };
  if (!(error instanceof ApiError)) return { byField: {}, general: error instanceof Error ? error.message : 'Something went wrong.' };
  const byField: Record<string, string> = {};
  for (const { field, reason } of error.fields) {
    const name = fieldName(field);
    byField[name] = byField[name] ? `${byField[name]}; ${reason}` : reason;
  }
  return { byField, general: error.fields.length > 0 ? `${error.message} See the highlighted fields.` : error.message };
}

function LayerFields({
  index,
  count,
  layer,
  users,
  zones,
  scheduleZone,
  errors,
  onChange,
  onMove,
  onRemove,
}: {
  index: number;
  count: number;
  layer: LayerValues;
  users: User[];
  zones: string[];
  scheduleZone: string;
  errors: Record<string, string>;
  onChange: (patch: Partial<LayerValues>, field: string) => void;
  onMove: (to: number) => void;
  onRemove: () => void;
}) {
  const f = `layers.${index}`;
  const label = `layer ${index + 1}`;
  const [pick, setPick] = useState('');
  const pickRef = useRef<HTMLSelectElement>(null);
  const nameOf = (id: string) => users.find((u) => u.id === id)?.name || users.find((u) => u.id === id)?.email || 'Unknown user';
  const setParticipants = (participants: string[]) => onChange({ participants }, 'participants');
  const setRestriction = (j: number, patch: Partial<RestrictionValues>, field: string) =>
    onChange({ restrictions: layer.restrictions.map((r, k) => (k === j ? { ...r, ...patch } : r)) }, `restrictions.${j}.${field}`);
  const participantsError = errors[`${f}.participants`] ?? Object.entries(errors).find(([k]) => k.startsWith(`${f}.participants.`))?.[1];

  return (
    <fieldset className="fieldset layer-fieldset" data-layer-key={layer.key}>
      <legend>Layer {index + 1}</legend>
      <div className="layer-tools" role="group" aria-label={`Arrange ${label}`}>
        <button type="button" className="button button-small layer-up" disabled={index === 0} onClick={() => onMove(index - 1)} aria-label={`Move ${label} up`}>
          Move up
        </button>
        <button type="button" className="button button-small layer-down" disabled={index === count - 1} onClick={() => onMove(index + 1)} aria-label={`Move ${label} down`}>
          Move down
        </button>
        <button type="button" className="button button-small button-danger-quiet" onClick={onRemove} aria-label={`Remove ${label}`}>
          Remove
        </button>
      </div>
      <Field label="Layer name" name={`${f}.name`} error={errors[`${f}.name`]}>
        {(props) => <input {...props} type="text" maxLength={100} value={layer.name} onChange={(e) => onChange({ name: e.target.value }, 'name')} />}
      </Field>

      <fieldset className="fieldset-inner">
        <legend>People, in rotation order</legend>
        {participantsError ? (
          <p className="field-error" id={`${f}-participants-error`}>
            {participantsError}
          </p>
        ) : null}
        {layer.participants.length === 0 ? <p className="muted small">Nobody yet.</p> : null}
        <ol className="participants">
          {layer.participants.map((id, j) => (
            <li key={`${id}-${j}`}>
              <span className="participant-name">{nameOf(id)}</span>
              <span className="participant-tools">
                <button
                  type="button"
                  className="button button-small"
                  disabled={j === 0}
                  aria-label={`Move ${nameOf(id)} earlier in ${label}`}
                  onClick={() => setParticipants(swap(layer.participants, j, j - 1))}
                >
                  ↑
                </button>
                <button
                  type="button"
                  className="button button-small"
                  disabled={j === layer.participants.length - 1}
                  aria-label={`Move ${nameOf(id)} later in ${label}`}
                  onClick={() => setParticipants(swap(layer.participants, j, j + 1))}
                >
                  ↓
                </button>
                <button
                  type="button"
                  className="button button-small button-danger-quiet"
                  aria-label={`Remove ${nameOf(id)} from ${label}`}
                  onClick={() => {
                    setParticipants(layer.participants.filter((_, k) => k !== j));
                    pickRef.current?.focus();
                  }}
                >
                  Remove
                </button>
              </span>
            </li>
          ))}
        </ol>
        <div className="participant-add">
          <Field label={`Add a person to ${label}`} name={`${f}.participants`} error={undefined}>
            {(props) => (
              <select
                ref={pickRef}
                {...props}
                aria-invalid={participantsError ? true : undefined}
                aria-describedby={participantsError ? `${f}-participants-error` : undefined}
                value={pick}
                onChange={(e) => setPick(e.target.value)}
              >
                <option value="">Choose a person…</option>
                {users.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.name || u.email}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <button
            type="button"
            className="button"
            disabled={!pick}
            onClick={() => {
              setParticipants([...layer.participants, pick]);
              setPick('');
              pickRef.current?.focus();
            }}
          >
            Add to {label}
          </button>
        </div>
      </fieldset>

      <div className="form-grid">
        <Field label="Rotation unit" name={`${f}.rotation.unit`} error={errors[`${f}.rotation.unit`]}>
          {(props) => (
            <select {...props} value={layer.unit} onChange={(e) => onChange({ unit: e.target.value as LayerValues['unit'] }, 'rotation.unit')}>
              {ROTATION_UNITS.map((u) => (
                <option key={u} value={u}>
                  {u === 'hour' ? 'Hours' : u === 'day' ? 'Days' : u === 'week' ? 'Weeks' : 'Months'}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Shift length" name={`${f}.rotation.length`} error={errors[`${f}.rotation.length`]} hint="How many units each person is on for.">
          {(props) => (
            <input {...props} type="number" inputMode="numeric" min={1} step={1} value={layer.length} onChange={(e) => onChange({ length: e.target.value }, 'rotation.length')} />
          )}
        </Field>
        <Field label="First handoff date" name={`${f}.handoff.date`} error={errors[`${f}.handoff.date`]} hint="The first person starts then.">
          {(props) => <input {...props} type="date" value={layer.handoffDate} onChange={(e) => onChange({ handoffDate: e.target.value }, 'handoff.date')} />}
        </Field>
        <Field label="Handoff time" name={`${f}.handoff.time`} error={errors[`${f}.handoff.time`]}>
          {(props) => <input {...props} type="time" value={layer.handoffTime} onChange={(e) => onChange({ handoffTime: e.target.value }, 'handoff.time')} />}
        </Field>
        <Field
          label="Layer time zone"
          name={`${f}.handoff.timeZone`}
          error={errors[`${f}.handoff.timeZone`]}
          hint="For follow-the-sun: a layer's handoff and windows in its own zone."
        >
          {(props) => (
            <select {...props} value={layer.handoffZone} onChange={(e) => onChange({ handoffZone: e.target.value }, 'handoff.timeZone')}>
              <option value="">Same as the schedule ({scheduleZone})</option>
              {zones.map((z) => (
                <option key={z} value={z}>
                  {z}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>

      <fieldset className="fieldset-inner">
        <legend>Restrictions (optional)</legend>
        <p className="field-hint">Without any, the layer covers all the time. With some, only time inside a window; handoffs do not move.</p>
        {errors[`${f}.restrictions`] ? <p className="field-error">{errors[`${f}.restrictions`]}</p> : null}
        {layer.restrictions.map((r, j) => {
          const rf = `${f}.restrictions.${j}`;
          const rl = `restriction ${j + 1} of ${label}`;
          return (
            <div className="restriction-row" key={j} role="group" aria-label={`Restriction ${j + 1}`}>
              <RowField label={`Kind of ${rl}`} short="Kind" error={errors[`${rf}.kind`]} name={`${rf}.kind`}>
                {(props) => (
                  <select {...props} value={r.kind} onChange={(e) => setRestriction(j, { kind: e.target.value as RestrictionValues['kind'] }, 'kind')}>
                    <option value="daily">Every day</option>
                    <option value="weekly">Weekly</option>
                  </select>
                )}
              </RowField>
              {r.kind === 'weekly' ? <DaySelect label={`Start day of ${rl}`} short="From day" name={`${rf}.startDay`} value={r.startDay} error={errors[`${rf}.startDay`]} onChange={(v) => setRestriction(j, { startDay: v }, 'startDay')} /> : null}
              <RowField label={`Start of ${rl}`} short="From" error={errors[`${rf}.start`] ?? errors[rf]} name={`${rf}.start`}>
                {(props) => <input {...props} type="time" value={r.start} onChange={(e) => setRestriction(j, { start: e.target.value }, 'start')} />}
              </RowField>
              {r.kind === 'weekly' ? <DaySelect label={`End day of ${rl}`} short="To day" name={`${rf}.endDay`} value={r.endDay} error={errors[`${rf}.endDay`]} onChange={(v) => setRestriction(j, { endDay: v }, 'endDay')} /> : null}
              <RowField label={`End of ${rl}`} short="To" error={errors[`${rf}.end`]} name={`${rf}.end`}>
                {(props) => <input {...props} type="time" value={r.end} onChange={(e) => setRestriction(j, { end: e.target.value }, 'end')} />}
              </RowField>
              <button
                type="button"
                className="button button-small button-danger-quiet restriction-remove"
                aria-label={`Remove ${rl}`}
                onClick={() => onChange({ restrictions: layer.restrictions.filter((_, k) => k !== j) }, 'restrictions')}
              >
                Remove
              </button>
            </div>
          );
        })}
        <button type="button" className="button button-small" onClick={() => onChange({ restrictions: [...layer.restrictions, newRestriction()] }, 'restrictions')}>
          Add restriction to {label}
        </button>
      </fieldset>
    </fieldset>
  );
}

function swap<T>(list: readonly T[], a: number, b: number): T[] {
  const next = [...list];
  [next[a], next[b]] = [next[b]!, next[a]!];
  return next;
}

/** A compact field in a row: a short visible label, the full one for assistive tech. */
function RowField({
  label,
  short,
  name,
  error,
  children,
}: {
  label: string;
  short: string;
  name: string;
  error: string | undefined;
  children: (props: { id: string; name: string; 'aria-label': string; 'aria-invalid': true | undefined; 'aria-describedby': string | undefined }) => ReactNode;
}) {
  const id = `f-${name.replace(/\./g, '-')}`;
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={id} aria-hidden="true">
        {short}
      </label>
      {children({ id, name, 'aria-label': label, 'aria-invalid': error ? true : undefined, 'aria-describedby': error ? `${id}-error` : undefined })}
      {error ? (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

function DaySelect({ label, short, name, value, error, onChange }: { label: string; short: string; name: string; value: string; error: string | undefined; onChange: (v: string) => void }) {
  return (
    <RowField label={label} short={short} name={name} error={error}>
      {(props) => (
        <select {...props} value={value} onChange={(e) => onChange(e.target.value)}>
          {[1, 2, 3, 4, 5, 6, 7].map((d) => (
            <option key={d} value={String(d)}>
              {weekdayName(d)}
            </option>
          ))}
        </select>
      )}
    </RowField>
  );
}

function PreviewPanel({
  preview: shown,
  users,
  layers,
  viewerZone,
  scheduleZone,
}: {
  preview: ReturnType<typeof preview>;
  users: User[];
  layers: LayerValues[];
  viewerZone: string;
  scheduleZone: string;
}) {
  const nameOf = (id: string) => users.find((u) => u.id === id)?.name || 'Unknown user';
  const ids = layerIds(layers);
  const layerName = (layerId: string) => layers[ids.indexOf(layerId)]?.name || layerId;
  const from = shown ? Date.parse(shown.from) : 0;
  const handoffs = shown ? shown.result.shifts.filter((s) => Date.parse(s.start) > from).slice(0, PREVIEW_HANDOFFS) : [];
  const current = shown ? shown.result.shifts.filter((s) => Date.parse(s.start) <= from) : [];
  return (
    <section className="subpanel preview" aria-labelledby="preview-heading" aria-live="polite">
      <h2 id="preview-heading">Preview</h2>
      <p className="muted small">
        Computed in your browser with the same rules that page people, from now for {PREVIEW_DAYS} days; overrides are not included. Times in {viewerZone}
        {viewerZone !== scheduleZone ? `, with ${scheduleZone} in brackets` : ''}.
      </p>
      {!shown ? (
        <p className="empty-inline">Fix the highlighted fields to see a preview.</p>
      ) : (
        <>
          <p>
            On call now:{' '}
            {current.length ? current.map((s) => nameOf(s.userId)).join(', ') : <strong className="gap-text">nobody</strong>}.{' '}
            Coverage of the next {PREVIEW_DAYS} days: <strong>{formatCoverage(shown.result.coverage)}</strong>
            {shown.result.gaps.length ? (
              <span className="gap-warning">
                {' '}
                <span aria-hidden="true">⚠ </span>
                {shown.result.gaps.length} {shown.result.gaps.length === 1 ? 'gap' : 'gaps'} with nobody on call
              </span>
            ) : null}
          </p>
          <h3>Next handoffs</h3>
          {handoffs.length === 0 ? <p className="empty-inline">No handoffs in the next {PREVIEW_DAYS} days.</p> : null}
          <ol className="preview-handoffs" aria-label="Next handoffs">
            {handoffs.map((s) => {
              return (
                <li key={`${s.start}-${s.userId}`}>
                  <When iso={s.start} viewerZone={viewerZone} scheduleZone={scheduleZone} />: <strong className="preview-person">{nameOf(s.userId)}</strong>{' '}
                  <span className="muted small">({s.source.type === 'layer' ? layerName(s.source.layerId) : 'override'})</span>
                </li>
              );
            })}
          </ol>
        </>
      )}
    </section>
  );
}
