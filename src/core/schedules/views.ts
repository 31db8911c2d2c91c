import type { Tx } from '../shared/context.ts';
import type { FinalSchedule, OnCall } from './schedule-math.ts';
import type { OnCallView, OverrideRecord, ScheduleRecord, ShiftsView, SwapRecord, TemporaryRecord, UserRef } from './records.ts';
import { userRefs } from './store.ts';

// What the verbs answer: records with every user named ({ id, name }), never a bare id alone.

export interface ScheduleView extends ScheduleRecord {
  /** Every participant of the layers, with their names. */
  users: UserRef[];
}

export interface OverrideView {
  id: string;
  scheduleId: string;
  /** null: nobody. */
  user: UserRef | null;
  replacesUser: UserRef | null;
  start: Date;
  end: Date;
  note: string;
  createdBy: UserRef | null;
  createdAt: Date;
}

export interface TemporaryView {
  id: string;
  scheduleId: string;
  start: Date;
  end: Date;
  shifts: { user: UserRef; start: string; end: string }[];
  note: string;
  createdBy: UserRef | null;
  createdAt: Date;
}

export interface SwapView {
  id: string;
  scheduleId: string;
  requester: UserRef;
  recipient: UserRef;
  start: Date;
  end: Date;
  status: SwapRecord['status'];
  note: string;
  overrideId: string | null;
  createdAt: Date;
  decidedAt: Date | null;
}

// A user row is never deleted while a schedule names it (foreign keys); the fallback is for
// participants of layer JSON, which no key protects.
const refOf = (names: Map<string, UserRef>, id: string): UserRef => names.get(id) ?? { id, name: '(unknown user)' };
const maybeRef = (names: Map<string, UserRef>, id: string | null): UserRef | null => (id === null ? null : refOf(names, id));

export async function scheduleViews(tx: Tx, records: ScheduleRecord[]): Promise<ScheduleView[]> {
  const names = await userRefs(tx, records.flatMap((r) => r.layers.flatMap((l) => l.participants)));
  return records.map((r) => ({ ...r, users: [...new Set(r.layers.flatMap((l) => l.participants))].map((id) => refOf(names, id)) }));
}

export async function overrideViews(tx: Tx, records: OverrideRecord[]): Promise<OverrideView[]> {
  const names = await userRefs(tx, records.flatMap((o) => [o.userId, o.replacesUserId, o.createdBy]));
  return records.map((o) => ({
    id: o.id,
    scheduleId: o.scheduleId,
    user: maybeRef(names, o.userId),
    replacesUser: maybeRef(names, o.replacesUserId),
    start: o.start,
    end: o.end,
    note: o.note,
    createdBy: maybeRef(names, o.createdBy),
    createdAt: o.createdAt,
  }));
}

export async function temporaryViews(tx: Tx, records: TemporaryRecord[]): Promise<TemporaryView[]> {
  const names = await userRefs(tx, records.flatMap((t) => [t.createdBy, ...t.shifts.map((s) => s.userId)]));
  return records.map((t) => ({
    id: t.id,
    scheduleId: t.scheduleId,
    start: t.start,
    end: t.end,
    shifts: t.shifts.map((s) => ({ user: refOf(names, s.userId), start: s.start, end: s.end })),
    note: t.note,
    createdBy: maybeRef(names, t.createdBy),
    createdAt: t.createdAt,
  }));
}

export async function swapViews(tx: Tx, records: SwapRecord[]): Promise<SwapView[]> {
  const names = await userRefs(tx, records.flatMap((s) => [s.requesterId, s.recipientId]));
  return records.map((s) => ({
    id: s.id,
    scheduleId: s.scheduleId,
    requester: refOf(names, s.requesterId),
    recipient: refOf(names, s.recipientId),
    start: s.start,
    end: s.end,
    status: s.status,
    note: s.note,
    overrideId: s.overrideId,
    createdAt: s.createdAt,
    decidedAt: s.decidedAt,
  }));
}

export async function shiftsView(tx: Tx, scheduleId: string, from: Date, to: Date, final: FinalSchedule): Promise<ShiftsView> {
  const names = await userRefs(tx, final.shifts.map((s) => s.userId));
  return {
    scheduleId,
    from: from.toISOString(),
    to: to.toISOString(),
    shifts: final.shifts.map((s) => ({ user: refOf(names, s.userId), start: s.start, end: s.end, source: s.source })),
    gaps: final.gaps,
    coverage: final.coverage,
  };
}

export async function onCallViews(tx: Tx, onCall: OnCall[]): Promise<OnCallView[]> {
  const names = await userRefs(tx, onCall.map((o) => o.userId));
  return onCall.map((o) => ({ user: refOf(names, o.userId), source: o.source }));
}
