// The policy form: name, description, repeat, the acknowledgement timeout and the ordered levels, each with its delay, mode and
// targets (people, schedules, teams). Server field errors ("levels.1.targets.0.id") land at their inputs.
import { useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { splitFieldErrors } from '../../app/api.ts';
import { useFocusFirstInvalid, useResource } from '../../app/hooks.ts';
import { Field, FormActions, Message } from '../../app/ui.tsx';
import { schedulesApi } from '../schedules/api.ts';
import { MODE_LABEL, TYPE_LABEL } from './api.ts';
import type { Mode, Policy, PolicyInput, TargetType, TargetView } from './api.ts';

interface LevelValues {
  key: number;
  delayMinutes: string;
  mode: Mode;
  targets: TargetView[];
}

export interface PolicyValues {
  name: string;
  description: string;
  repeat: string;
  /** Empty: an acknowledgement holds until resolved. */
  ackTimeoutMinutes: string;
  levels: LevelValues[];
}

let nextKey = 1;
export const newLevel = (): LevelValues => ({ key: nextKey++, delayMinutes: '15', mode: 'all', targets: [] });

export function valuesOf(policy: Policy): PolicyValues {
  return {
    name: policy.name,
    description: policy.description,
    repeat: String(policy.repeat),
    ackTimeoutMinutes: policy.ackTimeoutMinutes === null ? '' : String(policy.ackTimeoutMinutes),
    levels: policy.levels.map((l) => ({ key: nextKey++, delayMinutes: String(l.delayMinutes), mode: l.mode, targets: l.targets })),
  };
}

export function toInput(values: PolicyValues): PolicyInput {
  const number = (text: string) => (text.trim() === '' ? 0 : Number(text));
  return {
    name: values.name,
    description: values.description,
    repeat: number(values.repeat),
    ackTimeoutMinutes: values.ackTimeoutMinutes.trim() === '' ? null : Number(values.ackTimeoutMinutes),
    levels: values.levels.map((l) => ({ delayMinutes: number(l.delayMinutes), mode: l.mode, targets: l.targets.map((t) => ({ type: t.type, id: t.id })) })),
  };
}

interface Choices {
  users: { id: string; name: string }[];
  schedules: { id: string; name: string }[];
  teams: { id: string; name: string }[];
}

async function loadChoices(signal: AbortSignal): Promise<Choices> {
  const [users, schedules, teams] = await Promise.all([schedulesApi.users(signal), schedulesApi.list(signal), schedulesApi.teams(signal)]);
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
  return { users: [...users].sort(byName), schedules: [...schedules].sort(byName), teams: [...teams].sort(byName) };
}

/** Every input name the server may name an error for, so splitFieldErrors can place it. */
function knownFields(levels: readonly LevelValues[]): string[] {
  const names = ['name', 'description', 'repeat', 'ackTimeoutMinutes', 'levels'];
  levels.forEach((l, i) => {
    names.push(`levels.${i}`, `levels.${i}.delayMinutes`, `levels.${i}.mode`, `levels.${i}.targets`);
    l.targets.forEach((_, j) => names.push(`levels.${i}.targets.${j}`, `levels.${i}.targets.${j}.id`, `levels.${i}.targets.${j}.type`));
  });
  return names;
}

export function PolicyForm({
  initial,
  submitLabel,
  pendingLabel,
  pending,
  error,
  onSubmit,
  onCancel,
}: {
  initial: PolicyValues;
  submitLabel: string;
  pendingLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (values: PolicyValues) => void;
  onCancel: () => void;
}) {
  const [values, setValues] = useState(initial);
  const choices = useResource(loadChoices, 'policy-choices');
  const form = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(form, error);
  const { byField, general } = splitFieldErrors(error, knownFields(values.levels));

  const setLevel = (index: number, change: Partial<LevelValues>) =>
    setValues((v) => ({ ...v, levels: v.levels.map((l, i) => (i === index ? { ...l, ...change } : l)) }));
  const move = (index: number, by: number) =>
    setValues((v) => {
      const levels = [...v.levels];
      const [level] = levels.splice(index, 1);
      levels.splice(index + by, 0, level!);
      return { ...v, levels };
    });

  function handleSubmit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    onSubmit(values);
  }

  return (
    <form ref={form} className="form form-wide" onSubmit={handleSubmit}>
      <Message tone="error">{general}</Message>
      <Field label="Name" name="name" error={byField['name']}>
        {(props) => <input {...props} required maxLength={200} value={values.name} onChange={(e) => setValues({ ...values, name: e.target.value })} />}
      </Field>
      <Field label="Description" name="description" optional error={byField['description']}>
        {(props) => <textarea {...props} maxLength={2000} rows={2} value={values.description} onChange={(e) => setValues({ ...values, description: e.target.value })} />}
      </Field>
      <Field label="Repeat" name="repeat" error={byField['repeat']} hint="Extra passes over all the levels after the first, while nobody acknowledges (0–9).">
        {(props) => <input {...props} type="number" inputMode="numeric" required value={values.repeat} onChange={(e) => setValues({ ...values, repeat: e.target.value })} />}
      </Field>
      <Field
        label="Acknowledgement timeout (minutes)"
        name="ackTimeoutMinutes"
        optional
        error={byField['ackTimeoutMinutes']}
        hint="An acknowledged incident still open after this long is triggered again and escalates from level 1 (1–1440). Empty: an acknowledgement holds until resolved."
      >
        {(props) => (
          <input {...props} type="number" inputMode="numeric" value={values.ackTimeoutMinutes} onChange={(e) => setValues({ ...values, ackTimeoutMinutes: e.target.value })} />
        )}
      </Field>
      {byField['levels'] ? <p className="field-error">{byField['levels']}</p> : null}
      {values.levels.map((level, i) => (
        <fieldset key={level.key} className="fieldset layer-fieldset">
          <legend>Level {i + 1}</legend>
          {byField[`levels.${i}`] ? <p className="field-error">{byField[`levels.${i}`]}</p> : null}
          <Field
            label="Delay (minutes)"
            name={`levels.${i}.delayMinutes`}
            error={byField[`levels.${i}.delayMinutes`]}
            hint="Minutes to wait after this level pages before the next level pages (1–1440)."
          >
            {(props) => <input {...props} type="number" inputMode="numeric" required value={level.delayMinutes} onChange={(e) => setLevel(i, { delayMinutes: e.target.value })} />}
          </Field>
          <Field label="Mode" name={`levels.${i}.mode`} error={byField[`levels.${i}.mode`]} hint="Everyone: page everyone the targets resolve to. Round-robin: one of them each time, the next one next time.">
            {(props) => (
              <select {...props} value={level.mode} onChange={(e) => setLevel(i, { mode: e.target.value as Mode })}>
                {(Object.keys(MODE_LABEL) as Mode[]).map((m) => (
                  <option key={m} value={m}>
                    {MODE_LABEL[m]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <fieldset className="fieldset-inner">
            <legend>Targets of level {i + 1}</legend>
            {level.targets.length === 0 ? <p className="muted small">No targets yet: add a schedule, a person or a team.</p> : null}
            <ul className="participants target-list" aria-label={`Targets of level ${i + 1}`}>
              {level.targets.map((t, j) => {
                const problem = [byField[`levels.${i}.targets.${j}`], byField[`levels.${i}.targets.${j}.id`], byField[`levels.${i}.targets.${j}.type`]].filter(Boolean).join('; ');
                const label = t.name ?? '(deleted)';
                return (
                  <li key={`${t.type}:${t.id}`} className={problem ? 'field-invalid' : undefined}>
                    <span>
                      {TYPE_LABEL[t.type]}: <strong>{label}</strong>
                    </span>{' '}
                    <button
                      type="button"
                      className="button button-small"
                      aria-label={`Remove ${label} from level ${i + 1}`}
                      aria-describedby={problem ? `level-${i}-target-${j}-error` : undefined}
                      onClick={() => setLevel(i, { targets: level.targets.filter((_, k) => k !== j) })}
                    >
                      Remove
                    </button>
                    {problem ? (
                      <p className="field-error" id={`level-${i}-target-${j}-error`} data-field={`levels.${i}.targets.${j}.id`}>
                        {problem}
                      </p>
                    ) : null}
                  </li>
                );
              })}
            </ul>
            {byField[`levels.${i}.targets`] ? <p className="field-error">{byField[`levels.${i}.targets`]}</p> : null}
            <TargetPicker
              index={i}
              choices={choices.status === 'ready' ? choices.data : null}
              taken={level.targets}
              onAdd={(target) => setLevel(i, { targets: [...level.targets, target] })}
            />
          </fieldset>
          <div className="layer-tools">
            <button type="button" className="button button-small" disabled={i === 0} onClick={() => move(i, -1)}>
              Move level {i + 1} up
            </button>
            <button type="button" className="button button-small" disabled={i === values.levels.length - 1} onClick={() => move(i, 1)}>
              Move level {i + 1} down
            </button>
            <button
              type="button"
              className="button button-small button-danger-quiet"
              disabled={values.levels.length === 1}
              onClick={() => setValues((v) => ({ ...v, levels: v.levels.filter((_, k) => k !== i) }))}
            >
              Remove level {i + 1}
            </button>
          </div>
        </fieldset>
      ))}
      <p>
        <button
          type="button"
          className="button"
          onClick={() => {
            const index = values.levels.length;
            setValues((v) => ({ ...v, levels: [...v.levels, newLevel()] }));
            // The new level's first input gets focus, so keyboard users carry on where it appeared.
            requestAnimationFrame(() => form.current?.querySelector<HTMLElement>(`[name="levels.${index}.delayMinutes"]`)?.focus());
          }}
        >
          Add level
        </button>
      </p>
      <FormActions pending={pending} label={submitLabel} pendingLabel={pendingLabel} onCancel={onCancel} />
    </form>
  );
}

function TargetPicker({
  index,
  choices,
  taken,
  onAdd,
}: {
  index: number;
  choices: Choices | null;
  taken: readonly TargetView[];
  onAdd: (target: TargetView) => void;
}) {
  const [picked, setPicked] = useState('');
  const select = useRef<HTMLSelectElement>(null);
  const isTaken = (type: TargetType, id: string) => taken.some((t) => t.type === type && t.id === id);
  const groups: { type: TargetType; label: string; items: { id: string; name: string }[] }[] = choices
    ? [
        { type: 'schedule', label: 'Schedules (whoever is on call)', items: choices.schedules },
        { type: 'user', label: 'People', items: choices.users },
        { type: 'team', label: 'Teams (every member)', items: choices.teams },
      ]
    : [];

  function add(): void {
    const [type, id] = picked.split(':') as [TargetType, string];
    const item = groups.find((g) => g.type === type)?.items.find((x) => x.id === id);
    if (!item) return;
    onAdd({ type, id, name: item.name });
    setPicked('');
    select.current?.focus();
  }

  const id = `level-${index}-target-picker`;
  return (
    <div className="participant-add">
      <div className="field">
        <label htmlFor={id}>Add a target to level {index + 1}</label>
        <select id={id} ref={select} name={`levels.${index}.targets`} value={picked} onChange={(e) => setPicked(e.target.value)} disabled={!choices}>
        <option value="">{choices ? 'Choose…' : 'Loading…'}</option>
        {groups.map((g) => (
          <optgroup key={g.type} label={g.label}>
            {g.items.map((item) => (
              <option key={item.id} value={`${g.type}:${item.id}`} disabled={isTaken(g.type, item.id)}>
                {item.name}
              </option>
            ))}
          </optgroup>
        ))}
        </select>
      </div>
      <button type="button" className="button button-small" onClick={add} disabled={!picked}>
        Add to level {index + 1}
      </button>
    </div>
  );
}
