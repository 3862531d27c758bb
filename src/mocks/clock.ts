/** A clock the test controls: expiry in the mocks follows it, not the wall clock. */
export interface MockClock {
  now(): number;
  advance(ms: number): void;
  set(epochMs: number): void;
}

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
