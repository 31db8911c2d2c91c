import type { AlertSignal } from './signal.ts';

/**
 * The string fields silences and event rules match on: the signal's labels, overlaid with its
 * well-known fields, so `severity`, `summary`, `source`, `component`, `group`, `class`, `dedup_key`,
 * `sender` and `service` always mean the same thing whatever the sender.
 */
export function matchFields(signal: AlertSignal, serviceName: string): Record<string, string> {
  const fields: Record<string, string> = { ...signal.labels };
  const set = (name: string, value: string | null) => {
    if (value !== null && value !== '') fields[name] = value;
  };
  set('summary', signal.summary);
  set('severity', signal.severity);
  set('source', signal.source);
  set('component', signal.component);
  set('group', signal.group);
  set('class', signal.class);
  set('dedup_key', signal.dedupKey);
  set('sender', signal.sender);
  set('service', serviceName);
  return fields;
}
