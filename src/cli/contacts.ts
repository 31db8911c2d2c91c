import { type Command, InvalidArgumentError, Option } from 'commander';
import type { ApiClient } from './api-client.ts';
import { act, type CliIo, type Context, httpCommand } from './command.ts';
import { clean, CliError, EXIT, formatFields, formatTable, formatTime, UUID } from './format.ts';
import { resolveUserId } from './schedules.ts';
import type { ContactMethod, Contacts, NotificationRule, Readiness, ReadinessReport } from './wire.ts';

/**
 * `vigil user contact list|add|verify|send-code|delete`, `vigil user rule add|delete` and
 * `vigil readiness`: how a person is reached (docs/escalation.md, "Contact methods and notification
 * rules"). Your own by default; `--user <email or id>` someone else's, which needs an admin.
 */

const uuid = (what: string) => (value: string): string => {
  if (!UUID.test(value.trim())) throw new InvalidArgumentError(`Expected a ${what} id (a UUID: vigil user contact list shows them).`);
  return value.trim();
};

const minutes = (value: string): number => {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError('Expected a whole number of minutes (0 to 1440).');
  return n;
};

const withUser = (command: Command) => command.option('--user <user>', "someone else's (email or id; needs an admin), instead of your own");

/** The path of the person the command is about: `me`, or the user named by --user. */
async function personPath(ctx: Context, api: ApiClient): Promise<string> {
  const ref = ctx.opts.user as string | undefined;
  return `/users/${ref === undefined ? 'me' : encodeURIComponent(await resolveUserId(api, ref))}`;
}

async function forbiddenHint<T>(ctx: Context, request: Promise<T>): Promise<T> {
  try {
    return await request;
  } catch (e) {
    if (!(e instanceof CliError) || !e.message.startsWith('FORBIDDEN ') || ctx.opts.user === undefined) throw e;
    const hint = "only an admin may manage someone else's contact methods";
    const m = / \(request [^)]*\)$/.exec(e.message);
    throw new CliError(m ? `${e.message.slice(0, m.index)} (${hint})${m[0]}` : `${e.message} (${hint})`, e.exitCode);
  }
}

export function registerContactCommands(io: CliIo, program: Command, user: Command): void {
  const contact = user.command('contact').description('your contact methods: how Vigil pages you (each one is verified with a code sent through it)');

  act(io, withUser(httpCommand(contact, 'list', 'contact methods, notification rules and whether a high-urgency page reaches the person')), async (ctx) => {
    const api = ctx.api();
    const result = await forbiddenHint(ctx, api.request<Contacts>('GET', `${await personPath(ctx, api)}/contacts`));
    if (ctx.json) return ctx.printJson(result);
    ctx.out(contactsText(ctx, result));
  });

  act(
    io,
    withUser(
      httpCommand(contact, 'add', 'add a contact method; a 6-digit code is sent through it, to enter with `contact verify`')
        .addOption(
          new Option('--type <type>', 'email (needs SMTP on the server), sms or voice (need Twilio), slack (needs the Slack bot), slack_webhook, teams, or webhook (a JSON POST)')
            .choices(['email', 'sms', 'voice', 'slack', 'slack_webhook', 'teams', 'webhook'])
            .makeOptionMandatory(),
        )
        .requiredOption('--label <label>', 'a name for it, e.g. "Work email"')
        .requiredOption('--address <address>', 'the email address; the phone number in international format (+14155550123); the Slack member or channel id (U0123ABCD); or the webhook URL'),
    ),
    async (ctx) => {
      const { type, label, address } = ctx.opts as { type: string; label: string; address: string };
      const api = ctx.api();
      const result = await forbiddenHint(ctx, api.request<{ contactMethod: ContactMethod }>('POST', `${await personPath(ctx, api)}/contact-methods`, { type, label, address }));
      if (ctx.json) return ctx.printJson(result);
      const m = result.contactMethod;
      ctx.out(
        formatFields([
          ['Added contact method', `${clean(m.label)} (${m.type})`],
          ['ID', m.id],
          ['Address', clean(m.address)],
          ['Status', 'not verified: a code is on its way'],
        ]) + `Enter the code with: vigil user contact verify ${m.id} <code>${ctx.opts.user !== undefined ? ` --user ${clean(String(ctx.opts.user))}` : ''}\n`,
      );
    },
  );

  act(
    io,
    withUser(
      httpCommand(contact, 'verify', 'verify a contact method with the code it was sent (five wrong codes, or 15 minutes, and a new code is needed)')
        .argument('<methodId>', 'contact method id', uuid('contact method'))
        .argument('<code>', 'the 6-digit code'),
    ),
    async (ctx, methodId, code) => {
      const api = ctx.api();
      const result = await forbiddenHint(ctx, api.request<{ contactMethod: ContactMethod }>('POST', `${await personPath(ctx, api)}/contact-methods/${methodId}/verify`, { code }));
      if (ctx.json) return ctx.printJson(result);
      ctx.out(`Verified contact method ${clean(result.contactMethod.label)} (${result.contactMethod.id}): it can be paged now.\n`);
    },
  );

  act(
    io,
    withUser(httpCommand(contact, 'send-code', 'send an unverified contact method a new code (at most once a minute; the old code stops working)').argument('<methodId>', 'contact method id', uuid('contact method'))),
    async (ctx, methodId) => {
      const api = ctx.api();
      await forbiddenHint(ctx, api.request('POST', `${await personPath(ctx, api)}/contact-methods/${methodId}/send-code`));
      if (ctx.json) return ctx.printJson({ contactMethodId: methodId, codeSent: true });
      ctx.out(`A new code is on its way to contact method ${methodId}.\n`);
    },
  );

  act(
    io,
    withUser(httpCommand(contact, 'delete', 'remove a contact method and the notification rules that use it').argument('<methodId>', 'contact method id', uuid('contact method'))),
    async (ctx, methodId) => {
      const api = ctx.api();
      await forbiddenHint(ctx, api.request('DELETE', `${await personPath(ctx, api)}/contact-methods/${methodId}`));
      if (ctx.json) return ctx.printJson({ deleted: { contactMethodId: methodId } });
      ctx.out(`Deleted contact method ${methodId} and its notification rules.\n`);
    },
  );

  const rule = user.command('rule').description('your notification rules: for an urgency, which contact method after how many minutes');

  act(
    io,
    withUser(
      httpCommand(rule, 'add', 'add a notification rule')
        .requiredOption('--method <method>', 'contact method id, or its label')
        .addOption(new Option('--urgency <urgency>', 'which pages it is for').choices(['high', 'low']).makeOptionMandatory())
        .option('--delay <minutes>', 'minutes after the page starts, 0 to 1440', minutes, 0),
    ),
    async (ctx) => {
      const { method, urgency, delay } = ctx.opts as { method: string; urgency: string; delay: number };
      const api = ctx.api();
      const base = await personPath(ctx, api);
      let methodId = method.trim();
      let label: string | undefined;
      if (!UUID.test(methodId)) {
        const { methods } = await forbiddenHint(ctx, api.request<Contacts>('GET', `${base}/contacts`));
        const found = methods.find((m) => m.label === method) ?? methods.find((m) => m.label.toLowerCase() === method.trim().toLowerCase());
        if (!found) throw new CliError(`NOT_FOUND no contact method is labelled "${method}" (vigil user contact list shows them)`, EXIT.ERROR);
        methodId = found.id;
        label = found.label;
      }
      const result = await forbiddenHint(ctx, api.request<{ rule: NotificationRule }>('POST', `${base}/notification-rules`, { contactMethodId: methodId, urgency, delayMinutes: delay }));
      if (ctx.json) return ctx.printJson(result);
      const r = result.rule;
      ctx.out(`Added notification rule ${r.id}: ${r.urgency} urgency, ${label ? clean(label) : `contact method ${r.contactMethodId}`} after ${r.delayMinutes} minute${r.delayMinutes === 1 ? '' : 's'}.\n`);
    },
  );

  act(io, withUser(httpCommand(rule, 'delete', 'remove a notification rule').argument('<ruleId>', 'rule id (vigil user contact list)', uuid('notification rule'))), async (ctx, ruleId) => {
    const api = ctx.api();
    await forbiddenHint(ctx, api.request('DELETE', `${await personPath(ctx, api)}/notification-rules/${ruleId}`));
    if (ctx.json) return ctx.printJson({ deleted: { ruleId } });
    ctx.out(`Deleted notification rule ${ruleId}.\n`);
  });

  act(io, httpCommand(program, 'readiness', 'everyone on call in the next 7 days, and what keeps a page from reaching them (never their addresses)'), async (ctx) => {
    const result = await ctx.api().request<ReadinessReport>('GET', '/readiness');
    if (ctx.json) return ctx.printJson(result);
    ctx.out(readinessText(ctx, result));
  });
}

// ——— text renderings ———

const yesNo = (ok: boolean) => (ok ? 'yes' : 'NO');
const problemsText = (r: Readiness) => r.problems.map(clean).join('; ') || '-';

function contactsText(ctx: Context, c: Contacts): string {
  const label = (id: string) => clean(c.methods.find((m) => m.id === id)?.label ?? id);
  let text = c.readiness.high ? 'High-urgency pages reach this person.\n' : 'High-urgency pages do NOT reach this person.\n';
  if (c.readiness.problems.length) text += c.readiness.problems.map((p) => `  - ${clean(p)}\n`).join('');
  text += '\nContact methods:\n';
  text += c.methods.length
    ? formatTable(
        ['ID', 'TYPE', 'LABEL', 'STATUS', 'ADDRESS'],
        c.methods.map((m) => [m.id, m.type, clean(m.label), m.verified ? `verified ${formatTime(m.verifiedAt)}` : 'not verified', clean(m.address)]),
        ctx.bold,
        { maxWidth: ctx.width },
      )
    : 'None yet: vigil user contact add --type webhook --label <label> --address <url>\n';
  text += '\nNotification rules:\n';
  const rules = [...c.rules].sort((a, b) => (a.urgency === b.urgency ? a.delayMinutes - b.delayMinutes : a.urgency === 'high' ? -1 : 1));
  text += rules.length
    ? formatTable(['ID', 'URGENCY', 'AFTER', 'METHOD'], rules.map((r) => [r.id, r.urgency, `${r.delayMinutes} min`, label(r.contactMethodId)]), ctx.bold)
    : 'None yet: vigil user rule add --method <label> --urgency high --delay 0\n';
  return text;
}

function readinessText(ctx: Context, r: ReadinessReport): string {
  const head = `On call from ${formatTime(r.from)} to ${formatTime(r.to)}:\n`;
  if (!r.people.length) return `${head}Nobody is on call in the next 7 days.\n`;
  const unready = r.people.filter((p) => !p.readiness.high).length;
  return (
    head +
    formatTable(
      ['PERSON', 'FIRST SHIFT', 'SCHEDULES', 'HIGH', 'LOW', 'MISSING'],
      r.people.map((p) => [clean(p.user.name), formatTime(p.from), p.schedules.map((s) => clean(s.name)).join(', '), yesNo(p.readiness.high), yesNo(p.readiness.low), problemsText(p.readiness)]),
      ctx.bold,
      { maxWidth: ctx.width },
    ) +
    (unready ? `${unready} of ${r.people.length} would not be reached by a high-urgency page.\n` : `Everyone on call is reachable at high urgency.\n`)
  );
}
