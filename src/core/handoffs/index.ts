export { getHandoff, type Handoff } from './get-handoff.ts';
export { HANDOFF_DAYS, pickShifts, type ShiftPick } from './handoff.ts';
export { HANDOFF_NOTICES, handoffNoticeCron, handoffNoticeJobs, periodStarts } from './notices.ts';
export { listReadiness, type PersonReadiness, READINESS_DAYS } from './list-readiness.ts';
