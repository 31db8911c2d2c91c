import type { App, AppDeps } from '../app.ts';

/** Maintenance windows, silences, event rules and a service's alert settings (grouping, urgency). */
export function registerNoiseRoutes(_api: App, _deps: AppDeps): void {}
