import {
  ApiError,
  AuthwireError,
  ForbiddenError,
  InvalidCredentialsError,
  InvalidResponseError,
  NotAuthenticatedError,
  RateLimitedError,
  type ErrorContext,
} from '../errors.js';
import type { Received } from '../transport/send.js';
import { retryAfterMs } from '../transport/retry.js';
import type { Verdict } from './operation.js';

const CLASSES = {
  refused: NotAuthenticatedError,
  credentials: InvalidCredentialsError,
  forbidden: ForbiddenError,
  csrf: ForbiddenError,
  throttled: RateLimitedError,
  failed: ApiError,
} as const;

/** The context of an answer: status and request id joined to the call's. */
export function answered({ res }: Received, ctx: ErrorContext): ErrorContext {
  const requestId = res.headers.get('x-request-id');
  return { ...ctx, status: res.status, ...(requestId && { requestId }) };
}

/** The status line alone makes the answer unusable: outside 200–599 or a redirect (never followed). */
export function statusError(status: number, ctx: ErrorContext): InvalidResponseError | undefined {
  if (status < 200 || status > 599) return new InvalidResponseError(`HTTP ${status} is not a status this platform sends.`, { ...ctx, reason: 'status' });
  if (status < 400 && status > 299)
    return new InvalidResponseError(`Unexpected HTTP ${status} (redirects are not followed).`, { ...ctx, reason: 'redirect' });
}

/** Every typed error of an answer comes from here: the status line, then the platform's verdict. */
export function errorFor(r: Received, verdict: Verdict | undefined, ctx: ErrorContext): AuthwireError | undefined {
  const { status } = r.res;
  // The common case first: an accepted 2xx needs no error, nor its context.
  if (!verdict && status > 199 && status < 300) return;
  const context = answered(r, ctx);
  const invalid = statusError(status, context);
  if (invalid) return invalid;
  if (!verdict) return new ApiError(`HTTP ${status}`, context);
  const { kind, reason, code, message, retryAfter } = verdict;
  const wait = kind === 'throttled' ? retryAfter ?? (retryAfterMs(r.res.headers.get('retry-after'), Date.now()) ?? NaN) / 1000 : undefined;
  return new CLASSES[kind](message ?? `HTTP ${status}`, {
    ...context,
    ...(reason && { reason }),
    ...(code !== undefined && { code }),
    ...(kind === 'throttled' && { reason: 'throttled' }),
    ...(wait !== undefined && Number.isFinite(wait) && { retryAfter: wait }),
  });
}
