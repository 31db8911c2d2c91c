/**
 * Time is an input. Domain code reads `ctx.clock.now()`; pure rules take `now` as an argument.
 * The engine and the tests share one clock, so scenario tests fast-forward instead of sleeping.
 */
export interface Clock {
  now(): Date;
  /** Resolves after `ms` of this clock's time, or when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Subscribe to jumps of a fake clock (the engine re-checks due jobs); returns an unsubscribe. */
  onAdvance(listener: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const t = setTimeout(done, ms);
      function done() {
        signal?.removeEventListener('abort', done);
        clearTimeout(t);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    }),
  onAdvance: () => () => {},
};

/** A clock that only moves when told to; sleepers wake when their deadline is passed. */
export class FakeClock implements Clock {
  #now: number;
  #sleepers = new Set<{ until: number; wake: () => void }>();
  #listeners = new Set<() => void>();

  constructor(start: Date | string = '2026-01-05T09:00:00Z') {
    this.#now = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.#now);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const sleeper = {
        until: this.#now + ms,
        wake: () => {
          this.#sleepers.delete(sleeper);
          signal?.removeEventListener('abort', sleeper.wake);
          resolve();
        },
      };
      this.#sleepers.add(sleeper);
      signal?.addEventListener('abort', sleeper.wake, { once: true });
    });
  }

  onAdvance(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Moves time forward and wakes every sleeper and listener whose deadline has come. */
  advance(ms: number): void {
    if (ms < 0) throw new RangeError('a clock does not go backwards');
    this.#now += ms;
    for (const s of [...this.#sleepers]) if (s.until <= this.#now) s.wake();
    for (const l of [...this.#listeners]) l();
  }

  set(to: Date | string): void {
    this.advance(new Date(to).getTime() - this.#now);
  }
}
