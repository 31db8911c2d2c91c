import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { run } from '../main.ts';

export interface Result {
  code: number;
  out: string;
  err: string;
}

/** Runs `vigil <args>` in-process with exactly this environment, collecting what it prints. */
export async function vigil(
  env: Record<string, string | undefined>,
  args: string[],
  extra: { fetch?: typeof fetch; stdoutIsTTY?: boolean; columns?: number } = {},
): Promise<Result> {
  let out = '';
  let err = '';
  const code = await run(['node', 'vigil', ...args], {
    stdout: (s) => void (out += s),
    stderr: (s) => void (err += s),
    env,
    stdoutIsTTY: extra.stdoutIsTTY ?? false,
    columns: extra.columns,
    cwd: tmpdir(),
    ...(extra.fetch ? { fetch: extra.fetch } : {}),
  });
  return { code, out, err };
}

/** A failure is one line on stderr, `vigil: …`, matching `pattern`. */
export function assertOneLine(err: string, pattern: RegExp): void {
  assert.match(err, /^vigil: [^\n]*\n$/, `expected one stderr line, got: ${JSON.stringify(err)}`);
  assert.match(err, pattern);
}

/** For commands that must refuse before sending anything. */
export const noFetch: typeof fetch = () => assert.fail('no request should be sent');

/** Runs `vigil <args> --json`, requires success with nothing on stderr, and parses what it printed. */
export async function vigilJson<T>(env: Record<string, string | undefined>, args: string[]): Promise<T> {
  const r = await vigil(env, [...args, '--json']);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.err, '');
  return JSON.parse(r.out) as T;
}
