// The service fields, shared by "New service" and "Edit details".
import { useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { splitFieldErrors } from '../../app/api.ts';
import { useFocusFirstInvalid, useResource } from '../../app/hooks.ts';
import { Field, Message } from '../../app/ui.tsx';
import { servicesApi } from './api.ts';
import type { Service, ServiceInput } from './api.ts';

const FIELDS = ['name', 'description', 'teamId', 'runbookUrl'];

export interface ServiceFormValues {
  name: string;
  description: string;
  teamId: string;
  runbookUrl: string;
}

export function toValues(service?: Service): ServiceFormValues {
  return {
    name: service?.name ?? '',
    description: service?.description ?? '',
    teamId: service?.teamId ?? '',
    runbookUrl: service?.runbookUrl ?? '',
  };
}

/** Turns form values into an API body. `clearEmpty` sends null for emptied optional fields (for PATCH). */
export function toInput(values: ServiceFormValues, clearEmpty: boolean): ServiceInput {
  const input: ServiceInput = { name: values.name.trim(), description: values.description.trim() };
  const runbookUrl = values.runbookUrl.trim();
  if (runbookUrl) input.runbookUrl = runbookUrl;
  else if (clearEmpty) input.runbookUrl = null;
  if (values.teamId) input.teamId = values.teamId;
  else if (clearEmpty) input.teamId = null;
  return input;
}

export function ServiceForm({
  initial,
  submitLabel,
  pendingLabel,
  pending,
  error,
  onSubmit,
  onCancel,
}: {
  initial: ServiceFormValues;
  submitLabel: string;
  pendingLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (values: ServiceFormValues) => void;
  onCancel?: () => void;
}) {
  const [values, setValues] = useState(initial);
  const teams = useResource((signal) => servicesApi.teams(signal), 'teams');
  const { byField, general } = splitFieldErrors(error, FIELDS);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, error);
  const teamList = teams.status === 'ready' ? teams.data : [];

  function set<K extends keyof ServiceFormValues>(key: K, value: ServiceFormValues[K]): void {
    setValues((prev) => ({ ...prev, [key]: value }));
  }

  function handleSubmit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    onSubmit(values);
  }

  return (
    <form ref={formRef} className="form" onSubmit={handleSubmit}>
      <Message tone="error">{general}</Message>
      <Field label="Name" name="name" error={byField['name']} hint="Short and recognisable, like “Checkout API”.">
        {(props) => (
          <input {...props} type="text" required maxLength={200} value={values.name} onChange={(e) => set('name', e.target.value)} />
        )}
      </Field>
      <Field label="Description" name="description" optional error={byField['description']}>
        {(props) => <textarea {...props} rows={3} value={values.description} onChange={(e) => set('description', e.target.value)} />}
      </Field>
      {teamList.length > 0 || values.teamId ? (
        <Field label="Team" name="teamId" optional error={byField['teamId']}>
          {(props) => (
            <select {...props} value={values.teamId} onChange={(e) => set('teamId', e.target.value)}>
              <option value="">No team</option>
              {teamList.map((team) => (
                <option key={team.id} value={team.id}>
                  {team.name}
                </option>
              ))}
              {values.teamId && !teamList.some((t) => t.id === values.teamId) ? (
                <option value={values.teamId}>Current team</option>
              ) : null}
            </select>
          )}
        </Field>
      ) : null}
      <Field
        label="Runbook URL"
        name="runbookUrl"
        optional
        error={byField['runbookUrl']}
        hint="Where responders find out how to fix this service. Must start with http:// or https://."
      >
        {(props) => (
          <input
            {...props}
            type="url"
            inputMode="url"
            placeholder="https://wiki.example.com/runbooks/checkout"
            value={values.runbookUrl}
            onChange={(e) => set('runbookUrl', e.target.value)}
          />
        )}
      </Field>
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={pending}>
          {pending ? pendingLabel : submitLabel}
        </button>
        {onCancel ? (
          <button type="button" className="button" onClick={onCancel} disabled={pending}>
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
}
