/** A clock the test controls: expiry in the mocks follows it, not the wall clock. */
export interface MockClock {
  /** The current time, in epoch milliseconds. */
  now(): number;
  /** Moves the time forward by `ms` milliseconds. */
  advance(ms: number): void;
  /** Sets the time, in epoch milliseconds. */
  set(epochMs: number): void;
}

/** A clock standing at `start` (epoch ms, now by default) until the test moves it; share it between mocks through their `clock` option. */
export function createClock(start = Date.now()): MockClock {
  let current = start;
  return {
    now: () => current,
    advance(ms) {
      current += ms;
    },
    set(epochMs) {
      current = epochMs;
    },
  };
}
