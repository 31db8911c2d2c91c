import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

export class DataDirInUseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataDirInUseError';
  }
}

interface LockInfo {
  pid: number;
  host: string;
  startedAt: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes `<dir>/vigil.lock` with O_EXCL. PGlite takes no lock of its own, and two processes on one
 * data directory corrupt it, so a second process is refused here. A lock left by a process that no
 * longer runs on this host (kill -9, power loss) is taken over.
 */
export function acquireDataDirLock(dir: string, now: Date): () => void {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'vigil.lock');
  const me: LockInfo = { pid: process.pid, host: hostname(), startedAt: now.toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        rmSync(path, { force: true });
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let holder: LockInfo | undefined;
      try {
        holder = JSON.parse(readFileSync(path, 'utf8')) as LockInfo;
      } catch {
        holder = undefined; // torn write by a crashed process: treat as stale
      }
      if (holder && (holder.host !== me.host || isAlive(holder.pid))) {
        throw new DataDirInUseError(
          `The data directory ${dir} is in use by process ${holder.pid} on ${holder.host} (started ${holder.startedAt}). ` +
            `Stop that process first, or set VIGIL_DATA_DIR to another directory. ` +
            `If you are sure no Vigil runs on it, delete ${path}.`,
        );
      }
      rmSync(path, { force: true });
    }
  }
  throw new DataDirInUseError(`Could not take the lock ${path}: another process keeps creating it.`);
}
