export { getIncident, RECENT_CHANGES_HOURS } from './get-incident.ts';
export type { Incident, IncidentStatus } from './incident.ts';
export { listIncidents, type IncidentQuery } from './list-incidents.ts';
export { acknowledgeIncident, type ChangeVia, findIncidentByRef, type IncidentChange, resolveIncident } from './change-incident.ts';
export { type LinkOutcome, type LinkTarget, openActionLink, useActionLink } from './act-by-link.ts';
export { expireAcknowledgement, incidentJobs } from './ack-timeout.ts';
export { MAX_REASSIGN_USERS, type ReassignInput, reassignIncident } from './reassign-incident.ts';
