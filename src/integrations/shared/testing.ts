/**
 * Helpers for the inbound parsers' tests (not used at run time):
 *
 *   const { fixture, fixtureNames } = fixtures(import.meta.url);
 *   const signal = ok(parseX(fixture('trigger-full.json')));
 *   assert.deepEqual(errorsOf(parseX({})), ['…']);
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import type { ParseResult } from '../../core/alerts/signal.ts';

/** The JSON files in `fixtures/` beside the test file whose `import.meta.url` is given. */
export function fixtures(testFileUrl: string | URL): {
  /** One fixture, parsed. */
  fixture: (name: string) => Record<string, unknown>;
  /** The names of all `.json` fixtures. */
  fixtureNames: () => string[];
} {
  const dir = new URL('./fixtures/', testFileUrl);
  return {
    fixture: (name) => JSON.parse(readFileSync(new URL(name, dir), 'utf8')),
    fixtureNames: () => readdirSync(dir).filter((f) => f.endsWith('.json')),
  };
}

/** The value of an accepted result; fails the test, listing the errors, when it was refused. */
export function ok<T>(result: ParseResult<T>): T {
  if (!result.ok) assert.fail(`expected ok, got errors: ${JSON.stringify(result.errors)}`);
  return result.value;
}

/** The errors of a refused result; fails the test when it was accepted. */
export function errorsOf<T>(result: ParseResult<T>): string[] {
  if (result.ok) assert.fail('expected the body to be refused');
  return result.errors;
}
