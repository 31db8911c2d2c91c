import type { FieldError } from '../shared/errors.ts';

/**
 * Label matchers with Alertmanager's semantics: `=` and `!=` compare strings, `=~` and `!~` match a
 * regular expression anchored at both ends. A missing label reads as the empty string, so
 * `team=""` matches alerts without a team.
 */
export const MATCH_OPS = ['=', '!=', '=~', '!~'] as const;
export type MatchOp = (typeof MATCH_OPS)[number];
export interface Matcher {
  name: string;
  op: MatchOp;
  value: string;
}

export const MAX_MATCHERS = 20;
const MAX_PATTERN = 256;

const compiled = new Map<string, RegExp>();
function anchored(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (!re) {
    re = new RegExp(`^(?:${pattern})$`, 'u');
    if (compiled.size > 10_000) compiled.clear();
    compiled.set(pattern, re);
  }
  return re;
}

export function matchesOne(m: Matcher, fields: Readonly<Record<string, string>>): boolean {
  const value = fields[m.name] ?? '';
  switch (m.op) {
    case '=':
      return value === m.value;
    case '!=':
      return value !== m.value;
    case '=~':
      return anchored(m.value).test(value);
    case '!~':
      return !anchored(m.value).test(value);
  }
}

/** True when every matcher matches (an empty list never matches: it would silence everything). */
export const matchesAll = (matchers: readonly Matcher[], fields: Readonly<Record<string, string>>): boolean =>
  matchers.length > 0 && matchers.every((m) => matchesOne(m, fields));

/** Checks a matcher list as typed by a person; `field` prefixes each problem ("body.matchers"). */
export function checkMatchers(matchers: readonly Matcher[], field: string): FieldError[] {
  const problems: FieldError[] = [];
  if (matchers.length === 0) problems.push({ field, reason: 'needs at least one matcher' });
  if (matchers.length > MAX_MATCHERS) problems.push({ field, reason: `allows at most ${MAX_MATCHERS} matchers` });
  matchers.forEach((m, i) => {
    const at = `${field}.${i}`;
    if (!/^[A-Za-z_][A-Za-z0-9_.:-]{0,99}$/.test(m.name)) problems.push({ field: `${at}.name`, reason: 'must be a label name (letters, digits, _ . : -)' });
    if (!MATCH_OPS.includes(m.op)) problems.push({ field: `${at}.op`, reason: `must be one of ${MATCH_OPS.join(' ')}` });
    if (m.value.length > MAX_PATTERN) problems.push({ field: `${at}.value`, reason: `must be at most ${MAX_PATTERN} characters` });
    else if (m.op === '=~' || m.op === '!~') {
      try {
        anchored(m.value);
      } catch (e) {
        problems.push({ field: `${at}.value`, reason: `is not a valid regular expression: ${(e as Error).message}` });
      }
    }
  });
  if (problems.length === 0 && matchers.every((m) => matchesOne(m, {}))) {
    problems.push({ field, reason: 'would match every alert (each matcher matches an empty label); add one that needs a value' });
  }
  return problems;
}

/** Matchers in Alertmanager's text form: `alertname="Disk", severity=~"critical|error"`. */
export const formatMatchers = (matchers: readonly Matcher[]): string =>
  matchers.map((m) => `${m.name}${m.op}${JSON.stringify(m.value)}`).join(', ');
