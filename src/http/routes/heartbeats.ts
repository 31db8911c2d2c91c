import type { App, AppDeps } from '../app.ts';

/** Heartbeat monitors (CRUD) and the public ping endpoint. */
export function registerHeartbeatRoutes(_api: App, _deps: AppDeps): void {}
