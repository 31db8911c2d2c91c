import { createHash } from 'node:crypto';
import { DateTime, IANAZone } from 'luxon';
import { parseInstant } from './schedule.ts';
import type { FinalShift, ShiftSource } from './schedule-math.ts';
import { type Transition, wallClockAt, type ZoneOffsets, zoneOffsets } from './zone-offsets.ts';

/**
 * iCalendar (RFC 5545) feeds of on-call shifts, as text. Pure: the shifts come from
 * `finalSchedule`, the DTSTAMP from `now`; nothing here reads a clock or does I/O.
 *
 * - Lines end in CRLF and are folded at 75 octets without splitting a UTF-8 character.
 * - TEXT values escape backslash, comma, semicolon and newlines; other control characters are dropped.
 * - DTSTART/DTEND carry TZID in the event's zone, and each zone used gets a VTIMEZONE built from its
 *   real transitions over the events' range (read from the platform's tz data through Luxon, the
 *   same table the calculator uses). A local time that happens twice (clocks go back) is written in
 *   UTC instead (`…Z`): RFC 5545 says such a time means its first occurrence, but parsers differ
 *   (ical.js reads the second), and UTC means one instant to all of them.
 * - iCalendar has whole seconds; an instant with milliseconds is written truncated to the second.
 * - The UID of a shift is a hash of schedule id, user id, start and source, so a refresh keeps it.
 *   A feed window that cuts a shift gives that shift the window's start: align windows to a stable
 *   point (a day, say) so a shift keeps its start across refreshes.
 */

export interface CalendarUser {
  id: string;
  name: string;
}

export interface CalendarSchedule {
  id: string;
  name: string;
  timeZone: string;
  /** From `finalSchedule(schedule, from, to).shifts`. */
  shifts: readonly FinalShift[];
  /** Layer names for the DESCRIPTION (`schedule.layers` fits); an unknown layer is named by its id. */
  layers?: readonly { id: string; name: string }[];
}

export interface ScheduleCalendarInput extends CalendarSchedule {
  /** Display names; a user without one is named by their id. */
  users: readonly CalendarUser[];
  /** PRODID, e.g. "-//Vigil//On-call 0.1//EN". */
  productId: string;
  /** DTSTAMP of every event: when the feed was generated. */
  now: Date;
  /** Where the feed is refreshed from (SOURCE and URL). */
  feedUrl?: string;
}

export interface UserCalendarInput {
  user: CalendarUser;
  /** The schedules to draw from; only `user`'s shifts are used. Their zones may differ. */
  schedules: readonly CalendarSchedule[];
  productId: string;
  now: Date;
  feedUrl?: string;
  /** X-WR-CALNAME; defaults to "On call: <user name>". */
  name?: string;
}

/** One VEVENT per shift of the schedule, each in the schedule's zone. */
export function scheduleCalendar(input: ScheduleCalendarInput): string {
  const names = new Map(input.users.map((u) => [u.id, u.name]));
  const events = eventsOf(input, input.shifts, (id) => names.get(id) ?? id);
  return calendar({ name: input.name, timeZone: input.timeZone, productId: input.productId, now: input.now, feedUrl: input.feedUrl, events });
}

/** One VEVENT per shift of `user` across `schedules`, each in its schedule's zone; one VTIMEZONE per zone used. */
export function userCalendar(input: UserCalendarInput): string {
  const { user } = input;
  const events = input.schedules.flatMap((s) =>
    eventsOf(
      s,
      s.shifts.filter((x) => x.userId === user.id),
      () => user.name,
    ),
  );
  return calendar({ name: input.name ?? `On call: ${user.name}`, productId: input.productId, now: input.now, feedUrl: input.feedUrl, events });
}

interface CalendarEvent {
  uid: string;
  zone: string;
  start: number;
  end: number;
  summary: string;
  description: string;
}

function eventsOf(schedule: CalendarSchedule, shifts: readonly FinalShift[], nameOf: (userId: string) => string): CalendarEvent[] {
  const layerNames = new Map((schedule.layers ?? []).map((l) => [l.id, l.name]));
  zoneOffsets(schedule.timeZone); // throws RangeError on an unknown zone
  return shifts.map((shift) => {
    const start = instant(shift.start);
    const end = instant(shift.end);
    const source =
      shift.source.type === 'layer'
        ? `Layer: ${layerNames.get(shift.source.layerId) ?? shift.source.layerId}`
        : shift.source.type === 'override'
          ? 'Override'
          : 'Temporary schedule';
    return {
      uid: shiftUid(schedule.id, shift.userId, start, shift.source),
      zone: schedule.timeZone,
      start,
      end,
      summary: `On call: ${nameOf(shift.userId)} (${schedule.name})`,
      description: `${source}\nSchedule: ${schedule.name}`,
    };
  });
}

function instant(value: string): number {
  const ms = parseInstant(value);
  if (ms === null) throw new RangeError(`not an ISO 8601 instant with an offset: ${value}`);
  return ms;
}

const sourceKey = (s: ShiftSource) => (s.type === 'layer' ? `layer:${s.layerId}` : s.type === 'override' ? `override:${s.overrideId}` : `temporary:${s.temporaryId}`);

/** Stable for the same schedule, user, start (to the second) and source; 128 bits of SHA-256. */
function shiftUid(scheduleId: string, userId: string, start: number, source: ShiftSource): string {
  const key = [scheduleId, userId, new Date(Math.floor(start / 1000) * 1000).toISOString(), sourceKey(source)].join('\u0000');
  return `${createHash('sha256').update(key).digest('hex').slice(0, 32)}@vigil`;
}

function calendar(c: { name: string; timeZone?: string; productId: string; now: Date; feedUrl?: string; events: CalendarEvent[] }): string {
  const now = c.now.getTime();
  if (!Number.isFinite(now)) throw new RangeError('now must be a valid date');
  const lines: string[] = ['BEGIN:VCALENDAR', 'VERSION:2.0', `PRODID:${text(c.productId)}`, 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH'];
  lines.push(`NAME:${text(c.name)}`, `X-WR-CALNAME:${text(c.name)}`);
  if (c.timeZone !== undefined) lines.push(`X-WR-TIMEZONE:${text(c.timeZone)}`);
  if (c.feedUrl !== undefined) {
    if (/[\u0000-\u001f\u007f\s]/.test(c.feedUrl)) throw new RangeError('feedUrl must not contain spaces or control characters');
    lines.push(`SOURCE;VALUE=URI:${c.feedUrl}`, `URL;VALUE=URI:${c.feedUrl}`);
  }
  lines.push('REFRESH-INTERVAL;VALUE=DURATION:PT1H', 'X-PUBLISHED-TTL:PT1H');

  const events = [...c.events].sort((a, b) => a.start - b.start || a.end - b.end || (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0));
  const ranges = new Map<string, { lo: number; hi: number }>();
  for (const e of events) {
    const r = ranges.get(e.zone);
    if (!r) ranges.set(e.zone, { lo: e.start, hi: e.end });
    else {
      r.lo = Math.min(r.lo, e.start);
      r.hi = Math.max(r.hi, e.end);
    }
  }
  // The calendar's own zone gets a VTIMEZONE even with no events, so clients can show it.
  if (c.timeZone !== undefined && !ranges.has(c.timeZone)) ranges.set(c.timeZone, { lo: now, hi: now });
  for (const zone of [...ranges.keys()].sort()) lines.push(...vtimezone(zone, ranges.get(zone)!.lo, ranges.get(zone)!.hi));

  const stamp = utc(now);
  for (const e of events) {
    const zone = zoneOffsets(e.zone);
    lines.push(
      'BEGIN:VEVENT',
      `UID:${text(e.uid)}`,
      `DTSTAMP:${stamp}`,
      dateTime('DTSTART', zone, e.start),
      dateTime('DTEND', zone, e.end),
      `SUMMARY:${text(e.summary)}`,
      `DESCRIPTION:${text(e.description)}`,
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return lines.map(fold).join('\r\n') + '\r\n';
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** "YYYYMMDDTHHMMSS" of local milliseconds (a wall clock read as if UTC). */
const basic = (local: number) => new Date(Math.floor(local / 1000) * 1000).toISOString().slice(0, 19).replace(/[-:]/g, '');
const utc = (t: number) => `${basic(t)}Z`;

/** DTSTART/DTEND in the zone, or in UTC when the local time happens twice. */
function dateTime(property: string, zone: ZoneOffsets, t: number): string {
  const second = Math.floor(t / 1000) * 1000;
  if (isAmbiguous(zone, second)) return `${property}:${utc(second)}`;
  return `${property};TZID=${zone.name}:${basic(wallClockAt(zone, second))}`;
}

/** Whether the wall-clock time at `t` also occurs at another instant (the hour repeated when clocks go back). */
function isAmbiguous(zone: ZoneOffsets, t: number): boolean {
  const local = wallClockAt(zone, t);
  for (const tr of zone.transitions(t - DAY, t + DAY)) {
    for (const o of [tr.before, tr.after]) {
      const other = local - o;
      if (other !== t && zone.offset(other) === o) return true;
    }
  }
  return false;
}

function offset(ms: number): string {
  const sign = ms < 0 ? '-' : '+';
  const total = Math.round(Math.abs(ms) / 1000);
  const hh = String(Math.floor(total / 3600)).padStart(2, '0');
  const mm = String(Math.floor((total % 3600) / 60)).padStart(2, '0');
  const ss = total % 60;
  return `${sign}${hh}${mm}${ss ? String(ss).padStart(2, '0') : ''}`;
}

/**
 * A VTIMEZONE for `name` that is right from `lo` to `hi`: one sub-component for the offset in
 * effect at `lo` (from the last transition in the year before, else from 1970 on), then one per
 * real transition up to a day after `hi`. No RRULEs: every onset is an explicit DTSTART, so a zone
 * that changes its rules, or has 30- or 45-minute offsets, is written exactly as the tz data says.
 */
function vtimezone(name: string, lo: number, hi: number): string[] {
  const zone = zoneOffsets(name);
  const before = zone.transitions(lo - 366 * DAY, lo);
  const previous = before.at(-1);
  const lines = ['BEGIN:VTIMEZONE', `TZID:${name}`];
  if (previous) lines.push(...observance(name, previous));
  else {
    const o = zone.offset(lo);
    lines.push('BEGIN:STANDARD', 'DTSTART:19700101T000000', `TZOFFSETFROM:${offset(o)}`, `TZOFFSETTO:${offset(o)}`, `TZNAME:${text(zoneName(name, lo))}`, 'END:STANDARD');
  }
  for (const tr of zone.transitions(lo, hi + DAY)) lines.push(...observance(name, tr));
  lines.push('END:VTIMEZONE');
  return lines;
}

function observance(name: string, tr: Transition): string[] {
  const kind = DateTime.fromMillis(tr.at, { zone: name }).isInDST ? 'DAYLIGHT' : 'STANDARD';
  return [
    `BEGIN:${kind}`,
    // The onset is the local time on the offset before the change (RFC 5545 3.6.5).
    `DTSTART:${basic(tr.at + tr.before)}`,
    `TZOFFSETFROM:${offset(tr.before)}`,
    `TZOFFSETTO:${offset(tr.after)}`,
    `TZNAME:${text(zoneName(name, tr.at))}`,
    `END:${kind}`,
  ];
}

const zoneName = (name: string, t: number) => IANAZone.create(name).offsetName(t, { format: 'short', locale: 'en-US' }) ?? name;

/** An RFC 5545 TEXT value: backslash, semicolon, comma and newlines escaped; other controls dropped. */
export function text(value: string): string {
  return value
    .replace(/\r\n?/g, '\n')
    .replace(/[\\;,]/g, (c) => `\\${c}`)
    .replace(/\n/g, '\\n')
    .replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, '');
}

/** Folds a content line at 75 octets (RFC 5545 3.1), never inside a UTF-8 character. */
export function fold(line: string): string {
  let out = '';
  let used = 0;
  let limit = 75;
  for (const ch of line) {
    const cp = ch.codePointAt(0)!;
    const bytes = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (used + bytes > limit) {
      out += '\r\n ';
      used = 0;
      limit = 74; // the leading space counts
    }
    out += ch;
    used += bytes;
  }
  return out;
}
