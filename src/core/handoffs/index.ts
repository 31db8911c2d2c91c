export { getHandoff, type Handoff } from './get-handoff.ts';
export { HANDOFF_DAYS, pickShifts, type ShiftPick } from './handoff.ts';
