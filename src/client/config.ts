import type { CookieJar } from '../auth/cookie-jar.js';
import { ConfigurationError, type Platform } from '../errors.js';
import { memoryStore, type SessionStore } from '../session/store.js';
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
  jar: CookieJar | undefined;
  credentials: RequestCredentials;
  now: () => number;
}

/** Node clamps longer timers to 1 ms, which would time out every call at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** What fetch refuses in a header value (it would fail later, as a retried network error): CR, LF, NUL, non-Latin-1. */
const BAD_HEADER_VALUE = /[\0\r\n]|[^\0-\xff]/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export const configError = (platform: Platform, message: string, operation = 'configure') =>
  new ConfigurationError(message, { platform, operation });

/** A header value fetch can send: no CR, LF or NUL, which would be a header injection or a failed request. */
export function checkHeaderValue(platform: Platform, what: string, value: string, operation?: string) {
  if (BAD_HEADER_VALUE.test(value)) throw configError(platform, `${what} contains a line break, NUL or a character beyond Latin-1, which no header can carry.`, operation);
}

function integer(platform: Platform, name: string, value: unknown, fallback: number, max: number, operation?: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max)
    throw configError(platform, `\`${name}\` must be an integer from 0 to ${max}.`, operation);
  return value;
}

/** Throws when options that exclude each other are both set (JavaScript callers; TypeScript refuses them already). */
export function exclusive(platform: Platform, options: object, ...names: string[]) {
  const set = names.filter((name) => (options as Record<string, unknown>)[name] !== undefined);
  if (set.length > 1) throw configError(platform, `\`${set.join('` and `')}\` cannot be used together: one client holds one credential.`);
}

export function resolveConfig(platform: Platform, options: ClientOptions): Config {
  if (typeof options !== 'object' || options === null) throw configError(platform, 'Options must be an object.');
  let base: URL;
  try {
    base = new URL(String(options.baseUrl), (globalThis as { location?: { href: string } }).location?.href);
  } catch {
    throw configError(platform, '`baseUrl` must be an absolute http(s) URL.');
  }
  if (!/^https?:$/.test(base.protocol)) throw configError(platform, '`baseUrl` must be an http(s) URL.');
  // Each would be silently lost or leaked: user-info reaches logs, a query or fragment is dropped from every path.
  if (base.username || base.password) throw configError(platform, '`baseUrl` must not contain user-info (`user:password@`); pass credentials as options.');
  if (base.search || base.hash || /[?#]/.test(String(options.baseUrl))) throw configError(platform, '`baseUrl` must not contain a query or fragment.');
  if (isInsecure(base) && !options.allowInsecureHttp)
    throw configError(platform, 'Credentials over plain http to a non-loopback host need https or `allowInsecureHttp`.');
  const baseUrl = base.href.replace(/\/+$/, '');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (!HEADER_NAME.test(name)) throw configError(platform, `Header name ${JSON.stringify(name)} is not valid.`);
    checkHeaderValue(platform, `Header ${name}`, String(value));
    headers[name.toLowerCase()] = String(value);
  }
  const { fetch, cookies, logger } = options;
  if (fetch !== undefined && typeof fetch !== 'function') throw configError(platform, '`fetch` must be a function.');
  return {
    platform,
    baseUrl,
    origin: base.origin,
    headers,
    timeout: integer(platform, 'timeout', options.timeout, 30_000, MAX_TIMER_MS),
    maxRetries: integer(platform, 'maxRetries', options.maxRetries, 2, 10),
    maxBodyBytes: integer(platform, 'maxBodyBytes', options.maxBodyBytes, 1 << 20, 2 ** 30),
    fetch: fetch && (() => fetch),
    logger: logger && safeLogger(logger),
    hooks: options.hooks,
    store: options.store ?? memoryStore(),
    storageKey: options.storageKey ?? `authwire:${platform}:${baseUrl}`,
    jar: typeof cookies === 'object' ? cookies : undefined,
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
  if (typeof call !== 'object' || call === null) throw configError(platform, 'Call options must be an object.', operation);
  const { timeout, maxRetries, headers, signal } = call as Record<string, unknown>;
  if (timeout !== undefined) integer(platform, 'timeout', timeout, 0, MAX_TIMER_MS, operation);
  if (maxRetries !== undefined) integer(platform, 'maxRetries', maxRetries, 0, 10, operation);
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw configError(platform, '`signal` must be an AbortSignal.', operation);
  for (const [name, value] of Object.entries((headers as Record<string, string>) ?? {})) {
    if (!HEADER_NAME.test(name)) throw configError(platform, `Header name ${JSON.stringify(name)} is not valid.`, operation);
    checkHeaderValue(platform, `Header ${name}`, String(value), operation);
  }
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
  if (typeof options !== 'object' || options === null) throw configError(platform, 'Options must be an object.');
  const given = options as Record<string, unknown>;
  for (const other of ['token', 'sessionCookie', 'mode', 'getCredentials']) exclusive(platform, given, 'apiKey', other);
  const { mode } = given;
  if (mode !== undefined && mode !== 'bearer' && mode !== 'cookie') throw configError(platform, '`mode` must be "bearer" or "cookie".');
  if (given.token !== undefined && mode === 'cookie') throw configError(platform, '`token` and `mode: "cookie"` cannot be used together.');
  for (const name of ['apiKey', 'token', 'sessionCookie']) if (given[name] !== undefined) requireText(platform, 'configure', { [name]: given[name] });
}
