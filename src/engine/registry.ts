import type { Kysely } from 'kysely';
import type { Clock } from '../core/shared/clock.ts';
import type { DB } from '../storage/schema.ts';

/** A claimed job as a handler sees it. */
export interface Job<P = unknown> {
  id: number;
  kind: string;
  key: string | null;
  payload: P;
  runAt: Date;
  /** 1 on the first run; counts runs whose lease expired too (a crashed worker used an attempt). */
  attempt: number;
  maxAttempts: number;
  priority: number;
  createdAt: Date;
}

export interface EngineLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface HandlerContext {
  clock: Clock;
  /** The database, not a transaction: a handler opens its own (re-read, decide, write, schedule). */
  db: Kysely<DB>;
  /** Aborted when this run's lease expires: another worker may take the job over from then on. */
  signal: AbortSignal;
  logger: EngineLogger;
}

/**
 * Runs one job. Delivery is at-least-once (a crash after the handler's commit but before the job is
 * finished runs it again), so a handler re-reads current state and must be idempotent. Throwing
 * means "retry later with backoff".
 */
export type JobHandler<P = any> = (job: Job<P>, ctx: HandlerContext) => Promise<void>;

/**
 * Handlers of one domain, versioned together. Kinds are `<family>.<event>` ("escalation.due").
 * Bump `version` when a handler's behaviour or the payload it expects changes incompatibly: once a
 * node with the new version starts, nodes with older versions stop running this family.
 */
export interface HandlerFamily {
  name: string;
  version: number;
  handlers: Record<string, JobHandler>;
}

export interface RegisteredHandler {
  kind: string;
  family: string;
  version: number;
  run: JobHandler;
}

const FAMILY = /^[a-z][a-z0-9_-]*$/;

/** Declares a family, checking that every kind belongs to it (the claim guard relies on that). */
export function defineFamily(name: string, version: number, handlers: Record<string, JobHandler>): HandlerFamily {
  if (!FAMILY.test(name)) throw new Error(`Job family "${name}" must match ${FAMILY}`);
  if (!Number.isInteger(version) || version < 1) throw new Error(`Job family "${name}": version must be an integer >= 1`);
  for (const kind of Object.keys(handlers)) {
    if (!kind.startsWith(`${name}.`) || kind.length === name.length + 1) {
      throw new Error(`Job kind "${kind}" must be "${name}.<event>" to belong to family "${name}"`);
    }
  }
  return { name, version, handlers };
}

/** Kind → handler; refuses two families of the same name (one node, one version per family). */
export function buildRegistry(families: readonly HandlerFamily[]): Map<string, RegisteredHandler> {
  const registry = new Map<string, RegisteredHandler>();
  const seen = new Set<string>();
  for (const f of families) {
    defineFamily(f.name, f.version, f.handlers); // validates families written as plain objects too
    if (seen.has(f.name)) throw new Error(`Job family "${f.name}" is registered twice`);
    seen.add(f.name);
    for (const [kind, run] of Object.entries(f.handlers)) {
      registry.set(kind, { kind, family: f.name, version: f.version, run });
    }
  }
  return registry;
}
