export type IncidentStatus = 'triggered' | 'acknowledged' | 'resolved';

/** An incident as alerts open and join it. Incident command (roles, timeline, updates) builds on this. */
export interface Incident {
  id: string;
  number: number;
  serviceId: string;
  serviceName: string;
  title: string;
  status: IncidentStatus;
  urgency: 'high' | 'low';
  alertCount: number;
  createdAt: Date;
  updatedAt: Date;
  acknowledgedAt: Date | null;
  resolvedAt: Date | null;
}
