export {
  checkLayer,
  checkSchedule,
  type DailyRestriction,
  type Handoff,
  type Instant,
  type Layer,
  MAX_LAYERS,
  MAX_OVERRIDES,
  MAX_PARTICIPANTS,
  MAX_RESTRICTIONS,
  MAX_ROTATION_LENGTH,
  MAX_TEMPORARY_SCHEDULES,
  MAX_TEMPORARY_SHIFTS,
  type Override,
  type Restriction,
  type Rotation,
  ROTATION_UNITS,
  type RotationUnit,
  type Schedule,
  type TemporarySchedule,
  type TemporaryShift,
  type WeeklyRestriction,
} from './schedule.ts';
export {
  type FinalSchedule,
  type FinalShift,
  finalSchedule,
  type Gap,
  type LayerShift,
  layerShifts,
  type OnCall,
  onCallAt,
  resolveWallClock,
  type ShiftSource,
} from './schedule-math.ts';
export { type CalendarSchedule, type CalendarUser, type ScheduleCalendarInput, scheduleCalendar, type UserCalendarInput, userCalendar } from './ical.ts';
export { acceptSwap } from './accept-swap.ts';
export { type CalendarFeedView, FEED_DAYS_AHEAD, FEED_DAYS_BACK, feedWindow, MAX_FEEDS_PER_USER } from './calendar-feed.ts';
export { createCalendarFeed } from './create-calendar-feed.ts';
export { listCalendarFeeds } from './list-calendar-feeds.ts';
export { renderCalendarFeed } from './render-calendar-feed.ts';
export { revokeCalendarFeed } from './revoke-calendar-feed.ts';
export { type AddOverrideInput, addOverride } from './add-override.ts';
export { type AddTemporaryInput, addTemporarySchedule } from './add-temporary-schedule.ts';
export { cancelSwap } from './cancel-swap.ts';
export { type CreateScheduleInput, createSchedule, type LayerInput } from './create-schedule.ts';
export { declineSwap } from './decline-swap.ts';
export { deleteOverride } from './delete-override.ts';
export { deleteSchedule } from './delete-schedule.ts';
export { deleteTemporarySchedule } from './delete-temporary-schedule.ts';
export { getOnCall, instantOr, type ScheduleOnCall } from './get-on-call.ts';
export { getSchedule, type ScheduleDetail } from './get-schedule.ts';
export { getShifts } from './get-shifts.ts';
export { getUserShifts, type UserShift } from './get-user-shifts.ts';
export { type EveryoneOnCall, listOnCall } from './list-on-call.ts';
export { listOverrides } from './list-overrides.ts';
export { listSchedules, type ScheduleSummary } from './list-schedules.ts';
export { listSwaps } from './list-swaps.ts';
export { listTemporarySchedules } from './list-temporary-schedules.ts';
export { loadSchedule, loadSchedules } from './load-schedule.ts';
export {
  GAP_HORIZON_DAYS,
  MAX_RANGE_DAYS,
  type OnCallView,
  type ScheduleRecord,
  type ShiftsView,
  type ShiftView,
  SWAP_STATUSES,
  type SwapStatus,
  type UserRef,
} from './records.ts';
export { requestSwap, type RequestSwapInput } from './request-swap.ts';
export { updateSchedule } from './update-schedule.ts';
export type { OverrideView, ScheduleView, SwapView, TemporaryView } from './views.ts';
export { listOnCallPeople, type OnCallPerson } from './list-on-call-people.ts';
export { allFinalShifts } from './all-final-shifts.ts';
