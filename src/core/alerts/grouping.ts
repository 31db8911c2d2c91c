import { createHash } from 'node:crypto';
import type { FieldError } from '../shared/errors.ts';

/**
 * How a service turns alerts into incidents (PagerDuty's alert grouping):
 * - `none`: each alert opens its own incident;
 * - `time`: an alert joins the newest open incident opened within `windowMinutes` (0: any open one);
 * - `content`: an alert joins the open incident whose alerts share the values of `fields`
 *   (match-field names such as `source`, `group`, `alertname`, or `groupKey`, the sender's own
 *   grouping key), opened within the window.
 */
export type AlertGrouping =
  | { mode: 'none' }
  | { mode: 'time'; windowMinutes: number }
  | { mode: 'content'; fields: string[]; windowMinutes: number };

export const MAX_GROUPING_WINDOW_MINUTES = 24 * 60;

/** Pure: the content-grouping key of an alert, from the values of the chosen fields. */
export function contentGroupKey(fields: readonly string[], values: Readonly<Record<string, string>>): string {
  const text = fields.map((f) => `${f}=${values[f] ?? ''}`).join('\n');
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

export function checkGrouping(g: AlertGrouping, field: string): FieldError[] {
  if (g.mode === 'none') return [];
  const problems: FieldError[] = [];
  if (!Number.isInteger(g.windowMinutes) || g.windowMinutes < 0 || g.windowMinutes > MAX_GROUPING_WINDOW_MINUTES) {
    problems.push({ field: `${field}.windowMinutes`, reason: `must be a whole number of minutes from 0 (while open) to ${MAX_GROUPING_WINDOW_MINUTES}` });
  }
  if (g.mode === 'content') {
    if (g.fields.length === 0 || g.fields.length > 10) problems.push({ field: `${field}.fields`, reason: 'must name 1 to 10 fields' });
    g.fields.forEach((f, i) => {
      if (!/^[A-Za-z_][A-Za-z0-9_.:-]{0,99}$/.test(f)) problems.push({ field: `${field}.fields.${i}`, reason: 'must be a field or label name' });
    });
  }
  return problems;
}
