import { type Command, InvalidArgumentError, Option } from 'commander';
import { act, type CliIo, type Context, findService, httpCommand, keyValue, listOf, positiveInteger, resolveServiceId } from './command.ts';
import { clean, CliError, EXIT, formatAge, formatFields, formatTable, formatTime, parseWhen, truncate } from './format.ts';
import { type Alert, type AlertChange, type AlertDetail, type AlertEvent, type AlertPage, ALERT_STATUSES, type EventAccepted, SEVERITIES } from './wire.ts';

/**
 * `vigil alert list|show|ack|resolve` and `vigil send`: alerts over the HTTP API, and a test event
 * through the generic ingestion endpoint (the one curl and scripts use).
 */

/** The API's page size limit; `alert list` follows cursors past it. */
const PAGE_MAX = 200;
const DEFAULT_LIMIT = 50;
/** The bulk endpoints' limit (core/alerts MAX_BULK). */
const BULK_MAX = 100;

export function registerAlertCommands(io: CliIo, program: Command): void {
  const alert = program.command('alert').description('list, inspect, acknowledge and resolve alerts');

  const when = (value: string): string => {
    const iso = parseWhen(value, io.now());
    if (!iso) throw new InvalidArgumentError('Expected an ISO 8601 date or date-time (2026-01-05, 2026-01-05T09:00Z) or an age such as 30m, 1h, 2d.');
    return iso;
  };

  act(
    io,
    httpCommand(alert, 'list', 'alerts, newest first (suppressed ones are marked)')
      .option('--status <list>', `comma-separated: ${ALERT_STATUSES.join(', ')}`, listOf(ALERT_STATUSES))
      .option('--severity <list>', `comma-separated: ${SEVERITIES.join(', ')}`, listOf(SEVERITIES))
      .option('--service <service>', 'service name or id')
      .option('--suppressed', 'only suppressed alerts (recorded, nobody paged)')
      .option('--no-suppressed', 'only alerts that paged')
      .option('--since <when>', 'created at or after: ISO date or date-time (UTC unless it has an offset), or an age such as 30m, 1h, 2d', when)
      .option('--until <when>', 'created before (same forms as --since)', when)
      .addOption(new Option('--limit <n>', `show at most n alerts (default ${DEFAULT_LIMIT})`).argParser(positiveInteger).conflicts('all'))
      .option('--all', 'every matching alert (follows the pages)'),
    async (ctx) => {
      const o = ctx.opts as { status?: string[]; severity?: string[]; service?: string; suppressed?: boolean; since?: string; until?: string; limit?: number; all?: boolean };
      const api = ctx.api();
      const filters = new URLSearchParams();
      if (o.status) filters.set('status', o.status.join(','));
      if (o.severity) filters.set('severity', o.severity.join(','));
      if (o.service !== undefined) filters.set('serviceId', await resolveServiceId(api, o.service));
      if (o.suppressed !== undefined) filters.set('suppressed', String(o.suppressed));
      if (o.since) filters.set('since', o.since);
      if (o.until) filters.set('until', o.until);

      const want = o.all ? Infinity : (o.limit ?? DEFAULT_LIMIT);
      const alerts: Alert[] = [];
      let nextCursor: string | null = null;
      // Each page asks for no more than is still wanted, so the last page's cursor continues exactly after the last alert shown.
      do {
        const query = new URLSearchParams(filters);
        query.set('limit', String(Math.min(PAGE_MAX, want - alerts.length)));
        if (nextCursor) query.set('cursor', nextCursor);
        const page: AlertPage = await api.request<AlertPage>('GET', `/alerts?${query}`);
        alerts.push(...page.alerts);
        nextCursor = page.nextCursor;
      } while (nextCursor && alerts.length < want);

      if (ctx.json) return ctx.printJson({ alerts, nextCursor } satisfies AlertPage);
      const filtered = [...filters.keys()].length > 0;
      if (!alerts.length) return ctx.out(filtered ? 'No alerts match.\n' : 'No alerts yet.\n');
      ctx.out(alertTable(ctx, alerts));
      if (nextCursor) ctx.io.stderr(`vigil: note: showing the newest ${alerts.length}; more alerts match (--limit <n> shows more, --all every one)\n`);
    },
  );

  act(io, httpCommand(alert, 'show', 'one alert: its fields, labels, details, links and event log').argument('<alert>', 'alert number (12 or #12) or id'), async (ctx, ref) => {
    const result = await ctx.api().request<AlertDetail>('GET', `/alerts/${encodeURIComponent(ref!)}`);
    if (ctx.json) return ctx.printJson(result);
    ctx.out(alertText(ctx, result));
  });

  for (const [name, verb, done, doing] of [
    ['ack', 'acknowledge', 'acknowledged', 'Acknowledging'],
    ['resolve', 'resolve', 'resolved', 'Resolving'],
  ] as const) {
    const command = httpCommand(alert, name, `${verb} alerts (one or up to ${BULK_MAX} at once); those already ${done} are left as they are`).argument(
      '<alerts...>',
      'alert numbers (12 or #12) or ids',
    );
    if (name === 'ack') command.alias('acknowledge');
    act<[string[]]>(io, command, async (ctx, refs) => {
      if (refs.length > BULK_MAX) throw new CliError(`at most ${BULK_MAX} alerts at once (got ${refs.length}); split the list, e.g. with xargs -n ${BULK_MAX}`, EXIT.USAGE);
      const api = ctx.api();
      let result: AlertChange;
      try {
        result =
          refs.length === 1
            ? await api.request<AlertChange>('POST', `/alerts/${encodeURIComponent(refs[0]!)}/${verb}`)
            : await api.request<AlertChange>('POST', `/alerts/${verb}`, { ids: refs });
      } catch (e) {
        if (!(e instanceof CliError)) throw e;
        if (e.message.startsWith('FORBIDDEN ')) throw withHint(e, `${doing} alerts needs a responder or admin, with a write or admin token.`);
        if (e.message.startsWith('NOT_FOUND ') && refs.length > 1) throw withHint(e, `None of the ${refs.length} alerts was changed.`);
        throw e;
      }
      if (ctx.json) return ctx.printJson(result);
      const line = (label: string, a: Alert) => fit(ctx, `${label} #${a.number} ${clean(a.serviceName)}: ${clean(a.summary)}`) + '\n';
      ctx.out(
        result.changed.map((a) => line(done === 'acknowledged' ? 'Acknowledged' : 'Resolved', a)).join('') +
          result.unchanged.map((a) => line(`Already ${a.status}, unchanged:`, a)).join(''),
      );
    });
  }

  act(
    io,
    httpCommand(program, 'send', "send a test event through the generic endpoint (as a monitoring tool would) and print Vigil's decision")
      .option('--service <service>', 'service name or id: its integration key is looked up with your token (needs write permission)')
      .addOption(new Option('--key <key>', 'integration key to send with (needs no API token)').conflicts('service'))
      .option('--title <text>', 'the alert summary (required unless --resolve)')
      .addOption(new Option('--severity <severity>', 'alert severity (default error)').choices(SEVERITIES))
      .option('--dedup-key <key>', 'events with the same key update one alert; required with --resolve')
      .option('--resolve', 'resolve the open alert with this --dedup-key instead of triggering one')
      .option('--description <text>', 'longer text shown on the alert')
      .option('--detail <key=value>', 'a detail shown on the alert (repeatable)', keyValue)
      .option('--label <key=value>', 'a label that rules and silences match (repeatable)', keyValue)
      .option('--source <text>', 'where it comes from, e.g. a host name')
      .option('--source-url <url>', 'a link back to the source'),
    async (ctx) => {
      const o = ctx.opts as {
        service?: string;
        key?: string;
        title?: string;
        severity?: string;
        dedupKey?: string;
        resolve?: boolean;
        description?: string;
        detail?: Record<string, string>;
        label?: Record<string, string>;
        source?: string;
        sourceUrl?: string;
      };
      if (o.service === undefined && o.key === undefined) throw new CliError('say where to send: --service <name|id> or --key <integration key>', EXIT.USAGE);
      if (o.resolve && o.dedupKey === undefined) throw new CliError('--resolve needs --dedup-key: the key of the alert to resolve', EXIT.USAGE);
      if (!o.resolve && o.title === undefined) throw new CliError("required option '--title <text>' not specified", EXIT.USAGE);
      const api = ctx.api();
      const key = o.key ?? (await integrationKeyOf(ctx, o.service!));
      const body = {
        ...(o.title !== undefined ? { title: o.title } : {}),
        status: o.resolve ? 'resolved' : 'firing',
        ...(o.dedupKey !== undefined ? { dedup_key: o.dedupKey } : {}),
        ...(o.severity !== undefined ? { severity: o.severity } : {}),
        ...(o.description !== undefined ? { description: o.description } : {}),
        ...(o.detail ? { details: o.detail } : {}),
        ...(o.label ? { labels: o.label } : {}),
        ...(o.source !== undefined ? { source: o.source } : {}),
        ...(o.sourceUrl !== undefined ? { source_url: o.sourceUrl } : {}),
      };
      const result = await api.request<EventAccepted>('POST', `/integrations/${encodeURIComponent(key)}/events`, body, { auth: false });
      if (ctx.json) return ctx.printJson(result);
      ctx.out(`${clean(describeDecision(result))}\n${result.dedupKey !== null ? `Dedup key: ${clean(result.dedupKey)}\n` : ''}`);
    },
  );
}

/** The first integration key of a service the token may see; a clear refusal when keys are hidden from it. */
async function integrationKeyOf(ctx: Context, ref: string): Promise<string> {
  const service = await findService(ctx.api(), ref);
  const usable = service.integrationKeys.find((k) => k.key !== null);
  if (usable) return usable.key!;
  if (service.integrationKeys.length) {
    throw new CliError(
      `FORBIDDEN this token may not see the integration keys of service "${service.name}": --service needs a token with write permission (a responder or admin); or pass --key <integration key>`,
      EXIT.AUTH,
    );
  }
  throw new CliError(`service "${service.name}" has no active integration key to send with (vigil service show "${service.name}")`, EXIT.ERROR);
}

/** "created alert #12, opened incident #5 (high urgency)", "deduplicated into alert #12: repeat #2 …", … */
export function describeDecision(r: EventAccepted): string {
  const alert = r.alertNumber !== null ? `alert #${r.alertNumber}` : 'no alert';
  switch (r.decision) {
    case 'created':
      return `created ${alert}, ${r.reason}`;
    case 'suppressed':
      return `created ${alert}, ${r.reason}: nobody was paged`;
    case 'deduplicated':
      return `deduplicated into ${alert}: ${r.reason}`;
    case 'acknowledged':
    case 'resolved':
      return `${r.decision} ${alert} (${r.reason})`;
    default:
      return `${r.decision}: ${r.reason}`;
  }
}

/** Why an alert paged nobody, from its `suppressedBy`. */
export function describeSuppression(s: Record<string, unknown>): string {
  const str = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
  if (s.type === 'maintenance') return `maintenance window "${str(s.description)}" until ${formatTime(str(s.until))}`;
  if (s.type === 'silence') return `silence "${str(s.comment)}" (${str(s.matchers)}) until ${formatTime(str(s.until))}`;
  if (s.type === 'rule') return `event rule "${str(s.name)}"`;
  return JSON.stringify(s);
}

// ——— text renderings ———

function fit(ctx: Context, line: string): string {
  return ctx.width === undefined ? line : truncate(line, Math.max(ctx.width, 20));
}

function alertTable(ctx: Context, alerts: Alert[]): string {
  const now = ctx.io.now();
  return formatTable(
    ['#', 'STATUS', 'SEVERITY', 'URGENCY', 'SERVICE', 'COUNT', 'AGE', 'SUMMARY'],
    alerts.map((a) => [
      String(a.number),
      a.status,
      a.severity,
      a.urgency,
      a.serviceName,
      String(a.count),
      formatAge(a.createdAt, now),
      `${a.suppressedBy ? '[suppressed] ' : ''}${a.summary}`,
    ]),
    ctx.bold,
    { maxWidth: ctx.width },
  );
}

function alertText(ctx: Context, { alert: a, events, eventCount }: AlertDetail): string {
  const optional = (label: string, value: string | null): [string, string][] => (value ? [[label, value]] : []);
  let text = formatFields([
    ['Alert', `#${a.number} ${a.summary}`],
    ['ID', a.id],
    ['Status', a.status],
    ...optional('Suppressed', a.suppressedBy && `by ${describeSuppression(a.suppressedBy)}: nobody was paged`),
    ['Severity', `${a.severity} (${a.urgency} urgency)`],
    ['Service', a.serviceName],
    ['Incident', a.incidentNumber !== null ? `#${a.incidentNumber}` : '-'],
    ['Dedup key', a.dedupKey],
    ['Sender', a.sender],
    ['Source', a.source ?? '-'],
    ...optional('Component', a.component),
    ...optional('Group', a.group),
    ...optional('Class', a.class),
    ...optional('Client', a.client && (a.clientUrl ? `${a.client} ${a.clientUrl}` : a.client)),
    ['Count', String(a.count)],
    ['Started', formatTime(a.startedAt)],
    ['Created', formatTime(a.createdAt)],
    ['Last seen', formatTime(a.lastSeenAt)],
    ['Acknowledged', formatTime(a.acknowledgedAt)],
    ['Resolved', formatTime(a.resolvedAt)],
  ]);
  const section = (title: string, lines: string[]) => (lines.length ? `\n${title}:\n${lines.map((l) => `  ${l}\n`).join('')}` : '');
  text += section('Description', a.description ? a.description.split(/\r?\n/).map(clean) : []);
  text += section('Labels', sorted(a.labels).map(([k, v]) => clean(`${k}=${v}`)));
  text += section('Details', sorted(a.details).map(([k, v]) => clean(`${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)));
  text += section('Links', [...a.links.map((l) => clean(l.text ? `${l.text}: ${l.href}` : l.href)), ...a.images.map((i) => clean(`image${i.alt ? ` "${i.alt}"` : ''}: ${i.href ?? i.src}`))]);
  const shown = events.length < eventCount ? `, the newest ${events.length} of ${eventCount}` : '';
  text += `\nEvent log (${eventCount} ${eventCount === 1 ? 'entry' : 'entries'}${shown}):\n`;
  text += events.length ? eventTable(ctx, events) : 'No events.\n';
  return text;
}

/** Reasons are the point of the log: never shortened, a long one wraps. */
function eventTable(ctx: Context, events: AlertEvent[]): string {
  return formatTable(
    ['TIME', 'ACTION', 'DECISION', 'BY', 'REASON'],
    events.map((e) => [formatTime(e.at, '-', 'second'), e.action, e.decision, e.actorName ?? e.sender, e.reason]),
    ctx.bold,
  );
}

/** An object's entries by key (the database does not keep the sender's order). */
function sorted<T>(record: Record<string, T>): [string, T][] {
  return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** An API error line with one more sentence before its request id. */
function withHint(error: CliError, hint: string): CliError {
  const m = / \(request [^)]*\)$/.exec(error.message);
  const message = m ? `${error.message.slice(0, m.index)} ${hint}${m[0]}` : `${error.message} ${hint}`;
  return new CliError(message, error.exitCode);
}
