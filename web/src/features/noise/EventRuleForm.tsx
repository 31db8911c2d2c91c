// A new event rule: a name, its scope (global: admins only, or one service), matchers as rows, what
// it does (drop; or route, re-grade and/or suppress) and optionally its place in the order.
import { useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { splitFieldErrors } from '../../app/api.ts';
import { useCurrentUser } from '../../app/auth.tsx';
import { useAction, useFocusFirstInvalid } from '../../app/hooks.ts';
import { Field, FormActions, Message } from '../../app/ui.tsx';
import { SEVERITIES } from '../alerts/api.ts';
import type { Severity } from '../alerts/api.ts';
import { SEVERITY_LABEL } from '../alerts/format.tsx';
import type { Service } from '../services/api.ts';
import { noiseApi } from './api.ts';
import type { EventRule, Matcher, RuleActions } from './api.ts';
import { MatcherRows, matcherFields } from './MatcherRows.tsx';

const GLOBAL = 'global';
const ACTION_FIELDS = ['actions', 'actions.routeToServiceId', 'actions.severity', 'actions.suppress', 'actions.drop'];

export function EventRuleForm({ services, onCreated, onCancel }: { services: Service[]; onCreated: (rule: EventRule) => void; onCancel: () => void }) {
  const user = useCurrentUser();
  const admin = user.role === 'admin';
  const [name, setName] = useState('');
  const [scope, setScope] = useState('');
  const [matchers, setMatchers] = useState<Matcher[]>([{ name: 'source', op: '=', value: '' }]);
  const [drop, setDrop] = useState(false);
  const [suppress, setSuppress] = useState(false);
  const [severity, setSeverity] = useState<Severity | ''>('');
  const [routeTo, setRouteTo] = useState('');
  const [position, setPosition] = useState('');
  const [scopeError, setScopeError] = useState<string | null>(null);
  const save = useAction();
  const formRef = useRef<HTMLFormElement>(null);
  const { byField, general } = splitFieldErrors(save.error, ['name', 'serviceId', 'position', ...ACTION_FIELDS, ...matcherFields(matchers.length)]);
  useFocusFirstInvalid(formRef, save.error ?? scopeError);
  const actionsError = ACTION_FIELDS.map((f) => byField[f]).filter(Boolean).join('; ') || undefined;

  async function handleSubmit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    save.reset();
    if (!scope) {
      setScopeError('Choose where the rule applies.');
      return;
    }
    setScopeError(null);
    // Dropping excludes the other actions (their inputs are disabled then, but keep their values).
    const actions: RuleActions = {};
    if (drop) actions.drop = true;
    else {
      if (suppress) actions.suppress = true;
      if (severity) actions.severity = severity;
      if (routeTo && scope === GLOBAL) actions.routeToServiceId = routeTo;
    }
    const body = {
      name: name.trim(),
      serviceId: scope === GLOBAL ? null : scope,
      matchers: matchers.map((m) => ({ name: m.name.trim(), op: m.op, value: m.value })),
      actions,
      ...(position ? { position: Number(position) } : {}),
    };
    const result = await save.run(() => noiseApi.createEventRule(body));
    if (result.ok) onCreated(result.value);
  }

  return (
    <form ref={formRef} className="form form-wide" onSubmit={handleSubmit} noValidate>
      <Message tone="error">{general}</Message>
      <div className="form-grid">
        <Field label="Rule name" name="name" error={byField['name']}>
          {(props) => <input {...props} type="text" required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field
          label="Applies to"
          name="serviceId"
          error={scopeError ?? byField['serviceId']}
          hint={admin ? 'Global rules run first, on every event, and may route it to another service.' : 'Global rules are for admins.'}
        >
          {(props) => (
            <select {...props} required value={scope} onChange={(e) => setScope(e.target.value)}>
              <option value="">Choose…</option>
              {admin ? <option value={GLOBAL}>Every event (global)</option> : null}
              {services.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <MatcherRows
        matchers={matchers}
        onChange={setMatchers}
        byField={byField}
        hint="The rule applies to an event when every matcher matches its labels and fields (summary, severity, source, component, service, …)."
      />
      <fieldset className="fieldset" aria-describedby={actionsError ? 'rule-actions-error' : undefined}>
        <legend>What it does</legend>
        <div className="checks">
          <label className="check">
            <input type="checkbox" checked={drop} onChange={(e) => setDrop(e.target.checked)} />
            Drop the event (log only, no alert)
          </label>
          <label className="check">
            <input type="checkbox" checked={suppress} onChange={(e) => setSuppress(e.target.checked)} disabled={drop} />
            Suppress (record the alert, page nobody)
          </label>
        </div>
        <div className="form-grid">
          <Field label="Set severity" name="actions.severity" optional>
            {(props) => (
              <select {...props} value={severity} onChange={(e) => setSeverity(e.target.value as Severity | '')} disabled={drop}>
                <option value="">Leave as sent</option>
                {SEVERITIES.map((s) => (
                  <option key={s} value={s}>
                    {SEVERITY_LABEL[s]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {scope === GLOBAL ? (
            <Field label="Route to service" name="actions.routeToServiceId" optional>
              {(props) => (
                <select {...props} value={routeTo} onChange={(e) => setRouteTo(e.target.value)} disabled={drop}>
                  <option value="">Keep its service</option>
                  {services.map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          ) : null}
        </div>
        {actionsError ? (
          <p className="field-error" id="rule-actions-error">
            {actionsError}
          </p>
        ) : null}
      </fieldset>
      <Field label="Position" name="position" optional error={byField['position']} hint="1 runs first among the rules of its scope; empty: last.">
        {(props) => <input {...props} type="number" min={1} max={1000} step={1} inputMode="numeric" value={position} onChange={(e) => setPosition(e.target.value)} />}
      </Field>
      <FormActions pending={save.pending} label="Add event rule" pendingLabel="Adding…" onCancel={onCancel} />
    </form>
  );
}
