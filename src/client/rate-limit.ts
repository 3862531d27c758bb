import { RateLimitedError, type ErrorContext } from '../errors.js';
import { retryAfterMs } from '../transport/retry.js';

/** A rate-limit answer as a typed error, with the server's `Retry-After` in seconds when it sent one. */
export function rateLimited(res: Response, message: string, ctx: ErrorContext): RateLimitedError {
  const wait = retryAfterMs(res.headers.get('retry-after'), Date.now());
  return new RateLimitedError(message, { ...ctx, reason: 'throttled', ...(wait === undefined ? {} : { retryAfter: wait / 1000 }) });
}
