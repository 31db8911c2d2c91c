/**
 * Opsgenie Alert API, inbound: create (`POST /v2/alerts`), acknowledge and close
 * (`POST /v2/alerts/{identifier}/acknowledge|close?identifierType=id|alias|tiny`), parsed into
 * signals. Pure: no I/O, no clock.
 *
 * Like Opsgenie, this is forgiving: over-long text is cut to the documented limit rather than
 * refused (message 130, description 15 000, entity 512, source/user 100, note 25 000, tags 20 × 50,
 * actions 10 × 50), and user, note, actions, responders and visibleTo are never a reason to refuse.
 * What is refused: a missing message, a non-string alias or one over 512 characters (cutting it would
 * merge distinct alerts), wrongly typed tags or details, and an unknown priority. Error strings are
 * in Opsgenie's style ("Message can not be empty."); the route wraps them in Opsgenie's 422 body.
 * Field mapping: README.md beside this file.
 */
import { emptySignal, type AlertSignal, type ParseResult, type Severity } from '../../core/alerts/signal.ts';
import { charCount, cut, get, isObject, type Obj } from '../shared/parse.ts';

export const LIMITS = {
  message: 130,
  alias: 512,
  description: 15_000,
  tags: 20,
  tag: 50,
  actions: 10,
  action: 50,
  entity: 512,
  source: 100,
  user: 100,
  note: 25_000,
} as const;

export const PRIORITIES = ['P1', 'P2', 'P3', 'P4', 'P5'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** Opsgenie priority → our severity. P4 and P5 both become info; labels.priority keeps the original. */
export const PRIORITY_SEVERITY: Record<Priority, Severity> = { P1: 'critical', P2: 'error', P3: 'warning', P4: 'info', P5: 'info' };

/** `POST /v2/alerts`. */
export function parseOpsgenieCreate(body: unknown): ParseResult<AlertSignal> {
  if (!isObject(body)) return { ok: false, errors: ['Request body must be a JSON object.'] };
  const errors: string[] = [];

  const rawMessage = get(body, 'message');
  let message = '';
  if (typeof rawMessage === 'string' && rawMessage.trim() !== '') message = cut(rawMessage.trim(), LIMITS.message);
  else if (rawMessage === undefined || rawMessage === null || typeof rawMessage === 'string') errors.push('Message can not be empty.');
  else errors.push('Message must be a string.');

  const rawAlias = get(body, 'alias');
  let alias: string | null = null;
  if (rawAlias !== undefined && rawAlias !== null) {
    if (typeof rawAlias !== 'string') errors.push('Alias must be a string.');
    else if (charCount(rawAlias) > LIMITS.alias) errors.push(`Alias can not be longer than ${LIMITS.alias} characters.`);
    else if (rawAlias.trim() !== '') alias = rawAlias; // matched exactly: never trimmed
  }

  const description = optionalText(body, 'description', 'Description', LIMITS.description, errors);
  const entity = optionalText(body, 'entity', 'Entity', LIMITS.entity, errors);
  const source = optionalText(body, 'source', 'Source', LIMITS.source, errors);

  const tags: string[] = [];
  const rawTags = get(body, 'tags');
  if (rawTags !== undefined && rawTags !== null) {
    if (!Array.isArray(rawTags)) errors.push('Tags must be a list of strings.');
    else
      rawTags.forEach((tag: unknown, i) => {
        const text = scalarText(tag);
        if (text === null) errors.push(`Tags must be a list of strings: tags[${i}] is not a string.`);
        else {
          const t = cut(text.trim(), LIMITS.tag);
          if (t !== '' && !tags.includes(t) && tags.length < LIMITS.tags) tags.push(t);
        }
      });
  }

  const detailEntries: Array<[string, string]> = [];
  const rawDetails = get(body, 'details');
  if (rawDetails !== undefined && rawDetails !== null) {
    if (!isObject(rawDetails)) errors.push('Details must be a map of string keys to string values.');
    else
      for (const [key, value] of Object.entries(rawDetails)) {
        if (value === null) continue;
        const text = scalarText(value);
        if (text === null) errors.push(`Details must be a map of string keys to string values: details.${key} is not a string.`);
        else detailEntries.push([key, text]);
      }
  }

  const rawPriority = get(body, 'priority');
  let priority: Priority = 'P3';
  if (rawPriority !== undefined && rawPriority !== null) {
    const p = typeof rawPriority === 'string' ? rawPriority.trim().toUpperCase() : '';
    if ((PRIORITIES as readonly string[]).includes(p)) priority = p as Priority;
    else errors.push('Priority should be one of [P1, P2, P3, P4, P5].');
  }

  if (errors.length > 0) return { ok: false, errors };

  // Never refused: kept when well formed, otherwise left in raw only.
  const user = lenientText(get(body, 'user'), LIMITS.user);
  const note = lenientText(get(body, 'note'), LIMITS.note);
  const rawActions = get(body, 'actions');
  const actions = Array.isArray(rawActions)
    ? rawActions
        .map(scalarText)
        .filter((a): a is string => a !== null && a.trim() !== '')
        .map((a) => cut(a.trim(), LIMITS.action))
        .slice(0, LIMITS.actions)
    : [];
  const responders = get(body, 'responders');
  const visibleTo = get(body, 'visibleTo');

  // details: the sender's map first; our named fields after it win a clash (raw keeps the original).
  const extra: Array<[string, unknown]> = [];
  if (tags.length > 0) extra.push(['tags', tags]);
  if (entity !== null) extra.push(['entity', entity]);
  if (user !== null) extra.push(['user', user]);
  if (note !== null) extra.push(['note', note]);
  if (actions.length > 0) extra.push(['actions', actions]);
  if (Array.isArray(responders) && responders.length > 0) extra.push(['responders', responders]);
  if (Array.isArray(visibleTo) && visibleTo.length > 0) extra.push(['visibleTo', visibleTo]);

  return {
    ok: true,
    value: {
      ...emptySignal('opsgenie', 'trigger'),
      dedupKey: alias,
      summary: message,
      source: source ?? entity,
      severity: PRIORITY_SEVERITY[priority],
      description,
      details: Object.fromEntries([...detailEntries, ...extra]),
      // labels: each tag as "<tag>" = "true", then the details map, then priority (wins).
      labels: Object.fromEntries([...tags.map((t): [string, string] => [t, 'true']), ...detailEntries, ['priority', priority]]),
      raw: body,
    },
  };
}

export const IDENTIFIER_TYPES = ['id', 'alias', 'tiny'] as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `POST /v2/alerts/{identifier}/acknowledge|close?identifierType=`. identifierType defaults to id
 * (our alert's UUID); tiny is the alert's number; alias is the dedup key. Body `{user?, source?,
 * note?}` is optional; its fields are never a reason to refuse.
 */
export function parseOpsgenieAction(
  identifier: string,
  identifierType: string | undefined,
  body: unknown,
  action: 'acknowledge' | 'resolve',
): ParseResult<AlertSignal> {
  const errors: string[] = [];
  const type = identifierType === undefined || identifierType.trim() === '' ? 'id' : identifierType.trim().toLowerCase();
  if (body !== undefined && body !== null && !isObject(body)) errors.push('Request body must be a JSON object.');

  let ref: Pick<AlertSignal, 'dedupKey' | 'alertRef'> = { dedupKey: null };
  const id = typeof identifier === 'string' ? identifier : '';
  if (id.trim() === '') errors.push('Identifier can not be empty.');
  else if (type === 'id') {
    if (UUID.test(id.trim())) ref = { dedupKey: null, alertRef: { id: id.trim().toLowerCase() } };
    else errors.push(`Identifier '${id}' is not a valid alert id: expected a UUID (or set identifierType to alias or tiny).`);
  } else if (type === 'tiny') {
    const n = /^\d+$/.test(id.trim()) ? Number(id.trim()) : NaN;
    if (Number.isSafeInteger(n) && n > 0) ref = { dedupKey: null, alertRef: { number: n } };
    else errors.push(`Identifier '${id}' is not a valid tiny id: expected a positive integer.`);
  } else if (type === 'alias') {
    if (charCount(id) > LIMITS.alias) errors.push(`Alias can not be longer than ${LIMITS.alias} characters.`);
    else ref = { dedupKey: id };
  } else errors.push(`Identifier type '${identifierType}' is not valid: it should be one of [id, alias, tiny].`);

  if (errors.length > 0) return { ok: false, errors };

  const fields = isObject(body) ? body : {};
  const user = lenientText(get(fields, 'user'), LIMITS.user);
  const note = lenientText(get(fields, 'note'), LIMITS.note);
  const details: Record<string, unknown> = {};
  if (user !== null) details.user = user;
  if (note !== null) details.note = note;
  return {
    ok: true,
    value: {
      ...emptySignal('opsgenie', action),
      ...ref,
      source: lenientText(get(fields, 'source'), LIMITS.source),
      details,
      raw: { identifier, identifierType: identifierType ?? null, body: body ?? null },
    },
  };
}

// --- small helpers (the shared ones are in ../shared/parse.ts) ---

/** Strings as they are; numbers and booleans as text (a Java string map would take them too). */
function scalarText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) return String(value);
  return null;
}

/** An optional string, trimmed and cut to its limit; a non-string is an error naming the field. */
function optionalText(obj: Obj, key: string, name: string, limit: number, errors: string[]): string | null {
  const value = get(obj, key);
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') {
    errors.push(`${name} must be a string.`);
    return null;
  }
  const trimmed = value.trim();
  return trimmed === '' ? null : cut(trimmed, limit);
}

/** A string trimmed and cut to its limit; anything else is null (never an error). */
function lenientText(value: unknown, limit: number): string | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  return cut(value.trim(), limit);
}
