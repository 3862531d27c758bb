/** The platforms authwire speaks to. */
export type Platform = 'lowcoder' | 'apostrophe' | 'coco';

/** What every authwire error knows about the exchange that failed. */
export interface ErrorContext {
  platform: Platform;
  /** The SDK operation, e.g. `login`, `profile`, or `METHOD /path` for `api` calls. */
  operation: string;
  /** HTTP status, when a response arrived. */
  status?: number;
  /** The platform's own error code or name: Lowcoder `5608`, Apostrophe `invalid`, … */
  code?: string | number;
  /** A short machine-readable reason for quirks that share a status, e.g. `throttled`, `csrf`. */
  reason?: string;
  /** `x-request-id` of the response, when the server sent one. */
  requestId?: string;
  /** Seconds to wait before retrying (rate limits). */
  retryAfter?: number;
  cause?: unknown;
}

/**
 * Base class of every error authwire throws. Its message, `toJSON()` and fields never contain
 * passwords, tokens, keys or cookies: server messages are scrubbed of the secrets in use.
 */
export class AuthwireError extends Error {
  override name = 'AuthwireError';
  declare readonly platform: Platform;
  declare readonly operation: string;
  declare readonly status?: number;
  declare readonly code?: string | number;
  declare readonly reason?: string;
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

/** Login was refused: wrong password, unknown user, or credentials that changed since. */
export class InvalidCredentialsError extends AuthwireError {
  override name = 'InvalidCredentialsError';
}

/**
 * No valid credential: never signed in, session expired or revoked, key deleted. `reason` tells
 * which quirk revealed it (`anonymous`, `empty-response`, `signed-out`, `expired`, `relogin-failed`,
 * `cookie-not-stored`, …).
 */
export class NotAuthenticatedError extends AuthwireError {
  override name = 'NotAuthenticatedError';
}

/** Authenticated, but not allowed (missing permission, CSRF cookie refused, …). */
export class ForbiddenError extends AuthwireError {
  override name = 'ForbiddenError';
}

/** Too many requests or login attempts. `retryAfter` is in seconds when known. */
export class RateLimitedError extends AuthwireError {
  override name = 'RateLimitedError';
}

/** Any other error answer of the platform, with its status, code and message. */
export class ApiError extends AuthwireError {
  override name = 'ApiError';
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

/** The answer was not what the platform sends: bad JSON, HTML, an empty body, a wrong shape. */
export class InvalidResponseError extends AuthwireError {
  override name = 'InvalidResponseError';
}

/** Bad options or arguments, caught before anything is sent. */
export class ConfigurationError extends AuthwireError {
  override name = 'ConfigurationError';
}
