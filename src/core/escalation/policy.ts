import type { FieldError } from '../shared/errors.ts';

/** Who a level pages: a user as is, whoever is on call in a schedule when the level fires, or every member of a team. */
export const TARGET_TYPES = ['user', 'schedule', 'team'] as const;
export type TargetType = (typeof TARGET_TYPES)[number];

/** `all`: everyone the targets resolve to at once. `round-robin`: one of them per firing, the next one each time. */
export const LEVEL_MODES = ['all', 'round-robin'] as const;
export type LevelMode = (typeof LEVEL_MODES)[number];

export interface Target {
  type: TargetType;
  id: string;
}

export interface Level {
  /** Minutes to wait after this level fires before the next level (or the next pass) fires. */
  delayMinutes: number;
  targets: Target[];
  mode: LevelMode;
}

/** What an escalation runs on: the ordered levels and how many extra passes over them. */
export interface PolicyRules {
  /** Extra passes over all levels after the first (0: page each level once). */
  repeat: number;
  /**
   * Minutes an acknowledged incident may stay unresolved before it is triggered again and the
   * escalation starts over (null: an acknowledgement holds until resolved). Snapshots taken before
   * the field existed lack it: read as null.
   */
  ackTimeoutMinutes?: number | null;
  levels: Level[];
}

export interface Policy extends PolicyRules {
  id: string;
  name: string;
  description: string;
  teamId: string | null;
  /** 1 on creation, +1 on every edit; a snapshot records the version it copied. */
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * The policy as an escalation saw it when it started: a deep, frozen copy. Escalations run on
 * their snapshot, never on the live policy (docs/escalation.md, "Editing a policy").
 */
export interface PolicySnapshot extends PolicyRules {
  /** null: no stored policy, the people an incident was reassigned to (`reassignmentSnapshot`). */
  policyId: string | null;
  name: string;
  version: number;
  takenAt: string;
}

export const MAX_LEVELS = 20;
export const MAX_TARGETS = 20;
export const MAX_REPEAT = 9;
export const MAX_DELAY_MINUTES = 1440;
export const MAX_NAME = 200;
export const MAX_DESCRIPTION = 2000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isInt = (v: unknown, min: number, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

export const targetKey = (t: Target): string => `${t.type}:${t.id}`;

export function checkName(value: string, field = 'name'): FieldError | null {
  const name = value.trim();
  if (name === '') return { field, reason: 'must not be empty' };
  return name.length > MAX_NAME ? { field, reason: `must be at most ${MAX_NAME} characters` } : null;
}

export function checkDescription(value: string, field = 'description'): FieldError | null {
  return value.length > MAX_DESCRIPTION ? { field, reason: `must be at most ${MAX_DESCRIPTION} characters` } : null;
}

export function checkAckTimeout(value: unknown, field = 'ackTimeoutMinutes'): FieldError | null {
  return value === null || isInt(value, 1, MAX_DELAY_MINUTES) ? null : { field, reason: `must be null or an integer from 1 to ${MAX_DELAY_MINUTES}` };
}

export function checkRepeat(value: unknown, field = 'repeat'): FieldError | null {
  return isInt(value, 0, MAX_REPEAT) ? null : { field, reason: `must be an integer from 0 to ${MAX_REPEAT}` };
}

/** Every problem with a level list, each naming its field (`levels.1.targets.0.id`). Existence of targets is the verb's check. */
export function checkLevels(levels: unknown, field = 'levels'): FieldError[] {
  if (!Array.isArray(levels)) return [{ field, reason: 'must be a list of levels' }];
  if (levels.length === 0) return [{ field, reason: 'must have at least one level' }];
  if (levels.length > MAX_LEVELS) return [{ field, reason: `must have at most ${MAX_LEVELS} levels` }];
  const problems: FieldError[] = [];
  levels.forEach((level: Partial<Level> | null, i) => {
    const at = `${field}.${i}`;
    if (typeof level !== 'object' || level === null) {
      problems.push({ field: at, reason: 'must be a level' });
      return;
    }
    if (!isInt(level.delayMinutes, 1, MAX_DELAY_MINUTES)) problems.push({ field: `${at}.delayMinutes`, reason: `must be an integer from 1 to ${MAX_DELAY_MINUTES}` });
    if (!LEVEL_MODES.includes(level.mode as LevelMode)) problems.push({ field: `${at}.mode`, reason: `must be one of ${LEVEL_MODES.map((m) => JSON.stringify(m)).join(', ')}` });
    const targets = level.targets;
    if (!Array.isArray(targets) || targets.length === 0) {
      problems.push({ field: `${at}.targets`, reason: 'must have at least one target' });
      return;
    }
    if (targets.length > MAX_TARGETS) problems.push({ field: `${at}.targets`, reason: `must have at most ${MAX_TARGETS} targets` });
    const seen = new Set<string>();
    targets.forEach((t: Partial<Target> | null, j) => {
      const tat = `${at}.targets.${j}`;
      if (typeof t !== 'object' || t === null) {
        problems.push({ field: tat, reason: 'must be a target' });
        return;
      }
      if (!TARGET_TYPES.includes(t.type as TargetType)) problems.push({ field: `${tat}.type`, reason: `must be one of ${TARGET_TYPES.map((m) => JSON.stringify(m)).join(', ')}` });
      if (typeof t.id !== 'string' || !UUID.test(t.id)) {
        problems.push({ field: `${tat}.id`, reason: 'must be a uuid' });
        return;
      }
      const key = `${t.type}:${t.id.toLowerCase()}`;
      if (seen.has(key)) problems.push({ field: tat, reason: 'is already a target of this level' });
      seen.add(key);
    });
  });
  return problems;
}

/** Every problem with a whole policy as written. */
export function checkPolicy(input: { name: string; description: string; repeat: unknown; ackTimeoutMinutes?: unknown; levels: unknown }): FieldError[] {
  return [checkName(input.name), checkDescription(input.description), checkRepeat(input.repeat), checkAckTimeout(input.ackTimeoutMinutes ?? null)]
    .filter((p): p is FieldError => p !== null)
    .concat(checkLevels(input.levels));
}

/** Levels as stored: only the known fields, ids lower-cased, so a snapshot carries nothing else. */
export const normalizeLevels = (levels: Level[]): Level[] =>
  levels.map((l) => ({ delayMinutes: l.delayMinutes, mode: l.mode, targets: l.targets.map((t) => ({ type: t.type, id: t.id.toLowerCase() })) }));

/** The frozen copy an escalation runs on (see PolicySnapshot). */
export function snapshotOf(policy: Policy, at: Date): PolicySnapshot {
  const levels = normalizeLevels(policy.levels).map((l) => Object.freeze({ ...l, targets: Object.freeze(l.targets.map((t) => Object.freeze(t))) as Target[] }));
  return Object.freeze({
    policyId: policy.id,
    name: policy.name,
    version: policy.version,
    takenAt: at.toISOString(),
    repeat: policy.repeat,
    ackTimeoutMinutes: policy.ackTimeoutMinutes ?? null,
    levels: Object.freeze(levels) as Level[],
  });
}

/**
 * What an escalation runs on after a person reassigned the incident to people rather than a
 * policy: one level of them, re-paged twice 5 minutes apart until acknowledged (a reassignment at
 * 3 a.m. must not hang on one unanswered page), keeping the acknowledgement timeout it had.
 */
export function reassignmentSnapshot(userIds: readonly string[], names: readonly string[], at: Date, ackTimeoutMinutes: number | null): PolicySnapshot {
  return Object.freeze({
    policyId: null,
    name: `Reassigned to ${names.join(', ')}`,
    version: 0,
    takenAt: at.toISOString(),
    repeat: 2,
    ackTimeoutMinutes,
    levels: Object.freeze([Object.freeze({ delayMinutes: 5, mode: 'all' as const, targets: userIds.map((id) => Object.freeze({ type: 'user' as const, id: id.toLowerCase() })) })]) as Level[],
  });
}

/** Every (field, target) of a level list, for the existence check. */
export const targetRefs = (levels: Level[]): { field: string; target: Target }[] =>
  levels.flatMap((l, i) => l.targets.map((target, j) => ({ field: `levels.${i}.targets.${j}.id`, target })));
