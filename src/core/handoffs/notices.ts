import { DateTime } from 'luxon';
import { type CronEntry, type CronPayload, defineFamily, type Job } from '../../engine/index.ts';
import { queueNotice } from '../notices/index.ts';
import { allFinalShifts } from '../schedules/index.ts';

export const HANDOFF_NOTICES = 'handoffs.notices';
const EVERY_MS = 5 * 60_000;
const DAY_MS = 86_400_000;

export const handoffNoticeCron: CronEntry = { name: 'handoff-notices', everyMs: EVERY_MS, kind: HANDOFF_NOTICES };

export interface OnCallPeriod {
  userId: string;
  start: number;
  end: number;
}

/**
 * Pure: a person's on-call periods in a schedule, pieces that touch joined (a layer shift running
 * into an override of the same person is one period), and of those the ones starting in
 * [from, to). A period already running at the range's start is not a start.
 */
export function periodStarts(shifts: readonly { userId: string; start: string; end: string }[], rangeStart: number, from: number, to: number): OnCallPeriod[] {
  const byUser = new Map<string, OnCallPeriod[]>();
  for (const s of [...shifts].sort((a, b) => a.start.localeCompare(b.start))) {
    const start = Date.parse(s.start);
    const end = Date.parse(s.end);
    const periods = byUser.get(s.userId) ?? [];
    const last = periods.at(-1);
    if (last && last.end >= start) last.end = Math.max(last.end, end);
    else periods.push({ userId: s.userId, start, end });
    byUser.set(s.userId, periods);
  }
  return [...byUser.values()].flat().filter((p) => p.start > rangeStart && p.start >= from && p.start < to);
}

/**
 * Every 5 minutes, the people whose on-call period starts `leadMinutes` from the slot (within the
 * slot's 5 minutes) get a notice through their low-urgency methods: which schedule, from when to
 * when in their own time zone, and where to read the handoff report. Each slot covers its own
 * window (from the slot's time, not the clock's), and each notice has a key, so a late or
 * repeated slot notifies nobody twice; slots missed while no node ran are skipped, like all cron.
 */
export const handoffNoticeJobs = (options: { leadMinutes: number; publicUrl: string }) =>
  defineFamily('handoffs', 1, {
    [HANDOFF_NOTICES]: async (job: Job<CronPayload>, { db, clock }) => {
      const from = Date.parse(job.payload.scheduledFor) + options.leadMinutes * 60_000;
      const to = from + EVERY_MS;
      // A day back to see whether a period is already running, a week on to see where it ends.
      const rangeStart = from - DAY_MS;
      const all = await allFinalShifts(db, new Date(rangeStart), new Date(to + 7 * DAY_MS));
      const due = all.flatMap(({ schedule, shifts }) => periodStarts(shifts, rangeStart, from, to).map((p) => ({ schedule, ...p })));
      if (due.length === 0) return;
      const users = new Map(
        (await db.selectFrom('users').select(['id', 'name', 'time_zone']).where('id', 'in', [...new Set(due.map((d) => d.userId))]).execute()).map((u) => [u.id, u]),
      );
      const base = options.publicUrl.replace(/\/+$/, '');
      await db.transaction().execute(async (tx) => {
        for (const d of due) {
          const user = users.get(d.userId);
          if (!user) continue;
          const when = (ms: number) => DateTime.fromMillis(ms, { zone: user.time_zone }).toFormat('ccc d LLL HH:mm ZZZZ');
          const text = [
            `You are on call for ${d.schedule.name} from ${when(d.start)} to ${when(d.end)}.`,
            `Your handoff report (open incidents, the last shift's incidents, maintenance): \`vigil handoff\`, or ${base}/api/v1/users/me/handoff`,
            `The schedule: ${base}/on-call/${d.schedule.id}`,
          ].join('\n');
          await queueNotice(
            tx,
            {
              userId: d.userId,
              key: `handoff:${d.schedule.id}:${d.userId}:${d.start}`,
              kind: 'handoff',
              subject: `[Vigil] On call for ${d.schedule.name} from ${when(d.start)}`,
              text,
              data: { schedule: { id: d.schedule.id, name: d.schedule.name }, start: new Date(d.start).toISOString(), end: new Date(d.end).toISOString() },
            },
            clock.now(),
          );
        }
      });
    },
  });
