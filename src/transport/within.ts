import { AbortedError, TimeoutError, type ErrorContext } from '../errors.js';

/** The time a caller grants one step: its `timeout` (ms, 0 = none) and its `signal`. */
export interface Budget {
  timeout?: number | undefined;
  signal?: AbortSignal | undefined;
}

export const aborted = (ctx: ErrorContext, signal?: AbortSignal) =>
  new AbortedError('Aborted by the caller.', { ...ctx, cause: signal?.reason });

/**
 * `promise`, or a typed error once the budget runs out: for waits the caller does not own (a shared
 * re-login, a credentials callback), which must not hold the caller past its own timeout or signal.
 */
export function within<T>(promise: Promise<T>, { timeout, signal }: Budget, ctx: ErrorContext): Promise<T> {
  if (!timeout && !signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const finish = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      finish();
      reject(aborted(ctx, signal));
    };
    const timer = timeout
      ? setTimeout(() => {
          finish();
          reject(new TimeoutError(`No result within ${timeout} ms.`, ctx));
        }, timeout)
      : undefined;
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => (finish(), resolve(value)),
      (error: unknown) => (finish(), reject(error)),
    );
  });
}
