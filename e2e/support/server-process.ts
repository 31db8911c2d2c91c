import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');
export const NODE = join(ROOT, 'node_modules', '.bin', 'node');

export const tempDataDir = (): string => mkdtempSync(join(tmpdir(), 'vigil-e2e-'));

export interface ServerProcess {
  child: ChildProcess;
  /** Everything printed so far on stdout and stderr. */
  output(): string;
  /** Resolves with the URL from "listening on …", or rejects with the output if it exits first. */
  url: Promise<string>;
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts Vigil as a child process; `command` defaults to what `npm start` runs after building the UI. */
export function startServerProcess(env: Record<string, string>, command: string[] = [NODE, 'src/main.ts']): ServerProcess {
  const child = spawn(command[0]!, command.slice(1), {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, VIGIL_LOG_LEVEL: 'warn', VIGIL_HOST: '127.0.0.1', VIGIL_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so a signal reaches what `npm start` runs too, not only npm.
    detached: true,
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const url = new Promise<string>((resolve, reject) => {
    const check = () => {
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    };
    child.stdout!.on('data', check);
    exited.then((code) => reject(new Error(`server exited (${code}) before listening:\n${out}`)));
  });
  url.catch(() => {});
  return {
    child,
    output: () => out,
    url,
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, signal);
      return exited;
    },
  };
}
