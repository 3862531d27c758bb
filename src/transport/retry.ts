/** Statuses worth another attempt: rate limits and gateway trouble, never client errors. */
const RETRY_STATUSES = [429, 502, 503, 504];
const IDEMPOTENT = ['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE'];
/** A server asking for a longer pause than this gets a typed error instead of a hanging call. */
export const MAX_RETRY_AFTER_MS = 60_000;

export const isRetryableStatus = (status: number) => RETRY_STATUSES.includes(status);

export const isIdempotent = (method: string) => IDEMPOTENT.includes(method);

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; undefined when absent or invalid. */
export function retryAfterMs(value: string | null, now: number): number | undefined {
  const text = value?.trim() ?? '';
  // Numbers are delta-seconds (negative ones are invalid); only text with a month name is a date,
  // since Date.parse reads bare numbers such as "-1" as years.
  const ms = /^-?\d+(\.\d+)?$/.test(text)
    ? Number(text) >= 0
      ? Number(text) * 1000
      : NaN
    : /[a-z]/i.test(text)
      ? Date.parse(text) - now
      : NaN;
  return Number.isFinite(ms) ? Math.max(0, ms) : undefined;
}

/** Exponential backoff from 0.5 s, capped at 8 s, with up to 25 % jitter taken off. */
export const backoffMs = (attempt: number, random = Math.random) =>
  Math.min(500 * 2 ** attempt, 8000) * (1 - random() * 0.25);
