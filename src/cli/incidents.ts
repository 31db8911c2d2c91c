import { type Command, InvalidArgumentError, Option } from 'commander';
import type { ApiClient } from './api-client.ts';
import { act, type CliIo, type Context, httpCommand, listOf, positiveInteger, resolveServiceId } from './command.ts';
import { clean, CliError, EXIT, formatAge, formatFields, formatTable, formatTime, parseWhen, truncate, UUID } from './format.ts';
import { resolveUserId } from './schedules.ts';
import {
  type DeliveryLog,
  type Incident,
  type IncidentChange,
  type IncidentDetail,
  type IncidentPage,
  INCIDENT_STATUSES,
  type ManualEscalation,
  type Policy,
  type PolicyPreview,
} from './wire.ts';

/**
 * `vigil incident list|show|ack|resolve|escalate|reassign` and `vigil policy list|show`: incidents, their
 * escalation and delivery log, and escalation policies with who they would page now, over the HTTP API.
 */

const PAGE_MAX = 200;
const DEFAULT_LIMIT = 50;

/** A level number as given to `--level`: 0-based, so 0 is allowed. */
function levelNumber(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError('Expected a level number: 0 for the first level, 1 for the second, ….');
  return n;
}

export function registerIncidentCommands(io: CliIo, program: Command): void {
  const incident = program.command('incident').description('list, inspect, acknowledge, resolve and escalate incidents');

  act(
    io,
    httpCommand(incident, 'list', 'incidents, newest first')
      .option('--status <list>', `comma-separated: ${INCIDENT_STATUSES.join(', ')}`, listOf(INCIDENT_STATUSES))
      .option('--service <service>', 'service name or id')
      .addOption(new Option('--limit <n>', `show at most n incidents (default ${DEFAULT_LIMIT})`).argParser(positiveInteger).conflicts('all'))
      .option('--all', 'every matching incident (follows the pages)'),
    async (ctx) => {
      const o = ctx.opts as { status?: string[]; service?: string; limit?: number; all?: boolean };
      const api = ctx.api();
      const filters = new URLSearchParams();
      if (o.status) filters.set('status', o.status.join(','));
      if (o.service !== undefined) filters.set('serviceId', await resolveServiceId(api, o.service));
      const want = o.all ? Infinity : (o.limit ?? DEFAULT_LIMIT);
      const incidents: Incident[] = [];
      let nextCursor: number | null = null;
      do {
        const query = new URLSearchParams(filters);
        query.set('limit', String(Math.min(PAGE_MAX, want - incidents.length)));
        if (nextCursor !== null) query.set('before', String(nextCursor));
        const page: IncidentPage = await api.request<IncidentPage>('GET', `/incidents?${query}`);
        incidents.push(...page.incidents);
        nextCursor = page.nextCursor;
      } while (nextCursor !== null && incidents.length < want);
      if (ctx.json) return ctx.printJson({ incidents, nextCursor } satisfies IncidentPage);
      if (!incidents.length) return ctx.out([...filters.keys()].length ? 'No incidents match.\n' : 'No incidents yet.\n');
      const now = ctx.io.now();
      ctx.out(
        formatTable(
          ['#', 'STATUS', 'URGENCY', 'SERVICE', 'ALERTS', 'AGE', 'TITLE'],
          incidents.map((i) => [String(i.number), i.status, i.urgency, i.serviceName, String(i.alertCount), formatAge(i.createdAt, now), i.title]),
          ctx.bold,
          { maxWidth: ctx.width },
        ),
      );
      if (nextCursor !== null) ctx.io.stderr(`vigil: note: showing the newest ${incidents.length}; more incidents match (--limit <n> shows more, --all every one)\n`);
    },
  );

  act(
    io,
    httpCommand(incident, 'show', 'one incident: its fields, its alerts, its escalation and every page sent').argument('<incident>', 'incident number (12 or #12) or id'),
    async (ctx, ref) => {
      const api = ctx.api();
      const path = `/incidents/${encodeURIComponent(ref!)}`;
      const detail = await api.request<IncidentDetail>('GET', path);
      const deliveryLog = await api.request<DeliveryLog>('GET', `${path}/notifications`);
      if (ctx.json) return ctx.printJson({ ...detail, deliveryLog });
      ctx.out(incidentText(ctx, detail, deliveryLog));
    },
  );

  for (const [name, verb, done] of [
    ['ack', 'acknowledge', 'Acknowledged'],
    ['resolve', 'resolve', 'Resolved'],
  ] as const) {
    const command = httpCommand(
      incident,
      name,
      verb === 'acknowledge' ? 'acknowledge an incident: all its triggered alerts, and its escalation stops' : 'resolve an incident: all its open alerts, and its escalation stops',
    ).argument('<incident>', 'incident number (12 or #12) or id');
    if (name === 'ack') command.alias('acknowledge');
    act(io, command, async (ctx, ref) => {
      const result = await writeRequest<IncidentChange>(ctx.api(), `/incidents/${encodeURIComponent(ref!)}/${verb}`, undefined, `${verb === 'acknowledge' ? 'Acknowledging' : 'Resolving'} incidents`);
      if (ctx.json) return ctx.printJson(result);
      const i = result.incident;
      const what = result.changed.length
        ? `${done} incident #${i.number} ${clean(i.title)} (${result.changed.length} ${result.changed.length === 1 ? 'alert' : 'alerts'}: ${result.changed.map((a) => `#${a.number}`).join(', ')}); it is now ${i.status}.`
        : `Incident #${i.number} ${clean(i.title)} is already ${i.status}; nothing changed.`;
      ctx.out(`${what}\n`);
    });
  }

  act(
    io,
    httpCommand(incident, 'escalate', "page the next level of a triggered incident's escalation now, or level K with --level")
      .argument('<incident>', 'incident number (12 or #12) or id')
      .option('--level <k>', 'the level to page now, 0 for the first (a level already paged in this pass is paged again, in a new pass)', levelNumber),
    async (ctx, ref) => {
      const { level } = ctx.opts as { level?: number };
      const result = await writeRequest<ManualEscalation>(ctx.api(), `/incidents/${encodeURIComponent(ref!)}/escalate`, level !== undefined ? { level } : {}, 'Escalating incidents');
      if (ctx.json) return ctx.printJson(result);
      const names = userNames(result);
      const lines: string[] = [];
      if (result.fired) {
        lines.push(`Escalated incident #${result.incidentNumber}: paged level ${result.fired.level} (pass ${result.fired.pass}): ${result.fired.userIds.map((id) => clean(names.get(id) ?? id)).join(', ')}.`);
      } else {
        lines.push(`Escalated incident #${result.incidentNumber}: every remaining level resolves to nobody; nobody was paged.`);
      }
      for (const s of result.skipped) lines.push(`Skipped level ${s.level} (pass ${s.pass}): ${s.reason}.`);
      const e = result.escalation;
      if (e) lines.push(e.stoppedAt ? `The escalation has ended (${e.stopReason}).` : `Next: level ${e.level} (pass ${e.pass}) at ${formatTime(e.nextRunAt)}.`);
      ctx.out(lines.map((l) => `${l}\n`).join(''));
    },
  );

  act(
    io,
    httpCommand(incident, 'reassign', 'hand an open incident to people (--user, repeatable) or to another policy (--policy): its escalation starts again on them')
      .argument('<incident>', 'incident number (12 or #12) or id')
      .option('--user <email or id>', 'a person to page instead (repeat for several)', (v: string, all: string[] = []) => [...all, v])
      .option('--policy <name or id>', 'an escalation policy to run instead, from its first level'),
    async (ctx, ref) => {
      const { user, policy } = ctx.opts as { user?: string[]; policy?: string };
      if (!user === !policy) throw new CliError('give either --user (one or more) or --policy', EXIT.USAGE);
      const api = ctx.api();
      const body = user ? { userIds: await Promise.all(user.map((u) => resolveUserId(api, u))) } : { policyId: await policyId(api, policy!) };
      const result = await writeRequest<DeliveryLog>(api, `/incidents/${encodeURIComponent(ref!)}/reassign`, body, 'Reassigning incidents');
      if (ctx.json) return ctx.printJson(result);
      const e = result.escalation!;
      ctx.out(`Reassigned incident #${result.incidentNumber} to ${clean(e.steps.at(-1)?.restart?.to ?? e.policy.name)}; its escalation starts again at level 0 now.\n`);
    },
  );
}

export function registerPolicyCommands(io: CliIo, program: Command): void {
  const policy = program.command('policy').description('escalation policies: their levels, the services using them, and who they would page now');

  act(io, httpCommand(policy, 'list', 'escalation policies by name, with the services that use each'), async (ctx) => {
    const result = await ctx.api().request<{ policies: Policy[] }>('GET', '/escalation-policies');
    if (ctx.json) return ctx.printJson(result);
    if (!result.policies.length) return ctx.out('No escalation policies yet.\n');
    ctx.out(
      formatTable(
        ['ID', 'NAME', 'LEVELS', 'REPEAT', 'VERSION', 'SERVICES'],
        result.policies.map((p) => [p.id, p.name, String(p.levels.length), String(p.repeat), String(p.version), p.services.map((s) => s.name).join(', ') || '-']),
        ctx.bold,
        { maxWidth: ctx.width },
      ),
    );
  });

  act(
    io,
    httpCommand(policy, 'show', 'one policy: its levels and targets, and who each level would page now (or --at)')
      .argument('<policy>', 'policy id or name')
      .option('--at <when>', 'preview at this instant instead of now: ISO date-time (UTC unless it has an offset)', (value: string) => {
        const iso = parseWhen(value, io.now());
        if (!iso) throw new InvalidArgumentError('Expected an ISO 8601 date or date-time, e.g. 2026-01-05T09:00Z.');
        return iso;
      }),
    async (ctx, ref) => {
      const { at } = ctx.opts as { at?: string };
      const api = ctx.api();
      const id = await policyId(api, ref!);
      const { policy: p } = await api.request<{ policy: Policy }>('GET', `/escalation-policies/${id}`);
      const { preview } = await api.request<{ preview: PolicyPreview }>('GET', `/escalation-policies/${id}/preview${at ? `?at=${encodeURIComponent(at)}` : ''}`);
      if (ctx.json) return ctx.printJson({ policy: p, preview });
      ctx.out(policyText(ctx, p, preview));
    },
  );
}

function restartNote(r: NonNullable<DeliveryLog['escalation']>['steps'][number]['restart'] & {}, names: Map<string, string>): string {
  if (r.reason === 'ack timeout') return 'started again: the acknowledgement timed out';
  const by = r.by ? ` by ${names.get(r.by) ?? r.by}` : '';
  return r.reason === 'reassigned' ? `reassigned to ${r.to ?? '?'}${by}` : `started again${by}: escalated after it ended`;
}

/** A policy argument as its id: a UUID as is, else the policy with that name (exactly, else ignoring case). */
async function policyId(api: ApiClient, ref: string): Promise<string> {
  if (UUID.test(ref)) return ref;
  const { policies } = await api.request<{ policies: Policy[] }>('GET', '/escalation-policies');
  const wanted = ref.trim().toLowerCase();
  const found = policies.find((p) => p.name === ref) ?? policies.find((p) => p.name.toLowerCase() === wanted);
  if (!found) throw new CliError(`NOT_FOUND no escalation policy is named "${ref}" (vigil policy list shows them)`, EXIT.ERROR);
  return found.id;
}

/** A POST that needs write permission, with a hint when it is refused for that. */
async function writeRequest<T>(api: ApiClient, path: string, body: unknown, doing: string): Promise<T> {
  try {
    return await api.request<T>('POST', path, body);
  } catch (e) {
    if (e instanceof CliError && e.message.startsWith('FORBIDDEN ')) {
      const m = / \(request [^)]*\)$/.exec(e.message);
      const hint = `${doing} needs a responder or admin, with a write or admin token.`;
      throw new CliError(m ? `${e.message.slice(0, m.index)} ${hint}${m[0]}` : `${e.message} ${hint}`, e.exitCode);
    }
    throw e;
  }
}

/** The names the delivery log knows, by user id (steps carry ids only). */
function userNames(log: DeliveryLog): Map<string, string> {
  return new Map(log.notifications.flatMap((n) => (n.user ? [[n.user.id, n.user.name] as const] : [])));
}

function fit(ctx: Context, line: string): string {
  return ctx.width === undefined ? line : truncate(line, Math.max(ctx.width, 20));
}

function incidentText(ctx: Context, { incident: i, alerts }: IncidentDetail, log: DeliveryLog): string {
  let text = formatFields([
    ['Incident', `#${i.number} ${i.title}`],
    ['ID', i.id],
    ['Status', i.status],
    ['Urgency', i.urgency],
    ['Service', i.serviceName],
    ['Alerts', String(i.alertCount)],
    ['Created', formatTime(i.createdAt)],
    ['Acknowledged', formatTime(i.acknowledgedAt)],
    ['Resolved', formatTime(i.resolvedAt)],
  ]);
  text += `\nAlerts:\n`;
  text += alerts.length
    ? formatTable(['#', 'STATUS', 'SEVERITY', 'SUMMARY'], alerts.map((a) => [String(a.number), a.status, a.severity, a.summary]), ctx.bold, { maxWidth: ctx.width })
    : 'No alerts.\n';
  const e = log.escalation;
  text += '\nEscalation:\n';
  if (!e) return `${text}  none: the service had no escalation policy when the incident opened (nobody was paged)\n`;
  text += `  policy ${clean(e.policy.name)} (version ${e.policy.version}), started ${formatTime(e.startedAt)}\n`;
  text += e.stoppedAt ? `  ended ${formatTime(e.stoppedAt)}: ${clean(e.stopReason ?? '')}\n` : `  next: level ${e.level} (pass ${e.pass}) at ${formatTime(e.nextRunAt)}\n`;
  const names = userNames(log);
  if (e.steps.length) {
    text += formatTable(
      ['TIME', 'LEVEL', 'PASS', 'PAGED', 'NOTE'],
      e.steps.map((s) => [
        formatTime(s.at, '-', 'second'),
        s.level === null ? '-' : String(s.level),
        s.pass === null ? '-' : String(s.pass),
        s.userIds.map((id) => names.get(id) ?? id).join(', ') || 'nobody',
        [
          ...(s.restart ? [restartNote(s.restart, names)] : []),
          ...(s.manual ? [`by hand${s.manual.requestedLevel !== null ? ` (to level ${s.manual.requestedLevel})` : ' (escalate now)'}`] : []),
          ...s.skipped.map((k) => `skipped level ${k.level}: ${k.reason}`),
        ].join('; '),
      ]),
      ctx.bold,
    );
  }
  text += `\nPages (${log.notifications.length}):\n`;
  text += log.notifications.length
    ? formatTable(
        ['CREATED', 'LEVEL', 'PASS', 'USER', 'METHOD', 'DELAY', 'STATUS', 'TRIES', 'ERROR'],
        log.notifications.map((n) => [
          formatTime(n.createdAt, '-', 'second'),
          String(n.level),
          String(n.pass),
          n.user?.name ?? '(deleted user)',
          n.contactMethod ? `${n.contactMethod.type} ${n.contactMethod.label}` : '-',
          n.delayMinutes === null ? '-' : `${n.delayMinutes}m`,
          n.status,
          String(n.attempts),
          n.lastError ?? '',
        ]),
        ctx.bold,
      )
    : 'No pages.\n';
  return text;
}

function policyText(ctx: Context, p: Policy, preview: PolicyPreview): string {
  let text = formatFields([
    ['Policy', p.name],
    ['ID', p.id],
    ...(p.description ? ([['Description', clean(p.description)]] as [string, string][]) : []),
    ['Repeat', `${p.repeat} (${p.repeat + 1} ${p.repeat === 0 ? 'pass' : 'passes'} over the levels)`],
    ['Ack timeout', p.ackTimeoutMinutes === null ? 'none (an acknowledgement holds until resolved)' : `${p.ackTimeoutMinutes} minutes (then triggered again)`],
    ['Version', String(p.version)],
    ['Services', p.services.map((s) => s.name).join(', ') || '-'],
  ]);
  text += `\nWho would be paged at ${formatTime(preview.at)}:\n`;
  text += formatTable(
    ['LEVEL', 'DELAY', 'MODE', 'TARGETS', 'PAGES'],
    preview.levels.map((l) => [
      String(l.level),
      `${l.delayMinutes}m`,
      l.mode,
      l.targets.map((t) => `${t.type} ${t.name ?? '(deleted)'}`).join(', '),
      l.skipped ? 'nobody (skipped)' : l.users.map((u) => u.name).join(', '),
    ]),
    ctx.bold,
  );
  if (preview.timeline.length) {
    text += '\nIf nobody acknowledges:\n';
    text += preview.timeline
      .map((s) => fit(ctx, `  ${formatTime(s.at)}  ${s.level === null ? 'nobody left to page' : `level ${s.level} (pass ${s.pass}): ${s.users.map((u) => clean(u.name)).join(', ')}`}`) + '\n')
      .join('');
  }
  return text;
}
