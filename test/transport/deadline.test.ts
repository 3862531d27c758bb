// The shared timeout signal of transport/deadline.ts: shared within a short window, never by more
// than SHARERS requests (each Request that follows a signal leaves a listener on it until it is
// collected, and Node walks them all on every add), and it still fires.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SHARERS, deadline } from '../../src/transport/deadline.js';

afterEach(() => vi.useRealTimers());

describe('deadline()', () => {
  it('shares one signal between requests of one window, never more than SHARERS of them', () => {
    vi.useFakeTimers();
    const signals = Array.from({ length: SHARERS * 3 }, () => deadline(1_234));
    const counts = [...new Set(signals)].map((s) => signals.filter((t) => t === s).length);
    expect(counts).toEqual([SHARERS, SHARERS, SHARERS]);
  });

  it('keeps the longest timeout the options allow: its timer never overflows into one that fires at once', async () => {
    const signal = deadline(2 ** 31 - 1);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(signal.aborted).toBe(false);
  });

  it('opens a new window once the old one closed (a tenth of the timeout, 100 ms at most)', () => {
    vi.useFakeTimers();
    const first = deadline(500);
    vi.advanceTimersByTime(49);
    expect(deadline(500)).toBe(first);
    vi.advanceTimersByTime(1);
    expect(deadline(500)).not.toBe(first);
  });

  it('aborts at the timeout plus at most one window', () => {
    vi.useFakeTimers();
    const signal = deadline(1_000);
    vi.advanceTimersByTime(1_000);
    expect(signal.aborted).toBe(false);
    vi.advanceTimersByTime(100);
    expect(signal.aborted).toBe(true);
  });
});
