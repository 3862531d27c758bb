/** The platforms authwire speaks to. */
export type Platform = 'lowcoder' | 'apostrophe' | 'coco';

/**
 * Why a credential is missing or refused: `anonymous` (Lowcoder's anonymous user), `empty-response`
 * (Lowcoder's empty 200 for a deleted key), `signed-out` (Apostrophe's whoami 404 or logout 403),
 * `invalid-token`, `invalid-api-key`, `expired` (the session's expiry passed and could not be renewed),
 * `logged-out` (after `logout()`, until the next `login()`), `cookie-not-stored` (the browser dropped
 * the session cookie), `relogin-failed`, `requirements-pending` (more login steps needed),
 * `not-forwarded` (a per-request client got no credential to forward).
 */
export type NotAuthenticatedReason =
  | 'anonymous'
  | 'empty-response'
  | 'signed-out'
  | 'invalid-token'
  | 'invalid-api-key'
  | 'expired'
  | 'logged-out'
  | 'cookie-not-stored'
  | 'relogin-failed'
  | 'requirements-pending'
  | 'not-forwarded';
/** `csrf`: Apostrophe refused the write because its CSRF cookie was missing. */
export type ForbiddenReason = 'csrf';
/** `throttled`: a rate limit or login throttle. */
export type RateLimitedReason = 'throttled';
/** `requirement`: an Apostrophe login requirement (captcha, 2FA code) was not met. */
export type ApiErrorReason = 'requirement';
/** What was wrong with the answer. */
export type InvalidResponseReason = 'redirect' | 'status' | 'too-large' | 'not-json' | 'shape';
/** Which store operation failed. */
export type StoreErrorReason = 'read' | 'write' | 'lock';
export type ErrorReason =
  | NotAuthenticatedReason
  | ForbiddenReason
  | RateLimitedReason
  | ApiErrorReason
  | InvalidResponseReason
  | StoreErrorReason;

/** Lowcoder's numeric codes the SDK acts on (any other number may appear). */
export type LowcoderErrorCode = 5001 | 5009 | 5600 | 5608 | 5616 | (number & {});
/** Apostrophe's error names (`invalid`, `forbidden`, `notfound`, …). */
export type ApostropheErrorCode = 'invalid' | 'forbidden' | 'notfound' | 'unprocessable' | 'error' | (string & {});
/** Coco's `error.reason` text. */
export type CocoErrorCode = string;

/** What every authwire error knows about the exchange that failed. */
export interface ErrorContext {
  platform: Platform;
  /** The SDK operation, e.g. `login`, `profile`, or `METHOD /path` for `api` calls. */
  operation: string;
  /** HTTP status, when a response arrived. */
  status?: number;
  /** The platform's own error code or name: Lowcoder `5608`, Apostrophe `invalid`, … */
  code?: LowcoderErrorCode | ApostropheErrorCode | CocoErrorCode;
  /** A short machine-readable reason for quirks that share a status. */
  reason?: ErrorReason;
  /** `x-request-id` of the response, when the server sent one (scrubbed like the message). */
  requestId?: string;
  /** Seconds to wait before retrying (rate limits). */
  retryAfter?: number;
  cause?: unknown;
}

/**
 * Base class of every error authwire throws. Its message, `toJSON()` and fields never contain
 * passwords, tokens, keys or cookies: server texts are scrubbed of the secrets in use.
 */
export class AuthwireError extends Error {
  override name = 'AuthwireError';
  declare readonly platform: Platform;
  declare readonly operation: string;
  declare readonly status?: number;
  declare readonly code?: ErrorContext['code'];
  declare readonly reason?: ErrorReason;
  declare readonly requestId?: string;
  /** Seconds to wait before retrying, when the server or the platform's rules tell. */
  declare readonly retryAfter?: number;

  constructor(message: string, { cause, ...context }: ErrorContext) {
    super(message, cause === undefined ? undefined : { cause });
    Object.assign(this, context);
  }

  /** The fields, without stack or cause (which may hold foreign objects). */
  toJSON() {
    const { name, message, platform, operation, status, code, reason, requestId, retryAfter } = this;
    return { name, message, platform, operation, status, code, reason, requestId, retryAfter };
  }
}

/** Login was refused: wrong password, unknown user, or a wrong second-factor code. */
export class InvalidCredentialsError extends AuthwireError {
  override name = 'InvalidCredentialsError';
}

/** No valid credential: never signed in, session expired or revoked, key deleted. See `reason`. */
export class NotAuthenticatedError extends AuthwireError {
  override name = 'NotAuthenticatedError';
  declare readonly reason?: NotAuthenticatedReason;
}

/** Authenticated, but not allowed (missing permission, CSRF cookie refused, …). */
export class ForbiddenError extends AuthwireError {
  override name = 'ForbiddenError';
  declare readonly reason?: ForbiddenReason;
}

/** Too many requests or login attempts. `retryAfter` is in seconds when known. */
export class RateLimitedError extends AuthwireError {
  override name = 'RateLimitedError';
  declare readonly reason?: RateLimitedReason;
}

/** Any other error answer of the platform, with its status, code and message. */
export class ApiError extends AuthwireError {
  override name = 'ApiError';
  declare readonly reason?: ApiErrorReason;
}

/** The request never got an answer: DNS, refused or reset connection, CORS refusal in browsers. */
export class NetworkError extends AuthwireError {
  override name = 'NetworkError';
}

/** No answer within the configured timeout. */
export class TimeoutError extends AuthwireError {
  override name = 'TimeoutError';
}

/** The caller's `AbortSignal` aborted the request. */
export class AbortedError extends AuthwireError {
  override name = 'AbortedError';
}

/** The answer was not what the platform sends: bad JSON, HTML, a wrong shape, too large, a redirect. */
export class InvalidResponseError extends AuthwireError {
  override name = 'InvalidResponseError';
  declare readonly reason?: InvalidResponseReason;
}

/** The session store failed (`reason`: `read`, `write`, `lock`); the cause is the store's error. */
export class StoreError extends AuthwireError {
  override name = 'StoreError';
  declare readonly reason?: StoreErrorReason;
}

/** Bad options or arguments, caught before anything is sent. */
export class ConfigurationError extends AuthwireError {
  override name = 'ConfigurationError';
}

/** True for any error authwire throws, also across copies of the package (instanceof can't see those). */
export const isAuthwireError = (error: unknown): error is AuthwireError =>
  error instanceof AuthwireError || (error instanceof Error && typeof (error as { platform?: unknown }).platform === 'string' && 'operation' in error);

/* @__NO_SIDE_EFFECTS__ */ function guard<E extends AuthwireError>(type: abstract new (...args: never[]) => E, name: string) {
  return (error: unknown): error is E => error instanceof type || (isAuthwireError(error) && error.name === name);
}

export const isInvalidCredentialsError = guard(InvalidCredentialsError, 'InvalidCredentialsError');
export const isNotAuthenticatedError = guard(NotAuthenticatedError, 'NotAuthenticatedError');
export const isForbiddenError = guard(ForbiddenError, 'ForbiddenError');
export const isRateLimitedError = guard(RateLimitedError, 'RateLimitedError');
export const isApiError = guard(ApiError, 'ApiError');
export const isNetworkError = guard(NetworkError, 'NetworkError');
export const isTimeoutError = guard(TimeoutError, 'TimeoutError');
export const isAbortedError = guard(AbortedError, 'AbortedError');
export const isInvalidResponseError = guard(InvalidResponseError, 'InvalidResponseError');
export const isStoreError = guard(StoreError, 'StoreError');
export const isConfigurationError = guard(ConfigurationError, 'ConfigurationError');
