import { type Level, type PolicyRules, type Target, targetKey } from './policy.ts';

/**
 * Where an escalation stands: the level that fires next (0-based), the pass over the levels
 * (0 .. repeat) and, per level index, the round-robin cursor (the position of the next person to
 * page among that level's people; missing: 0).
 */
export interface EscalationState {
  level: number;
  pass: number;
  cursors: number[];
}

/**
 * Who each target resolves to at `now`, by `targetKey` (`schedule:<id>`): computed by the caller
 * (users as themselves, schedules by who is on call, teams by their members), in a stable order.
 * A target missing from the map resolves to nobody.
 */
export type Resolved = ReadonlyMap<string, readonly string[]>;

export interface Firing {
  level: number;
  pass: number;
  /** The users to notify now: deduplicated, in target order then resolution order. */
  userIds: string[];
}

export interface Skip {
  level: number;
  pass: number;
  reason: 'resolves to nobody';
}

export interface Step {
  /** The level that fires now; null when every remaining level resolved to nobody. */
  fired: Firing | null;
  /** Levels passed over without waiting, in order, before the one that fired. */
  skipped: Skip[];
  /** The state and time of the next step; null: the escalation is done (last level of the last pass). */
  next: { state: EscalationState; runAt: Date } | null;
}

const MINUTE = 60_000;

export const initialState = (): EscalationState => ({ level: 0, pass: 0, cursors: [] });

/** Everyone a level's targets resolve to, once each, in target order. */
export function levelCandidates(level: Level, resolved: Resolved): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const t of level.targets) {
    for (const id of resolved.get(targetKey(t)) ?? []) {
      if (!seen.has(id)) {
        seen.add(id);
        out.push(id);
      }
    }
  }
  return out;
}

/** The position after (level, pass), or null after the last level of the last pass. */
function advance(rules: PolicyRules, level: number, pass: number): { level: number; pass: number } | null {
  if (level + 1 < rules.levels.length) return { level: level + 1, pass };
  if (pass < rules.repeat) return { level: 0, pass: pass + 1 };
  return null;
}

/**
 * The step to take at `now` from `state`: fire the current level, or, when it resolves to nobody,
 * skip it at once (no waiting out its delay) and fire the first later level that resolves to
 * someone. Round-robin levels page one person per firing and move their cursor on. The next step
 * runs `delayMinutes` of the level that fired after `now`.
 */
export function nextStep(rules: PolicyRules, state: EscalationState, now: Date, resolved: Resolved): Step {
  const skipped: Skip[] = [];
  let position: { level: number; pass: number } | null = { level: state.level, pass: state.pass };
  while (position) {
    const level = rules.levels[position.level];
    if (!level) break;
    const candidates = levelCandidates(level, resolved);
    if (candidates.length === 0) {
      skipped.push({ ...position, reason: 'resolves to nobody' });
      position = advance(rules, position.level, position.pass);
      continue;
    }
    const cursors = [...state.cursors];
    let userIds = candidates;
    if (level.mode === 'round-robin') {
      const cursor = (cursors[position.level] ?? 0) % candidates.length;
      userIds = [candidates[cursor]!];
      cursors[position.level] = (cursor + 1) % candidates.length;
    }
    const fired: Firing = { ...position, userIds };
    const after = advance(rules, position.level, position.pass);
    return {
      fired,
      skipped,
      next: after && { state: { ...after, cursors: fill(cursors) }, runAt: new Date(now.getTime() + level.delayMinutes * MINUTE) },
    };
  }
  return { fired: null, skipped, next: null };
}

/** Dense cursor list (no holes), so the state survives JSON as written. */
const fill = (cursors: number[]): number[] => Array.from({ length: cursors.length }, (_, i) => cursors[i] ?? 0);

/**
 * Manual "escalate to level K" (0-based): the state that fires level K next, in the same pass,
 * keeping the round-robin cursors; the caller runs `nextStep` at once. Null when there is no level K.
 * "Escalate now" is `nextStep` run early on the current state.
 */
export function escalateTo(rules: PolicyRules, state: EscalationState, level: number): EscalationState | null {
  if (!Number.isInteger(level) || level < 0 || level >= rules.levels.length) return null;
  return { level, pass: state.pass, cursors: [...state.cursors] };
}

/**
 * The state a manual escalation fires from: "escalate now" (`level` undefined) is the current
 * state; "escalate to level K" is `escalateTo`, except that a level the current pass has already
 * reached (K below the level due next: it fired or was skipped) is fired again in a **new pass**
 * (pass + 1), so its people are paged again under new idempotency keys rather than silently
 * deduplicated against the pages they already had. Null when there is no level K.
 */
export function manualState(rules: PolicyRules, state: EscalationState, level?: number): EscalationState | null {
  if (level === undefined) return { level: state.level, pass: state.pass, cursors: [...state.cursors] };
  const to = escalateTo(rules, state, level);
  if (!to) return null;
  return level < state.level ? { ...to, pass: state.pass + 1 } : to;
}

/** The targets of a level list, once each (what a caller must resolve). */
export function allTargets(rules: PolicyRules): Target[] {
  const seen = new Map<string, Target>();
  for (const l of rules.levels) for (const t of l.targets) if (!seen.has(targetKey(t))) seen.set(targetKey(t), t);
  return [...seen.values()];
}

/**
 * Every step from the start to the end, assuming nobody acknowledges and everyone resolves as in
 * `resolved` throughout: what a preview shows. Bounded by levels × (repeat + 1) steps.
 */
export function simulate(rules: PolicyRules, start: Date, resolved: Resolved): { at: Date; step: Step }[] {
  const out: { at: Date; step: Step }[] = [];
  let state: EscalationState | null = initialState();
  let at = start;
  const limit = rules.levels.length * (rules.repeat + 1);
  while (state && out.length < limit) {
    const step = nextStep(rules, state, at, resolved);
    out.push({ at, step });
    if (!step.next) break;
    state = step.next.state;
    at = step.next.runAt;
  }
  return out;
}
