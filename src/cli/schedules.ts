import { type Command, InvalidArgumentError, Option } from 'commander';
import type { ApiClient } from './api-client.ts';
import { act, type CliIo, type Context, httpCommand } from './command.ts';
import { clean, CliError, EXIT, formatDuration, formatFields, formatTable, formatZoned, isTimeZone, parseWhen, UUID } from './format.ts';
import type {
  CalendarFeed,
  EveryoneOnCall,
  Handoff,
  HandoffShift,
  Incident,
  OnCall,
  Override,
  ScheduleDetail,
  ScheduleLayer,
  ScheduleOnCall,
  ScheduleSummary,
  ShiftSource,
  Shifts,
  Swap,
  User,
} from './wire.ts';

/**
 * `vigil oncall`, `vigil schedule list|show|override|swap|swaps`, `vigil calendar create|list|revoke`
 * and `vigil handoff`: on-call schedules over the HTTP API. Schedules are named by name or id, people by email or id; times print as the wall
 * clock of the user's own zone (GET /me) unless `--tz` names another.
 */

const DAY_MS = 86_400_000;
/** What `schedule show` lists when no --from/--to is given, like the API's gap horizon. */
const SHOW_DAYS = 14;
/** The API's gap horizon (GAP_HORIZON_DAYS in core/schedules). */
const GAP_DAYS = 14;
const SWAP_STATUSES = ['requested', 'accepted', 'declined', 'cancelled'] as const;

type Named = Pick<ScheduleSummary, 'id' | 'name' | 'timeZone' | 'layers'>;

export function registerScheduleCommands(io: CliIo, program: Command): void {
  const when = (value: string): string => {
    const iso = parseWhen(value, io.now());
    if (!iso) throw new InvalidArgumentError('Expected an ISO 8601 date-time (2026-01-05T09:00+01:00; UTC without an offset), now, an age such as 30m or 2h (before now), or +30m, +2d (after now).');
    return iso;
  };
  const zone = (value: string): string => {
    if (!isTimeZone(value)) throw new InvalidArgumentError('Expected an IANA time zone such as Europe/London, America/New_York or UTC.');
    return value;
  };
  const withTz = (command: Command) => command.addOption(new Option('--tz <zone>', 'show times in this IANA zone (default: your profile\'s time zone)').argParser(zone));

  // ——— who is on call ———

  act(
    io,
    withTz(
      httpCommand(program, 'oncall', 'who is on call now (or at --at) in every schedule, or in one')
        .option('--schedule <schedule>', 'only this schedule (name or id)')
        .option('--at <when>', 'at this time instead of now: ISO date-time, an age (2h: two hours ago) or +2h (ahead)', when),
    ),
    async (ctx) => {
      const o = ctx.opts as { schedule?: string; at?: string };
      const api = ctx.api();
      const query = o.at ? `?at=${encodeURIComponent(o.at)}` : '';
      let at: string;
      let rows: { schedule: Named; onCall: OnCall[] }[];
      if (o.schedule !== undefined) {
        const schedule = await findSchedule(api, o.schedule);
        const result = await api.request<ScheduleOnCall>('GET', `/schedules/${schedule.id}/on-call${query}`);
        if (ctx.json) return ctx.printJson(result);
        at = result.at;
        rows = [{ schedule, onCall: result.onCall }];
      } else {
        const result = await api.request<EveryoneOnCall>('GET', `/oncall${query}`);
        if (ctx.json) return ctx.printJson(result);
        if (!result.schedules.length) return ctx.out('No schedules yet.\n');
        // The layer names, for the VIA column.
        const { schedules } = await api.request<{ schedules: ScheduleSummary[] }>('GET', '/schedules');
        const byId = new Map(schedules.map((s) => [s.id, s]));
        at = result.at;
        rows = result.schedules.map((s) => ({ schedule: byId.get(s.schedule.id) ?? { ...s.schedule, timeZone: 'UTC', layers: [] }, onCall: s.onCall }));
      }
      const tz = await zoneOf(ctx);
      ctx.out(
        `On call at ${formatZoned(at, tz, { withZone: true })}:\n` +
          formatTable(
            ['SCHEDULE', 'ON CALL', 'VIA'],
            rows.flatMap(({ schedule, onCall }) =>
              onCall.length ? onCall.map((c) => [schedule.name, c.user.name, via(c.source, schedule.layers)]) : [[schedule.name, '(nobody)', '']],
            ),
            ctx.bold,
          ),
      );
    },
  );

  const schedule = program.command('schedule').description('list and inspect on-call schedules, add overrides, swap shifts');

  act(io, httpCommand(schedule, 'list', 'every schedule, flagged when the next 14 days have time with nobody on call'), async (ctx) => {
    const result = await ctx.api().request<{ schedules: ScheduleSummary[] }>('GET', '/schedules');
    if (ctx.json) return ctx.printJson(result);
    if (!result.schedules.length) return ctx.out('No schedules yet.\n');
    ctx.out(
      formatTable(
        ['ID', 'NAME', 'TIME ZONE', 'LAYERS', 'NEXT 14 DAYS', 'PEOPLE'],
        result.schedules.map((s) => [s.id, s.name, s.timeZone, String(s.layers.length), s.hasGapsNext14Days ? 'has gaps' : 'covered', s.users.map((u) => u.name).join(', ') || '-']),
        ctx.bold,
        { maxWidth: ctx.width },
      ),
    );
  });

  act(
    io,
    withTz(
      httpCommand(schedule, 'show', `one schedule: its layers, its gaps over the next ${GAP_DAYS} days, and the final shifts (default: the next ${SHOW_DAYS} days)`)
        .argument('<schedule>', 'schedule name or id')
        .option('--from <when>', 'shifts from (default: now)', when)
        .option('--to <when>', `shifts until (default: ${SHOW_DAYS} days after --from; at most 366 days)`, when),
    ),
    async (ctx, ref) => {
      const o = ctx.opts as { from?: string; to?: string };
      const api = ctx.api();
      const id = (await findSchedule(api, ref!)).id;
      const from = o.from ?? new Date(ctx.io.now()).toISOString();
      const to = o.to ?? new Date(Date.parse(from) + SHOW_DAYS * DAY_MS).toISOString();
      const { schedule: detail } = await api.request<{ schedule: ScheduleDetail }>('GET', `/schedules/${id}`);
      const shifts = await api.request<Shifts>('GET', `/schedules/${id}/shifts?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
      if (ctx.json) return ctx.printJson({ schedule: detail, shifts });
      ctx.out(scheduleText(ctx, detail, shifts, await zoneOf(ctx)));
    },
  );

  act(
    io,
    withTz(
      httpCommand(schedule, 'override', 'put someone on call from --from to --to, instead of --replaces or of whoever is on call (needs write permission)')
        .argument('<schedule>', 'schedule name or id')
        .requiredOption('--user <user>', 'who goes on call: email or user id')
        .requiredOption('--from <when>', 'start: ISO date-time, now, or +2h (ahead)', when)
        .requiredOption('--to <when>', 'end (must be in the future)', when)
        .option('--replaces <user>', 'only take over from this person (email or id)')
        .option('--note <text>', 'why, shown with the override'),
    ),
    async (ctx, ref) => {
      const o = ctx.opts as { user: string; from: string; to: string; replaces?: string; note?: string };
      const api = ctx.api();
      const target = await findSchedule(api, ref!);
      const userId = await resolveUserId(api, o.user);
      const replacesUserId = o.replaces === undefined ? undefined : await resolveUserId(api, o.replaces);
      const body = { userId, start: o.from, end: o.to, ...(replacesUserId ? { replacesUserId } : {}), ...(o.note !== undefined ? { note: o.note } : {}) };
      const result = await withForbiddenHint(api.request<{ override: Override }>('POST', `/schedules/${target.id}/overrides`, body), 'Overrides need a responder or admin, with a write or admin token.');
      if (ctx.json) return ctx.printJson(result);
      const v = result.override;
      const tz = await zoneOf(ctx);
      ctx.out(
        `Added override ${v.id} to ${clean(target.name)}: ${clean(v.user?.name ?? 'nobody')} on call instead of ${clean(v.replacesUser?.name ?? 'whoever is on call')}, ${span(v.start, v.end, tz)}.\n`,
      );
    },
  );

  // `swap <schedule> --with …` asks; `swap accept|decline|cancel <id>` decides. Options after the
  // subcommand's name belong to the subcommand: positional options, on every command from the
  // program down to `swap` (main.ts turns them on for the program; commands inherit it).
  const swap = withTz(
    httpCommand(schedule, 'swap', 'ask someone to take your own on-call time (then: swap accept|decline|cancel <swapId>)')
      .enablePositionalOptions()
      .argument('[schedule]', 'schedule name or id')
      .option('--with <user>', 'who is asked to take it: email or user id')
      .option('--from <when>', 'start of the time to hand over', when)
      .option('--to <when>', 'end of it', when)
      .option('--note <text>', 'a note for them'),
  );
  act(io, swap, async (ctx, ref) => {
    const o = ctx.opts as { with?: string; from?: string; to?: string; note?: string };
    if (ref === undefined) throw new CliError('say which schedule: vigil schedule swap <schedule> --with <user> --from <when> --to <when>, or swap accept|decline|cancel <swapId>', EXIT.USAGE);
    const missing = (['with', 'from', 'to'] as const).filter((k) => o[k] === undefined).map((k) => `--${k}`);
    if (missing.length) throw new CliError(`swap ${ref} needs ${missing.join(', ')}`, EXIT.USAGE);
    const api = ctx.api();
    const target = await findSchedule(api, ref);
    const recipientId = await resolveUserId(api, o.with!);
    const result = await api.request<{ swap: Swap }>('POST', `/schedules/${target.id}/swaps`, {
      recipientId,
      start: o.from,
      end: o.to,
      ...(o.note !== undefined ? { note: o.note } : {}),
    });
    if (ctx.json) return ctx.printJson(result);
    const s = result.swap;
    ctx.out(
      `Asked ${clean(s.recipient.name)} to take your on-call time in ${clean(target.name)}, ${span(s.start, s.end, await zoneOf(ctx))}: swap ${s.id} (${s.status}).\n` +
        `They accept with: vigil schedule swap accept ${s.id}\n`,
    );
  });

  for (const [verb, done, who] of [
    ['accept', 'Accepted', 'the person asked'],
    ['decline', 'Declined', 'the person asked'],
    ['cancel', 'Cancelled', 'the person who asked'],
  ] as const) {
    act(
      io,
      withTz(
        httpCommand(swap, verb, `${verb} a swap request (${who}, or an admin)`)
          .argument('<swapId>', 'the swap id (printed when it was requested; vigil schedule swaps <schedule> lists them)')
          .option('--schedule <schedule>', "the swap's schedule, name or id (default: found by looking through every schedule)"),
      ),
      async (ctx, swapId) => {
        if (!UUID.test(swapId!)) throw new CliError(`"${swapId}" is not a swap id (a UUID, as printed by vigil schedule swap and vigil schedule swaps)`, EXIT.USAGE);
        const api = ctx.api();
        const scheduleRef = ctx.opts.schedule as string | undefined;
        const target = scheduleRef !== undefined ? await findSchedule(api, scheduleRef) : await scheduleOfSwap(api, swapId!);
        const result = await withForbiddenHint(
          api.request<{ swap: Swap }>('POST', `/schedules/${target.id}/swaps/${swapId}/${verb}`),
          `Only ${who}, or an admin, may ${verb} this swap.`,
        );
        if (ctx.json) return ctx.printJson(result);
        const s = result.swap;
        const when = span(s.start, s.end, await zoneOf(ctx));
        ctx.out(
          verb === 'accept'
            ? `${done} swap ${s.id}: ${clean(s.recipient.name)} is on call instead of ${clean(s.requester.name)} in ${clean(target.name)}, ${when} (override ${s.overrideId}).\n`
            : `${done} swap ${s.id} (${clean(s.requester.name)} asked ${clean(s.recipient.name)} to take ${when} in ${clean(target.name)}).\n`,
        );
      },
    );
  }

  act(
    io,
    withTz(
      httpCommand(schedule, 'swaps', "a schedule's swap requests, newest first")
        .argument('<schedule>', 'schedule name or id')
        .addOption(new Option('--status <status>', 'only swaps in this state').choices(SWAP_STATUSES)),
    ),
    async (ctx, ref) => {
      const api = ctx.api();
      const target = await findSchedule(api, ref!);
      const status = ctx.opts.status as string | undefined;
      const result = await api.request<{ swaps: Swap[] }>('GET', `/schedules/${target.id}/swaps${status ? `?status=${status}` : ''}`);
      if (ctx.json) return ctx.printJson(result);
      if (!result.swaps.length) return ctx.out(status ? `No ${status} swaps in ${clean(target.name)}.\n` : `No swaps in ${clean(target.name)} yet.\n`);
      const tz = await zoneOf(ctx);
      ctx.out(
        formatTable(
          ['SWAP ID', 'STATUS', 'FROM', 'TO', 'ASKED BY', 'TAKEN BY'],
          result.swaps.map((s) => [s.id, s.status, formatZoned(s.start, tz), formatZoned(s.end, tz), s.requester.name, s.recipient.name]),
          ctx.bold,
        ),
      );
    },
  );

  // ——— calendar feeds ———

  const calendar = program.command('calendar').description('iCalendar feeds of on-call shifts, for Google Calendar, Apple Calendar, Outlook…');
  act(
    io,
    httpCommand(calendar, 'create', "a feed of a schedule's shifts, or with --mine of your own shifts across schedules; prints its URL (shown only this once)")
      .argument('[schedule]', 'schedule name or id')
      .option('--mine', 'your own shifts in every schedule'),
    async (ctx, ref) => {
      const mine = ctx.opts.mine === true;
      if ((ref === undefined) === !mine) throw new CliError('say which feed: vigil calendar create <schedule>, or vigil calendar create --mine', EXIT.USAGE);
      const api = ctx.api();
      const path = mine ? '/users/me/calendar-feeds' : `/schedules/${(await findSchedule(api, ref!)).id}/calendar-feeds`;
      const result = await api.request<{ feed: CalendarFeed; url: string }>('POST', path);
      if (ctx.json) return ctx.printJson(result);
      // Only the URL on stdout, so URL=$(vigil calendar create …) works.
      ctx.out(`${result.url}\n`);
      ctx.io.stderr(
        `vigil: created calendar feed ${result.feed.id} (${feedTarget(result.feed)}); paste the URL into your calendar app as a subscription. It is shown only this once: anyone with it sees the shifts\n`,
      );
    },
  );
  act(io, httpCommand(calendar, 'list', 'your live calendar feeds (tokens as previews)'), async (ctx) => {
    const result = await ctx.api().request<{ feeds: CalendarFeed[] }>('GET', '/users/me/calendar-feeds');
    if (ctx.json) return ctx.printJson(result);
    if (!result.feeds.length) return ctx.out('No calendar feeds.\n');
    const tz = await zoneOf(ctx);
    ctx.out(formatTable(['FEED ID', 'SHOWS', 'TOKEN', 'CREATED'], result.feeds.map((f) => [f.id, feedTarget(f), f.tokenPreview, formatZoned(f.createdAt, tz)]), ctx.bold));
  });
  act(
    io,
    httpCommand(calendar, 'revoke', 'revoke a calendar feed: its URL stops working at once', { json: false }).argument('<feedId>', 'the feed id (vigil calendar list)'),
    async (ctx, feedId) => {
      if (!UUID.test(feedId!)) throw new CliError(`"${feedId}" is not a feed id (a UUID, as vigil calendar list shows)`, EXIT.USAGE);
      await ctx.api().request('DELETE', `/users/me/calendar-feeds/${feedId}`);
      ctx.out(`Revoked calendar feed ${feedId}.\n`);
    },
  );

  // ——— handoff report ———

  act(
    io,
    withTz(
      httpCommand(program, 'handoff', 'your handoff report: current, next and previous shift, open incidents, incidents of your last shift, maintenance windows').option(
        '--user <user>',
        "someone else's (email or id; needs an admin)",
      ),
    ),
    async (ctx) => {
      const api = ctx.api();
      const ref = ctx.opts.user as string | undefined;
      const id = ref === undefined ? 'me' : await resolveUserId(api, ref);
      const result = await withForbiddenHint(api.request<Handoff>('GET', `/users/${id}/handoff`), "Only an admin may read someone else's handoff report.");
      if (ctx.json) return ctx.printJson(result);
      ctx.out(handoffText(ctx, result, await zoneOf(ctx)));
    },
  );
}

function feedTarget(f: CalendarFeed): string {
  return f.schedule ? `schedule ${f.schedule.name}` : 'your own shifts';
}

// ——— lookups ———

/** A schedule by id (one request), else by name: exactly, else case-insensitively (names are unique that way). */
export async function findSchedule(api: ApiClient, ref: string): Promise<Named> {
  if (UUID.test(ref)) return (await api.request<{ schedule: ScheduleDetail }>('GET', `/schedules/${ref}`)).schedule;
  const { schedules } = await api.request<{ schedules: ScheduleSummary[] }>('GET', '/schedules');
  const wanted = ref.trim().toLowerCase();
  const found = schedules.find((s) => s.name === ref) ?? schedules.find((s) => s.name.toLowerCase() === wanted);
  if (!found) throw new CliError(`NOT_FOUND no schedule is named "${ref}" (vigil schedule list shows them)`, EXIT.ERROR);
  return found;
}

/** A user argument as an id: a UUID as is, else the user with that email (case-insensitively). */
export async function resolveUserId(api: ApiClient, ref: string): Promise<string> {
  if (UUID.test(ref)) return ref;
  const { users } = await api.request<{ users: User[] }>('GET', '/users');
  const wanted = ref.trim().toLowerCase();
  const found = users.find((u) => u.email.toLowerCase() === wanted);
  if (!found) throw new CliError(`NOT_FOUND no user has the email "${ref}" (give an email or a user id)`, EXIT.ERROR);
  return found.id;
}

/** The schedule a swap belongs to, by looking through each schedule's swaps. */
async function scheduleOfSwap(api: ApiClient, swapId: string): Promise<Named> {
  const { schedules } = await api.request<{ schedules: ScheduleSummary[] }>('GET', '/schedules');
  for (const s of schedules) {
    const { swaps } = await api.request<{ swaps: Swap[] }>('GET', `/schedules/${s.id}/swaps`);
    if (swaps.some((w) => w.id === swapId)) return s;
  }
  throw new CliError(`NOT_FOUND no schedule has a swap ${swapId}`, EXIT.ERROR);
}

/** --tz, else the zone of the user behind the token. */
async function zoneOf(ctx: Context): Promise<string> {
  const tz = ctx.opts.tz as string | undefined;
  if (tz) return tz;
  const { user } = await ctx.api().request<{ user: User }>('GET', '/me');
  return isTimeZone(user.timeZone) ? user.timeZone : 'UTC';
}

async function withForbiddenHint<T>(request: Promise<T>, hint: string): Promise<T> {
  try {
    return await request;
  } catch (e) {
    if (!(e instanceof CliError) || !e.message.startsWith('FORBIDDEN ')) throw e;
    const m = / \(request [^)]*\)$/.exec(e.message);
    throw new CliError(m ? `${e.message.slice(0, m.index)} ${hint}${m[0]}` : `${e.message} ${hint}`, e.exitCode);
  }
}

// ——— text renderings ———

function via(source: ShiftSource, layers: readonly Pick<ScheduleLayer, 'id' | 'name'>[]): string {
  if (source.type === 'layer') return `layer ${layers.find((l) => l.id === source.layerId)?.name ?? source.layerId}`;
  return source.type === 'override' ? 'override' : 'temporary schedule';
}

/** `from Mon 2026-03-02 09:00 to Tue 2026-03-03 09:00 GMT` */
function span(start: string, end: string, tz: string): string {
  return `from ${formatZoned(start, tz)} to ${formatZoned(end, tz, { withZone: true })}`;
}

function scheduleText(ctx: Context, s: ScheduleDetail, shifts: Shifts, tz: string): string {
  const names = new Map(s.users.map((u) => [u.id, u.name]));
  const percent = (share: number) => `${Math.floor(share * 1000) / 10}%`;
  let text = formatFields([
    ['Schedule', s.name],
    ['ID', s.id],
    ['Description', s.description || '-'],
    ['Time zone', s.timeZone],
    ['People', s.users.map((u) => u.name).join(', ') || '-'],
    ['Next 14 days', `${percent(s.coverage)} covered, ${s.gaps.length} ${s.gaps.length === 1 ? 'gap' : 'gaps'}`],
    ['Times in', tz],
  ]);
  text += `\nLayers (lowest precedence first):\n`;
  text += s.layers.length
    ? s.layers
        .map(
          (l) =>
            `  ${clean(l.name)} [${clean(l.id)}]: ${l.rotation.length} ${l.rotation.unit}${l.rotation.length === 1 ? '' : 's'} each, hands off ${l.handoff.date} ${l.handoff.time}` +
            `${l.handoff.timeZone ? ` ${l.handoff.timeZone}` : ''}${l.restrictions?.length ? `, ${l.restrictions.length} restriction(s)` : ''}: ` +
            `${clean(l.participants.map((p) => names.get(p) ?? p).join(' → ') || 'nobody')}\n`,
        )
        .join('')
    : '  none\n';
  text += `\nGaps in the next 14 days (nobody on call):\n`;
  text += s.gaps.length ? s.gaps.map((g) => `  ${span(g.start, g.end, tz)} (${formatDuration(Date.parse(g.end) - Date.parse(g.start))})\n`).join('') : '  none\n';
  text += `\nShifts ${span(shifts.from, shifts.to, tz)} (${percent(shifts.coverage)} covered):\n`;
  text += shifts.shifts.length
    ? formatTable(
        ['START', 'END', 'LENGTH', 'ON CALL', 'VIA'],
        shifts.shifts.map((x) => [formatZoned(x.start, tz), formatZoned(x.end, tz), formatDuration(Date.parse(x.end) - Date.parse(x.start)), x.user.name, via(x.source, s.layers)]),
        ctx.bold,
      )
    : 'Nobody is on call in this range.\n';
  return text;
}

function handoffText(ctx: Context, h: Handoff, tz: string): string {
  const shift = (s: HandoffShift | null) => (s ? `${s.schedule.name}, ${span(s.start, s.end, tz)}` : '-');
  const incidents = (list: Incident[]) =>
    list.length
      ? formatTable(
          ['#', 'STATUS', 'URGENCY', 'SERVICE', 'CREATED', 'TITLE'],
          list.map((i) => [String(i.number), i.status, i.urgency, i.serviceName, formatZoned(i.createdAt, tz), i.title]),
          ctx.bold,
          { maxWidth: ctx.width },
        )
      : 'None.\n';
  let text = formatFields([
    ['Handoff report', `${h.user.name}, at ${formatZoned(h.at, tz, { withZone: true })}`],
    ['Current shift', shift(h.currentShift)],
    ['Next shift', shift(h.nextShift)],
    ['Previous shift', shift(h.previousShift)],
  ]);
  text += `\nOpen incidents (${h.openIncidents.length}; of every service: services are not linked to schedules yet):\n${incidents(h.openIncidents)}`;
  text += h.previousShift ? `\nIncidents created during the previous shift (${h.incidentsDuringPreviousShift.length}):\n${incidents(h.incidentsDuringPreviousShift)}` : '';
  text += `\nMaintenance windows, active and upcoming (${h.maintenanceWindows.length}):\n`;
  text += h.maintenanceWindows.length
    ? formatTable(
        ['STATE', 'SERVICE', 'FROM', 'TO', 'DESCRIPTION'],
        h.maintenanceWindows.map((w) => [w.state, w.serviceName, formatZoned(w.startsAt, tz), formatZoned(w.endsAt, tz), w.description]),
        ctx.bold,
        { maxWidth: ctx.width },
      )
    : 'None.\n';
  return text;
}
