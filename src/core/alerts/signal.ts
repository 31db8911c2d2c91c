/**
 * What every sender's event becomes once parsed: the one shape core/alerts ingests. Parsers in
 * src/integrations/<sender>/inbound.ts are pure functions from a request body to signals.
 */
export const SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const SENDERS = ['pagerduty', 'opsgenie', 'alertmanager', 'generic', 'heartbeat'] as const;
export type Sender = (typeof SENDERS)[number];

export type SignalAction = 'trigger' | 'acknowledge' | 'resolve';

export interface Link {
  href: string;
  text?: string;
}

export interface Image {
  src: string;
  href?: string;
  alt?: string;
}

export interface AlertSignal {
  sender: Sender;
  action: SignalAction;
  /** One open alert per (service, dedupKey). Null on a trigger: a key is generated. */
  dedupKey: string | null;
  /**
   * Acknowledge/resolve by the alert's own id or number instead of its dedup key (Opsgenie's
   * identifierType=id|tiny). Ignored on triggers.
   */
  alertRef?: { id: string } | { number: number };
  /** The alert's title; empty on acknowledge/resolve. */
  summary: string;
  source: string | null;
  severity: Severity;
  /** When the sender saw it happen (PagerDuty payload.timestamp, Alertmanager startsAt). */
  timestamp: Date | null;
  component: string | null;
  group: string | null;
  class: string | null;
  description: string | null;
  /** Free-form details shown on the alert (custom_details, Opsgenie details, annotations). */
  details: Record<string, unknown>;
  /** String labels that silences and event rules match on (Alertmanager labels, Opsgenie tags). */
  labels: Record<string, string>;
  /** The sender's own grouping key (Alertmanager groupKey); content grouping may use it. */
  groupKey: string | null;
  links: Link[];
  images: Image[];
  client: string | null;
  clientUrl: string | null;
  /** The event as received, kept in the alert's log. */
  raw: unknown;
}

/** A PagerDuty-style change event (a deploy, a config change): stored per service, never pages. */
export interface ChangeSignal {
  summary: string;
  source: string | null;
  timestamp: Date | null;
  details: Record<string, unknown>;
  links: Link[];
  raw: unknown;
}

/** A parser's answer: the signals, or every reason the body was refused (in the sender's words). */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: string[] };

/** A signal with every optional field empty: parsers spread their fields over it. */
export const emptySignal = (sender: Sender, action: SignalAction): AlertSignal => ({
  sender,
  action,
  dedupKey: null,
  summary: '',
  source: null,
  severity: 'error',
  timestamp: null,
  component: null,
  group: null,
  class: null,
  description: null,
  details: {},
  labels: {},
  groupKey: null,
  links: [],
  images: [],
  client: null,
  clientUrl: null,
  raw: null,
});
