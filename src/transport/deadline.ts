/**
 * The abort signal of a timeout. Requests that start within one short window share a signal that
 * fires `timeout` after the window closes: one controller and one timer per window instead of one
 * per request (both cost more than a whole stubbed exchange in Node), for a deadline at most one
 * window — a tenth of the timeout, 100 ms at most — late. An aborted fetch tears its connection down.
 *
 * A window also closes after `SHARERS` requests: every Request that follows a signal adds an abort
 * listener that stays until the Request is collected, and Node walks a signal's listeners on each
 * add, so an unbounded window costs time in proportion to the requests already in it.
 */
export const SHARERS = 16;
/** Node clamps longer timers to 1 ms, which would time out every call at once: the largest `timeout` allowed, and its timer's bound. */
export const MAX_TIMER_MS = 2 ** 31 - 1;
const windows = new Map<number, { signal: AbortSignal; closesAt: number; left: number }>();

export function deadline(timeout: number): AbortSignal {
  const now = Date.now();
  let open = windows.get(timeout);
  if (!open || now >= open.closesAt || open.left === 0) {
    const slack = Math.min(100, Math.ceil(timeout / 10));
    const controller = new AbortController();
    const window = { signal: controller.signal, closesAt: now + slack, left: SHARERS };
    windows.set(timeout, window);
    const timer = setTimeout(() => {
      if (windows.get(timeout) === window) windows.delete(timeout);
      controller.abort();
    }, Math.min(timeout + slack, MAX_TIMER_MS));
    // Pending timers must not keep a Node process alive once its requests are done.
    (timer as { unref?: () => void }).unref?.();
    open = window;
  }
  open.left--;
  return open.signal;
}

/** One signal that aborts when either does (`AbortSignal.any` where the runtime has it). */
export function either(a: AbortSignal, b: AbortSignal): AbortSignal {
  if (AbortSignal.any) return AbortSignal.any([a, b]);
  const controller = new AbortController();
  const abort = () => controller.abort();
  for (const signal of [a, b])
    if (signal.aborted) abort();
    else signal.addEventListener('abort', abort, { once: true });
  return controller.signal;
}
