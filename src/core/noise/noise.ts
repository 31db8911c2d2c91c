import {
  type AlertGrouping,
  checkGrouping,
  checkMatchers,
  checkUrgencyRule,
  DEFAULT_URGENCY,
  checkRule,
  type Matcher,
  type RuleActions,
  type Severity,
  type Urgency,
  type UrgencyRule,
} from '../alerts/index.ts';
import type { Actor } from '../shared/context.ts';
import type { FieldError } from '../shared/errors.ts';

/*
 * Rules of noise control: pure functions of their inputs and `now`. Field names in the problems
 * they return are relative to the input ("matchers.0.value"); the transport qualifies them.
 */

/** A time sent as "now" arrives a little late: up to 5 minutes in the past reads as now. */
export const PAST_TOLERANCE_MS = 5 * 60_000;
export const MAX_WINDOW_MS = 90 * 24 * 60 * 60_000;
export const MAX_TEXT = 1000;
/** Caps on what every ingestion batch reads (docs/alerts.md, "Noise control"). */
export const MAX_OPEN_WINDOWS_PER_SERVICE = 100;
export const MAX_LIVE_SILENCES = 1000;
export const MAX_RULES_PER_SCOPE = 100;

export type WindowState = 'upcoming' | 'active' | 'past';
export type SilenceState = 'pending' | 'active' | 'expired';
type Span = { startsAt: Date; endsAt: Date };

/** In force from `startsAt` (inclusive) to `endsAt` (exclusive): the same test ingestion applies. */
const phase = (t: Span, now: Date): 0 | 1 | 2 => (now < t.startsAt ? 0 : now < t.endsAt ? 1 : 2);
export const windowState = (w: Span, now: Date): WindowState => (['upcoming', 'active', 'past'] as const)[phase(w, now)];
export const silenceState = (s: Span, now: Date): SilenceState => (['pending', 'active', 'expired'] as const)[phase(s, now)];

export interface MaintenanceWindow {
  id: string;
  serviceId: string;
  serviceName: string;
  description: string;
  startsAt: Date;
  endsAt: Date;
  state: WindowState;
  createdBy: string;
  createdAt: Date;
}

export interface Silence {
  id: string;
  /** Null: the silence applies to every service. */
  serviceId: string | null;
  serviceName: string | null;
  matchers: Matcher[];
  comment: string;
  startsAt: Date;
  endsAt: Date;
  state: SilenceState;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface EventRuleView {
  id: string;
  /** Null: a global rule, run on every event before the service's own rules. */
  serviceId: string | null;
  serviceName: string | null;
  name: string;
  /** 1-based order within its scope (the global rules, or one service's rules); 1 runs first. */
  position: number;
  matchers: Matcher[];
  actions: { routeToServiceId?: string; severity?: Severity; suppress?: boolean; drop?: boolean };
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface AlertSettings {
  serviceId: string;
  grouping: AlertGrouping;
  /** As set; null means the defaults. */
  urgencyRule: UrgencyRule | null;
  /** What ingestion applies: every severity mapped, defaults filled in. */
  effectiveUrgency: { bySeverity: Record<Severity, Urgency>; supportHours: NonNullable<UrgencyRule['supportHours']> | null };
}

/** Who a window or silence is recorded as created by: the person (a token's owner), or the system. */
export const actorName = (actor: Actor): string => (actor.type === 'token' ? actor.userName : actor.name);

export function checkText(value: string, field: string, what: string): FieldError | null {
  if (!value.trim()) return { field, reason: `must not be empty: ${what}` };
  return value.length > MAX_TEXT ? { field, reason: `must be at most ${MAX_TEXT} characters` } : null;
}

/**
 * A start or end that must not lie in the past: up to PAST_TOLERANCE_MS back it is read as `now`
 * (the client's clock, the time spent in a form); further back it is refused with `reason`.
 */
export function notInPast(t: Date, now: Date, field: string, reason: string, problems: FieldError[]): Date {
  if (t >= now) return t;
  if (now.getTime() - t.getTime() <= PAST_TOLERANCE_MS) return now;
  problems.push({ field, reason });
  return t;
}

/** Sent back unchanged (a client echoing the whole record): compared to the second, like Alertmanager. */
const sameInstant = (a: Date, b: Date) => Math.floor(a.getTime() / 1000) === Math.floor(b.getTime() / 1000);

/**
 * The table requires `endsAt > startsAt`. Ending at `now` something that began at `now` (or not
 * yet) leaves it a start one millisecond before its end, already over: nothing was suppressed.
 */
function endAt(span: Span, end: Date): Span {
  return { startsAt: span.startsAt < end ? span.startsAt : new Date(end.getTime() - 1), endsAt: end };
}

function checkSpan(span: Span, problems: FieldError[], maxMs?: number): void {
  if (span.endsAt <= span.startsAt) problems.push({ field: 'endsAt', reason: 'must be after startsAt' });
  else if (maxMs !== undefined && span.endsAt.getTime() - span.startsAt.getTime() > maxMs) {
    problems.push({ field: 'endsAt', reason: `must be at most ${maxMs / 86_400_000} days after startsAt` });
  }
}

// ---- maintenance windows ----

export interface WindowDraft {
  description: string;
  startsAt: Date;
  endsAt: Date;
}

const START_TOO_EARLY = 'may be at most 5 minutes in the past (a window cannot cover alerts already handled)';

/** A new window: starts now or later (5 minutes back read as now), ends after it, lasts at most 90 days. */
export function planNewWindow(input: WindowDraft, now: Date): { value: WindowDraft; problems: FieldError[] } {
  const problems: FieldError[] = [];
  const description = input.description.trim();
  const bad = checkText(description, 'description', 'say what the maintenance is');
  if (bad) problems.push(bad);
  const startsAt = notInPast(input.startsAt, now, 'startsAt', START_TOO_EARLY, problems);
  const value = { description, startsAt, endsAt: input.endsAt };
  if (!problems.some((p) => p.field === 'startsAt')) checkSpan(value, problems, MAX_WINDOW_MS);
  return { value, problems };
}

/**
 * A change to a window. The description may always change. Times follow what the window has
 * already done: a past window keeps both; an active one keeps its start and may end now or later
 * (an end up to 5 minutes back ends it now); an upcoming one may move both.
 */
export function planWindowEdit(
  current: WindowDraft,
  patch: { description?: string | undefined; startsAt?: Date | undefined; endsAt?: Date | undefined },
  now: Date,
): { value: WindowDraft; problems: FieldError[] } {
  const problems: FieldError[] = [];
  let description = current.description;
  if (patch.description !== undefined) {
    description = patch.description.trim();
    const bad = checkText(description, 'description', 'say what the maintenance is');
    if (bad) problems.push(bad);
  }
  const startsAt = patch.startsAt && !sameInstant(patch.startsAt, current.startsAt) ? patch.startsAt : undefined;
  const endsAt = patch.endsAt && !sameInstant(patch.endsAt, current.endsAt) ? patch.endsAt : undefined;
  const state = windowState(current, now);
  let span: Span = { startsAt: current.startsAt, endsAt: current.endsAt };
  if (state === 'past') {
    if (startsAt) problems.push({ field: 'startsAt', reason: 'cannot change: the window is over' });
    if (endsAt) problems.push({ field: 'endsAt', reason: 'cannot change: the window is over' });
  } else if (state === 'active') {
    if (startsAt) problems.push({ field: 'startsAt', reason: 'cannot change: the window is active (end it now and create another instead)' });
    if (endsAt) {
      const end = notInPast(endsAt, now, 'endsAt', 'cannot be moved into the past; send the current time to end the window now', problems);
      span = endAt(current, end);
      if (end > now) checkSpan(span, problems, MAX_WINDOW_MS);
    }
  } else {
    const start = startsAt ? notInPast(startsAt, now, 'startsAt', START_TOO_EARLY, problems) : current.startsAt;
    span = { startsAt: start, endsAt: endsAt ?? current.endsAt };
    if (!problems.some((p) => p.field === 'startsAt')) checkSpan(span, problems, MAX_WINDOW_MS);
  }
  return { value: { description, ...span }, problems };
}

// ---- silences ----

export interface SilenceDraft {
  serviceId: string | null;
  matchers: Matcher[];
  comment: string;
  startsAt: Date;
  endsAt: Date;
}

export interface NewSilenceInput {
  serviceId?: string | null | undefined;
  matchers: Matcher[];
  comment: string;
  startsAt?: Date | undefined;
  endsAt: Date;
}

/** A new silence (Alertmanager): starts now unless later; ends in the future, after its start. */
export function planNewSilence(input: NewSilenceInput, now: Date): { value: SilenceDraft; problems: FieldError[] } {
  const problems: FieldError[] = [...checkMatchers(input.matchers, 'matchers')];
  const comment = input.comment.trim();
  const bad = checkText(comment, 'comment', 'say why (it is shown on every alert it silences)');
  if (bad) problems.push(bad);
  const startsAt = notInPast(input.startsAt ?? now, now, 'startsAt', 'may be at most 5 minutes in the past (a silence cannot cover alerts already handled)', problems);
  const value = { serviceId: input.serviceId ?? null, matchers: input.matchers.map(({ name, op, value: v }) => ({ name, op, value: v })), comment, startsAt, endsAt: input.endsAt };
  if (value.endsAt <= now) problems.push({ field: 'endsAt', reason: 'must be in the future' });
  else if (!problems.some((p) => p.field === 'startsAt')) checkSpan(value, problems);
  return { value, problems };
}

export type SilenceEdit =
  | { kind: 'update'; value: SilenceDraft; problems: FieldError[] }
  /** Alertmanager: the edit would rewrite history, so a new silence replaces the old one. */
  | { kind: 'replace'; value: SilenceDraft; reason: string; problems: FieldError[] };

const sameMatchers = (a: readonly Matcher[], b: readonly Matcher[]) =>
  a.length === b.length && a.every((m, i) => m.name === b[i]!.name && m.op === b[i]!.op && m.value === b[i]!.value);

/**
 * Alertmanager's edit rules. Changing what a silence matches (its matchers, or here its service),
 * or editing an expired silence, creates a new silence and expires the old one, so the old one
 * still tells which alerts it silenced. Otherwise the silence changes in place, where an active
 * silence keeps its start and cannot end in the past, and a pending one cannot start in the past.
 * (Alertmanager turns those two time edits into a replacement as well; Vigil refuses them, naming
 * the field, so nobody gets a new silence they did not ask for.)
 */
export function planSilenceEdit(current: SilenceDraft, patch: Partial<SilenceDraft>, now: Date): SilenceEdit {
  const state = silenceState(current, now);
  const matchersChanged = patch.matchers !== undefined && !sameMatchers(patch.matchers, current.matchers);
  const serviceChanged = patch.serviceId !== undefined && patch.serviceId !== current.serviceId;
  // An unchanged time sent back is no change (a client echoing the whole silence).
  const startsAt = patch.startsAt && !sameInstant(patch.startsAt, current.startsAt) ? patch.startsAt : undefined;
  const endsAt = patch.endsAt && !sameInstant(patch.endsAt, current.endsAt) ? patch.endsAt : undefined;

  if (state === 'expired' || matchersChanged || serviceChanged) {
    const next = planNewSilence(
      {
        serviceId: patch.serviceId !== undefined ? patch.serviceId : current.serviceId,
        matchers: patch.matchers ?? current.matchers,
        comment: patch.comment ?? current.comment,
        startsAt: startsAt ?? (state === 'pending' ? current.startsAt : now),
        endsAt: endsAt ?? current.endsAt,
      },
      now,
    );
    if (state === 'expired' && !endsAt) {
      const i = next.problems.findIndex((p) => p.field === 'endsAt');
      if (i >= 0) next.problems[i] = { field: 'endsAt', reason: 'must be in the future: editing an expired silence creates a new one, which needs a new end' };
    }
    const reason = state === 'expired' ? 'the silence had expired' : matchersChanged ? 'its matchers changed' : 'its service changed';
    return { kind: 'replace', value: next.value, reason, problems: next.problems };
  }

  const problems: FieldError[] = [];
  let comment = current.comment;
  if (patch.comment !== undefined) {
    comment = patch.comment.trim();
    const bad = checkText(comment, 'comment', 'say why (it is shown on every alert it silences)');
    if (bad) problems.push(bad);
  }
  let span: Span = { startsAt: current.startsAt, endsAt: current.endsAt };
  if (state === 'active') {
    if (startsAt) problems.push({ field: 'startsAt', reason: 'cannot change: the silence is active (expire it and create another instead)' });
    if (endsAt) span = endAt(current, notInPast(endsAt, now, 'endsAt', 'cannot be moved into the past; send the current time (or expire the silence) to end it now', problems));
  } else {
    const start = startsAt ? notInPast(startsAt, now, 'startsAt', 'cannot be in the past for a pending silence', problems) : current.startsAt;
    span = { startsAt: start, endsAt: endsAt ?? current.endsAt };
    if (!problems.some((p) => p.field === 'startsAt')) checkSpan(span, problems);
  }
  return { kind: 'update', value: { ...current, comment, ...span }, problems };
}

/** Ends a silence now; null when it already has. A pending silence ends before it ever began. */
export function expireSpan(current: Span, now: Date): Span | null {
  return silenceState(current, now) === 'expired' ? null : endAt(current, now);
}

// ---- event rules ----

export interface RuleDraft {
  serviceId: string | null;
  name: string;
  matchers: Matcher[];
  actions: RuleActions;
}

/** Only the actions that do something are kept (`suppress: false` is no action). */
export function toActions(a: RuleActions): RuleActions {
  const out: RuleActions = {};
  if (a.routeToServiceId !== undefined) out.routeToServiceId = a.routeToServiceId;
  if (a.severity !== undefined) out.severity = a.severity;
  if (a.suppress) out.suppress = true;
  if (a.drop) out.drop = true;
  return out;
}

export function checkEventRule(rule: RuleDraft): FieldError[] {
  const problems = checkRule(rule, 'rule').map((p) => ({ ...p, field: p.field.replace(/^rule\./, '') }));
  const name = rule.name.trim();
  if (!name) problems.unshift({ field: 'name', reason: 'must not be empty' });
  else if (name.length > 200) problems.unshift({ field: 'name', reason: 'must be at most 200 characters' });
  return problems;
}

/** `ids` in their new order, with the new position inserted or moved to `position` (clamped). */
export function placeAt(ids: readonly string[], id: string, position: number | undefined): string[] {
  const rest = ids.filter((x) => x !== id);
  const at = position === undefined ? (ids.includes(id) ? ids.indexOf(id) : rest.length) : Math.min(Math.max(position, 1), rest.length + 1) - 1;
  return [...rest.slice(0, at), id, ...rest.slice(at)];
}

// ---- alert settings ----

export interface GroupingInput {
  mode: 'none' | 'time' | 'content';
  windowMinutes?: number | undefined;
  fields?: string[] | undefined;
}

/** The stored grouping from what a person sent: each mode takes exactly the fields it uses. */
export function toGrouping(input: GroupingInput, field = 'grouping'): { value: AlertGrouping; problems: FieldError[] } {
  const problems: FieldError[] = [];
  const needs = (name: 'windowMinutes' | 'fields', used: boolean) => {
    if (used && input[name] === undefined) problems.push({ field: `${field}.${name}`, reason: `is required when mode is ${input.mode}` });
    if (!used && input[name] !== undefined) problems.push({ field: `${field}.${name}`, reason: `is not used when mode is ${input.mode}` });
  };
  needs('windowMinutes', input.mode !== 'none');
  needs('fields', input.mode === 'content');
  const value: AlertGrouping =
    input.mode === 'none'
      ? { mode: 'none' }
      : input.mode === 'time'
        ? { mode: 'time', windowMinutes: input.windowMinutes ?? 0 }
        : { mode: 'content', fields: input.fields ?? [], windowMinutes: input.windowMinutes ?? 0 };
  if (problems.length === 0) problems.push(...checkGrouping(value, field));
  return { value, problems };
}

/** The urgency rule as stored: days sorted without repeats, empty parts left out, `{}` as null. */
export function toUrgencyRule(input: UrgencyRule | null, field = 'urgencyRule'): { value: UrgencyRule | null; problems: FieldError[] } {
  if (input === null) return { value: null, problems: [] };
  const value: UrgencyRule = {};
  if (input.bySeverity && Object.keys(input.bySeverity).length > 0) value.bySeverity = { ...input.bySeverity };
  if (input.supportHours) value.supportHours = { ...input.supportHours, days: [...new Set(input.supportHours.days)].sort((a, b) => a - b) };
  return { value: value.bySeverity || value.supportHours ? value : null, problems: checkUrgencyRule(input, field) };
}

export function effectiveUrgency(rule: UrgencyRule | null): AlertSettings['effectiveUrgency'] {
  return { bySeverity: { ...DEFAULT_URGENCY, ...rule?.bySeverity }, supportHours: rule?.supportHours ?? null };
}
