import { ConfigurationError, type Platform } from '../errors.js';
import { memoryStore, type SessionStore } from '../session/store.js';
import { MAX_TIMER_MS } from '../transport/deadline.js';
import { isInsecure } from '../transport/origin.js';
import type { CallOptions, ClientOptions, Hooks, Logger } from '../types.js';

/** A client's options, checked once: every later step trusts these. */
export interface Config {
  platform: Platform;
  /** Normalised, without a trailing slash. */
  baseUrl: string;
  origin: string;
  headers: Record<string, string>;
  timeout: number;
  maxRetries: number;
  maxBodyBytes: number;
  fetch: (() => typeof fetch) | undefined;
  logger: Logger | undefined;
  hooks: Hooks | undefined;
  store: SessionStore;
  storageKey: string;
  credentials: RequestCredentials;
  now: () => number;
}

/** Each number option's default and maximum (the minimum is 0). */
const NUMBERS = { timeout: [30_000, MAX_TIMER_MS], maxRetries: [2, 10], maxBodyBytes: [1 << 20, 2 ** 30] } as const;
/** What fetch refuses in a header value (it would fail later, as a retried network error): CR, LF, NUL, non-Latin-1. */
const BAD_HEADER_VALUE = /[\0\r\n]|[^\0-\xff]/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export const configError = (platform: Platform, message: string, operation = 'configure') =>
  new ConfigurationError(message, { platform, operation });

/** A header value fetch can send: no CR, LF or NUL, which would be a header injection or a failed request. */
export function checkHeaderValue(platform: Platform, what: string, value: string, operation?: string) {
  if (BAD_HEADER_VALUE.test(value)) throw configError(platform, `${what} has CR, LF, NUL or a non-Latin-1 character: no header can carry it.`, operation);
}

/** Options and arguments given as objects (JavaScript callers may pass anything). */
function object(platform: Platform, value: unknown, what: string, operation?: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null) throw configError(platform, `${what} must be an object.`, operation);
  return value as Record<string, unknown>;
}

/** A number option: its default when unset, else an integer from 0 to its maximum. */
function integer(platform: Platform, options: Record<string, unknown>, name: keyof typeof NUMBERS, operation?: string): number {
  const value = options[name];
  const [fallback, max] = NUMBERS[name];
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > max)
    throw configError(platform, `\`${name}\` must be an integer from 0 to ${max}.`, operation);
  return value as number;
}

/** One header a caller gave: a valid name, and a value a header can carry (the value is never quoted). */
export function checkHeader(platform: Platform, name: string, value: string, operation?: string) {
  if (!HEADER_NAME.test(name)) throw configError(platform, `Header name ${JSON.stringify(name)} is not valid.`, operation);
  checkHeaderValue(platform, `Header ${name}`, value, operation);
}

/** Extra headers: valid names and values, keyed in lower case. */
function headersOf(platform: Platform, headers: unknown, operation?: string): Record<string, string> {
  const checked: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    checkHeader(platform, name, String(value), operation);
    checked[name.toLowerCase()] = String(value);
  }
  return checked;
}

export function resolveConfig(platform: Platform, options: ClientOptions): Config {
  const given = object(platform, options, 'Options');
  let base: URL | undefined;
  try {
    base = new URL(String(options.baseUrl), (globalThis as { location?: { href: string } }).location?.href);
  } catch {
    // Reported below with the other ways a baseUrl can be unusable.
  }
  // User-info would reach logs, and a query or fragment would be dropped from every path.
  if (!base || !/^https?:$/.test(base.protocol) || base.username || base.password || base.search || base.hash || /[?#]/.test(String(options.baseUrl)))
    throw configError(platform, '`baseUrl` must be an absolute http(s) URL without user-info, query or fragment (credentials are options).');
  if (isInsecure(base) && !options.allowInsecureHttp)
    throw configError(platform, 'Credentials over plain http to a non-loopback host need https or `allowInsecureHttp`.');
  const baseUrl = base.href.replace(/\/+$/, '');
  const { fetch, cookies, logger } = options;
  if (fetch !== undefined && typeof fetch !== 'function') throw configError(platform, '`fetch` must be a function.');
  return {
    platform,
    baseUrl,
    origin: base.origin,
    headers: headersOf(platform, options.headers),
    timeout: integer(platform, given, 'timeout'),
    maxRetries: integer(platform, given, 'maxRetries'),
    maxBodyBytes: integer(platform, given, 'maxBodyBytes'),
    fetch: fetch && (() => fetch),
    logger: logger && safeLogger(logger),
    hooks: options.hooks,
    store: options.store ?? memoryStore(),
    storageKey: options.storageKey ?? `authwire:${platform}:${baseUrl}`,
    credentials: typeof cookies === 'string' ? cookies : 'include',
    now: options.now ?? Date.now,
  };
}

/** A logger that cannot break a call: its failures are swallowed (there is nowhere safer to report them). */
function safeLogger(logger: Logger): Logger {
  const guard = (method: 'debug' | 'warn') => (message: string) => {
    try {
      logger[method]?.(message);
    } catch {
      // A logger is an observer; its failure must not change the outcome of the call it describes.
    }
  };
  return { debug: guard('debug'), warn: guard('warn') };
}

/** Per-call options, checked like the client's. */
export function checkCall(platform: Platform, call: unknown, operation: string) {
  if (call === undefined) return {};
  const given = object(platform, call, 'Call options', operation);
  if (given.timeout !== undefined) integer(platform, given, 'timeout', operation);
  if (given.maxRetries !== undefined) integer(platform, given, 'maxRetries', operation);
  if (given.signal !== undefined && !(given.signal instanceof AbortSignal)) throw configError(platform, '`signal` must be an AbortSignal.', operation);
  headersOf(platform, given.headers, operation);
  return call as CallOptions;
}

/** Rejects missing or empty required arguments before anything is sent (a password of spaces is the user's to try). */
export function requireText(platform: Platform, operation: string, fields: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(fields))
    if (typeof value !== 'string' || value === '')
      throw configError(platform, `\`${name}\` must be a non-empty string.`, operation);
}

/** The credential options, checked alike on every platform: one credential, a known mode, non-empty values. */
export function checkCredentials(platform: Platform, options: object) {
  const given = object(platform, options, 'Options');
  const { apiKey, token, mode } = given;
  // JavaScript callers; TypeScript refuses these pairs already.
  const other = apiKey === undefined ? undefined : ['token', 'sessionCookie', 'mode', 'getCredentials'].find((name) => given[name] !== undefined);
  if (other) throw configError(platform, `\`apiKey\` and \`${other}\` cannot be used together: one client holds one credential.`);
  if (mode !== undefined && mode !== 'bearer' && mode !== 'cookie') throw configError(platform, '`mode` must be "bearer" or "cookie".');
  if (token !== undefined && mode === 'cookie') throw configError(platform, '`token` and `mode: "cookie"` cannot be used together.');
  for (const name of ['apiKey', 'token', 'sessionCookie']) if (given[name] !== undefined) requireText(platform, 'configure', { [name]: given[name] });
}
