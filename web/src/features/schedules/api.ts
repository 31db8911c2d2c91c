// The schedules API (docs/schedules.md, "API"): schedules, shifts, overrides, swaps and who is on call.
import { api } from '../../app/api.ts';
import type { User } from '../../app/api.ts';
import type { Layer, Restriction, RotationUnit } from '../../../../src/core/schedules/schedule.ts';
import type { Gap, ShiftSource } from '../../../../src/core/schedules/schedule-math.ts';

export type { Gap, Layer, Restriction, RotationUnit, ShiftSource };

export interface UserRef {
  id: string;
  name: string;
}

export interface ScheduleSummary {
  id: string;
  name: string;
  description: string;
  teamId: string | null;
  timeZone: string;
  layers: Layer[];
  layersFrom: string | null;
  users: UserRef[];
  createdAt: string;
  updatedAt: string;
  hasGapsNext14Days: boolean;
}

export interface ScheduleDetail extends Omit<ScheduleSummary, 'hasGapsNext14Days'> {
  gaps: Gap[];
  coverage: number;
  horizon: { from: string; to: string };
}

/** A layer as the form sends it: `id` and `start` may be left to the server. */
export type LayerInput = Omit<Layer, 'id' | 'start'> & { id?: string; start?: string };

export interface ScheduleInput {
  name: string;
  description?: string;
  teamId?: string | null;
  timeZone: string;
  layers?: LayerInput[];
}

export interface ShiftView {
  user: UserRef;
  start: string;
  end: string;
  source: ShiftSource;
}

export interface Shifts {
  scheduleId: string;
  from: string;
  to: string;
  shifts: ShiftView[];
  gaps: Gap[];
  coverage: number;
}

export interface OverrideView {
  id: string;
  scheduleId: string;
  user: UserRef | null;
  replacesUser: UserRef | null;
  start: string;
  end: string;
  note: string;
  createdBy: UserRef | null;
  createdAt: string;
}

export type SwapStatus = 'requested' | 'accepted' | 'declined' | 'cancelled';

export interface SwapView {
  id: string;
  scheduleId: string;
  requester: UserRef;
  recipient: UserRef;
  start: string;
  end: string;
  status: SwapStatus;
  note: string;
  overrideId: string | null;
  createdAt: string;
  decidedAt: string | null;
}

export interface OnCallView {
  user: UserRef;
  source: ShiftSource;
}

export interface OnCallNow {
  at: string;
  schedules: { schedule: { id: string; name: string }; onCall: OnCallView[] }[];
}

const opts = (signal?: AbortSignal) => (signal ? { signal } : {});
const path = (id: string) => `/schedules/${encodeURIComponent(id)}`;
const range = (from: Date, to: Date) => new URLSearchParams({ from: from.toISOString(), to: to.toISOString() }).toString();

export const schedulesApi = {
  list: (signal?: AbortSignal) => api.get<{ schedules: ScheduleSummary[] }>('/schedules', opts(signal)).then((r) => r.schedules),
  get: (id: string, signal?: AbortSignal) => api.get<{ schedule: ScheduleDetail }>(path(id), opts(signal)).then((r) => r.schedule),
  create: (input: ScheduleInput) => api.post<{ schedule: ScheduleDetail }>('/schedules', input).then((r) => r.schedule),
  update: (id: string, input: Partial<ScheduleInput>) => api.patch<{ schedule: ScheduleDetail }>(path(id), input).then((r) => r.schedule),
  remove: (id: string) => api.delete(path(id)),
  shifts: (id: string, from: Date, to: Date, signal?: AbortSignal) => api.get<Shifts>(`${path(id)}/shifts?${range(from, to)}`, opts(signal)),
  overrides: (id: string, signal?: AbortSignal) => api.get<{ overrides: OverrideView[] }>(`${path(id)}/overrides`, opts(signal)).then((r) => r.overrides),
  addOverride: (id: string, input: { userId: string | null; start: string; end: string; note?: string }) =>
    api.post<{ override: OverrideView }>(`${path(id)}/overrides`, input).then((r) => r.override),
  deleteOverride: (id: string, overrideId: string) => api.delete(`${path(id)}/overrides/${encodeURIComponent(overrideId)}`),
  swaps: (id: string, signal?: AbortSignal) => api.get<{ swaps: SwapView[] }>(`${path(id)}/swaps`, opts(signal)).then((r) => r.swaps),
  requestSwap: (id: string, input: { recipientId: string; start: string; end: string; note?: string }) =>
    api.post<{ swap: SwapView }>(`${path(id)}/swaps`, input).then((r) => r.swap),
  decideSwap: (id: string, swapId: string, verb: 'accept' | 'decline' | 'cancel') =>
    api.post<{ swap: SwapView }>(`${path(id)}/swaps/${encodeURIComponent(swapId)}/${verb}`, {}).then((r) => r.swap),
  onCallNow: (signal?: AbortSignal) => api.get<OnCallNow>('/oncall', opts(signal)),
  /** Everyone who can be put on call; GET /users is open to every signed-in role. */
  users: (signal?: AbortSignal) => api.get<{ users: User[] }>('/users', opts(signal)).then((r) => r.users),
  teams: (signal?: AbortSignal) => api.get<{ teams: { id: string; name: string }[] }>('/teams', opts(signal)).then((r) => r.teams),
};
