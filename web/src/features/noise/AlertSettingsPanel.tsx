// A service's alert settings: how its alerts group into incidents and how severity maps to urgency.
import { useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { splitFieldErrors } from '../../app/api.ts';
import { canEdit, useCurrentUser } from '../../app/auth.tsx';
import { useAction, useFocusFirstInvalid, useResource } from '../../app/hooks.ts';
import { Field, FormActions, LoadError, Loading, Message, timeZoneOptions } from '../../app/ui.tsx';
import { SEVERITIES } from '../alerts/api.ts';
import type { Severity } from '../alerts/api.ts';
import { SEVERITY_LABEL } from '../alerts/format.tsx';
import type { Service } from '../services/api.ts';
import { noiseApi } from './api.ts';
import type { AlertSettings, Grouping, SupportHours, Urgency, UrgencyRule } from './api.ts';
import { useDisclosure } from './useDisclosure.ts';

const DEFAULT_URGENCY: Record<Severity, Urgency> = { critical: 'high', error: 'high', warning: 'low', info: 'low' };
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

const minutes = (n: number) => (n === 1 ? '1 minute' : `${n} minutes`);

export function describeGrouping(grouping: AlertSettings['grouping']): string {
  const within = (n: number | undefined) => (n ? `opened in the last ${minutes(n)}` : 'whatever its age');
  if (grouping.mode === 'time') return `Time window: a new alert joins the newest open incident ${within(grouping.windowMinutes)}.`;
  if (grouping.mode === 'content') {
    return `Content: a new alert joins the open incident ${within(grouping.windowMinutes)} whose alerts had the same ${(grouping.fields ?? []).join(', ')}.`;
  }
  return 'None: each alert opens its own incident.';
}

export function describeSupportHours(hours: SupportHours): string {
  const days = hours.days.length === 7 ? 'every day' : hours.days.map((d) => DAYS[d - 1]?.slice(0, 3) ?? String(d)).join(', ');
  return `${days}, ${hours.start}–${hours.end} (${hours.timeZone}); outside them urgency is ${hours.outsideHours === 'low' ? 'lowered to low' : 'unchanged'}.`;
}

export function AlertSettingsPanel({ service }: { service: Service }) {
  const user = useCurrentUser();
  const editable = canEdit(user);
  const settings = useResource((signal) => noiseApi.alertSettings(service.id, signal), `alert-settings:${service.id}`);
  const { open: editing, show, close, button, panel } = useDisclosure();
  const [status, setStatus] = useState<string | null>(null);

  return (
    <section className="panel" aria-labelledby="alert-settings-heading">
      <div className="section-header section-header-actions">
        <div>
          <h2 id="alert-settings-heading">Alert settings</h2>
          <p className="muted">How this service's alerts group into incidents, and which ones are urgent enough to page.</p>
        </div>
        {editable && !editing && settings.status === 'ready' ? (
          <button
            ref={button}
            type="button"
            className="button"
            onClick={() => {
              setStatus(null);
              show();
            }}
          >
            Edit alert settings
          </button>
        ) : null}
      </div>
      <Message tone="success">{status}</Message>
      {settings.status === 'loading' ? <Loading label="Loading alert settings…" /> : null}
      {settings.status === 'error' ? <LoadError error={settings.error} what="alert settings" onRetry={settings.reload} /> : null}
      {settings.status === 'ready' && !editing ? <AlertSettingsView settings={settings.data} /> : null}
      {settings.status === 'ready' && editing ? (
        <div ref={panel}>
          <AlertSettingsForm
            service={service}
            settings={settings.data}
            onSaved={(next) => {
              settings.setData(() => next);
              setStatus('Saved the alert settings.');
              close();
            }}
            onCancel={close}
          />
        </div>
      ) : null}
    </section>
  );
}

function AlertSettingsView({ settings }: { settings: AlertSettings }) {
  const effective = settings.effectiveUrgency;
  return (
    <dl className="details">
      <div>
        <dt>Grouping</dt>
        <dd>{describeGrouping(settings.grouping)}</dd>
      </div>
      <div>
        <dt>Urgency by severity</dt>
        <dd>
          {SEVERITIES.map((s) => `${SEVERITY_LABEL[s]}: ${effective.bySeverity[s]}`).join(' · ')}
          {settings.urgencyRule === null ? <span className="muted small"> (the defaults)</span> : null}
        </dd>
      </div>
      <div>
        <dt>Support hours</dt>
        <dd>{effective.supportHours ? describeSupportHours(effective.supportHours) : <span className="muted">None: urgency is the same at any hour</span>}</dd>
      </div>
    </dl>
  );
}

interface Values {
  mode: 'none' | 'time' | 'content';
  windowMinutes: string;
  fields: string;
  bySeverity: Record<Severity, Urgency>;
  supportHours: boolean;
  timeZone: string;
  days: number[];
  start: string;
  end: string;
  outsideHours: Urgency;
}

function toValues(settings: AlertSettings, fallbackZone: string): Values {
  const g = settings.grouping;
  const hours = settings.urgencyRule?.supportHours;
  return {
    mode: g.mode === 'time' || g.mode === 'content' ? g.mode : 'none',
    windowMinutes: String(g.windowMinutes ?? 0),
    fields: (g.fields ?? []).join(', '),
    bySeverity: { ...DEFAULT_URGENCY, ...settings.effectiveUrgency.bySeverity },
    supportHours: Boolean(hours),
    timeZone: hours?.timeZone ?? fallbackZone,
    days: hours?.days ?? [1, 2, 3, 4, 5],
    start: hours?.start ?? '09:00',
    end: hours?.end ?? '17:00',
    outsideHours: hours?.outsideHours ?? 'low',
  };
}

function toInput(values: Values): { grouping: Grouping; urgencyRule: UrgencyRule | null } {
  const windowMinutes = Number(values.windowMinutes);
  const grouping: Grouping =
    values.mode === 'time'
      ? { mode: 'time', windowMinutes }
      : values.mode === 'content'
        ? { mode: 'content', windowMinutes, fields: values.fields.split(',').map((f) => f.trim()).filter(Boolean) }
        : { mode: 'none' };
  const rule: UrgencyRule = {};
  const changed = SEVERITIES.filter((s) => values.bySeverity[s] !== DEFAULT_URGENCY[s]);
  if (changed.length) rule.bySeverity = Object.fromEntries(changed.map((s) => [s, values.bySeverity[s]]));
  if (values.supportHours) {
    rule.supportHours = { timeZone: values.timeZone, days: [...values.days].sort((a, b) => a - b), start: values.start, end: values.end, outsideHours: values.outsideHours };
  }
  return { grouping, urgencyRule: rule.bySeverity || rule.supportHours ? rule : null };
}

const FIELDS = [
  'grouping',
  'grouping.mode',
  'grouping.windowMinutes',
  'grouping.fields',
  'urgencyRule',
  'urgencyRule.supportHours',
  'urgencyRule.supportHours.timeZone',
  'urgencyRule.supportHours.days',
  'urgencyRule.supportHours.start',
  'urgencyRule.supportHours.end',
  'urgencyRule.supportHours.outsideHours',
  ...SEVERITIES.map((s) => `urgencyRule.bySeverity.${s}`),
];

function AlertSettingsForm({
  service,
  settings,
  onSaved,
  onCancel,
}: {
  service: Service;
  settings: AlertSettings;
  onSaved: (settings: AlertSettings) => void;
  onCancel: () => void;
}) {
  const user = useCurrentUser();
  const [values, setValues] = useState(() => toValues(settings, user.timeZone));
  const save = useAction();
  const formRef = useRef<HTMLFormElement>(null);
  const { byField, general } = splitFieldErrors(save.error, FIELDS);
  useFocusFirstInvalid(formRef, save.error);
  const zones = timeZoneOptions(values.timeZone);

  function set<K extends keyof Values>(key: K, value: Values[K]): void {
    setValues((prev) => ({ ...prev, [key]: value }));
  }

  async function handleSubmit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const result = await save.run(() => noiseApi.updateAlertSettings(service.id, toInput(values)));
    if (result.ok) onSaved(result.value);
  }

  const hoursError = (part: string) => byField[`urgencyRule.supportHours.${part}`];

  return (
    <form ref={formRef} className="form" onSubmit={handleSubmit}>
      <Message tone="error">{general}</Message>
      <div className="form-grid">
        <Field label="Grouping" name="grouping.mode" error={byField['grouping.mode'] ?? byField['grouping']}>
          {(props) => (
            <select {...props} value={values.mode} onChange={(e) => set('mode', e.target.value as Values['mode'])}>
              <option value="none">None: one incident per alert</option>
              <option value="time">Time window</option>
              <option value="content">Same content</option>
            </select>
          )}
        </Field>
        {values.mode !== 'none' ? (
          <Field label="Window (minutes)" name="grouping.windowMinutes" error={byField['grouping.windowMinutes']} hint="Join an incident opened this recently; 0: any open one.">
            {(props) => (
              <input {...props} type="number" min={0} max={1440} step={1} required value={values.windowMinutes} onChange={(e) => set('windowMinutes', e.target.value)} />
            )}
          </Field>
        ) : null}
        {values.mode === 'content' ? (
          <Field label="Fields that must be equal" name="grouping.fields" error={byField['grouping.fields']} hint="Comma-separated, e.g. source, alertname.">
            {(props) => <input {...props} type="text" required value={values.fields} onChange={(e) => set('fields', e.target.value)} />}
          </Field>
        ) : null}
      </div>

      <fieldset className="fieldset">
        <legend>Urgency by severity</legend>
        <div className="form-grid">
          {SEVERITIES.map((s) => (
            <Field key={s} label={`${SEVERITY_LABEL[s]} alerts`} name={`urgencyRule.bySeverity.${s}`} error={byField[`urgencyRule.bySeverity.${s}`]}>
              {(props) => (
                <select {...props} value={values.bySeverity[s]} onChange={(e) => set('bySeverity', { ...values.bySeverity, [s]: e.target.value as Urgency })}>
                  <option value="high">High urgency</option>
                  <option value="low">Low urgency</option>
                </select>
              )}
            </Field>
          ))}
        </div>
      </fieldset>

      <fieldset className="fieldset">
        <legend>Support hours</legend>
        <label className="check">
          <input type="checkbox" checked={values.supportHours} onChange={(e) => set('supportHours', e.target.checked)} />
          Use support hours
        </label>
        {values.supportHours ? (
          <>
            <div className="form-grid">
              <Field label="Time zone" name="urgencyRule.supportHours.timeZone" error={hoursError('timeZone')}>
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
              <Field label="From" name="urgencyRule.supportHours.start" error={hoursError('start')}>
                {(props) => <input {...props} type="time" required value={values.start} onChange={(e) => set('start', e.target.value)} />}
              </Field>
              <Field label="Until" name="urgencyRule.supportHours.end" error={hoursError('end')} hint="Exclusive, local wall-clock time.">
                {(props) => <input {...props} type="time" required value={values.end} onChange={(e) => set('end', e.target.value)} />}
              </Field>
              <Field label="Outside support hours" name="urgencyRule.supportHours.outsideHours" error={hoursError('outsideHours')}>
                {(props) => (
                  <select {...props} value={values.outsideHours} onChange={(e) => set('outsideHours', e.target.value as Urgency)}>
                    <option value="low">Lower urgency to low</option>
                    <option value="high">Keep urgency as it is</option>
                  </select>
                )}
              </Field>
            </div>
            <fieldset className="fieldset-inner" aria-describedby={hoursError('days') ? 'support-days-error' : undefined}>
              <legend>Days</legend>
              <div className="checks">
                {DAYS.map((day, i) => (
                  <label key={day} className="check">
                    <input
                      type="checkbox"
                      checked={values.days.includes(i + 1)}
                      onChange={(e) => set('days', e.target.checked ? [...values.days, i + 1] : values.days.filter((d) => d !== i + 1))}
                    />
                    {day}
                  </label>
                ))}
              </div>
              {hoursError('days') ? (
                <p className="field-error" id="support-days-error">
                  {hoursError('days')}
                </p>
              ) : null}
            </fieldset>
          </>
        ) : null}
      </fieldset>

      <FormActions pending={save.pending} label="Save alert settings" pendingLabel="Saving…" onCancel={onCancel} />
    </form>
  );
}
