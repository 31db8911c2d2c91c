export { createEventRule, type CreateEventRuleInput } from './create-event-rule.ts';
export { createMaintenanceWindow, type CreateWindowInput } from './create-maintenance-window.ts';
export { createSilence } from './create-silence.ts';
export { deleteEventRule } from './delete-event-rule.ts';
export { deleteMaintenanceWindow } from './delete-maintenance-window.ts';
export { expireSilence } from './expire-silence.ts';
export { getAlertSettings } from './get-alert-settings.ts';
export { getEventRule } from './get-event-rule.ts';
export { getMaintenanceWindow } from './get-maintenance-window.ts';
export { getSilence } from './get-silence.ts';
export { listEventRules } from './list-event-rules.ts';
export { listMaintenanceWindows, type WindowQuery } from './list-maintenance-windows.ts';
export { listSilences } from './list-silences.ts';
export { type AlertSettingsInput, updateAlertSettings } from './update-alert-settings.ts';
export { updateEventRule, type UpdateEventRuleInput } from './update-event-rule.ts';
export { updateMaintenanceWindow, type UpdateWindowInput } from './update-maintenance-window.ts';
export { type SilenceUpdate, updateSilence, type UpdateSilenceInput } from './update-silence.ts';
export {
  type AlertSettings,
  type EventRuleView,
  type GroupingInput,
  MAX_RULES_PER_SCOPE,
  type MaintenanceWindow,
  MAX_LIVE_SILENCES,
  MAX_OPEN_WINDOWS_PER_SERVICE,
  MAX_TEXT,
  type NewSilenceInput,
  PAST_TOLERANCE_MS,
  type Silence,
  type SilenceState,
  type WindowState,
} from './noise.ts';
