import { apiKeyMode, type KeyPlacement } from '../auth/api-key.js';
import { bearerMode } from '../auth/bearer.js';
import { cookieMode, hasBrowserCookies } from '../auth/cookie.js';
import type { CookieJar } from '../auth/cookie-jar.js';
import type { ModeHandler } from '../auth/mode.js';
import {
  ApiError,
  AuthwireError,
  ConfigurationError,
  InvalidResponseError,
  NotAuthenticatedError,
  type ErrorContext,
  type Platform,
} from '../errors.js';
import { createEmitter, type AuthEvent } from '../session/events.js';
import { createSession, newSessionId, type AuthMode, type SessionState } from '../session/session.js';
import { memoryStore, type SessionStore } from '../session/store.js';
import { isInsecure } from '../transport/origin.js';
import { MAX_BODY_BYTES, bodyOf } from '../transport/read.js';
import { isReplayable, send, type Logger, type Outgoing, type Received } from '../transport/send.js';
import { createApi } from './api.js';
import { scrub } from './redact.js';
import type { AuthClient } from './types.js';

/** Options every platform client takes. */
export interface ClientOptions {
  /** Where the platform is served, path prefix included (`https://cms.example.com/blog`). */
  baseUrl: string;
  /** A fetch implementation, looked up at every call; defaults to `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Sent with every request. */
  headers?: Record<string, string>;
  /** Milliseconds per attempt, body included. Default 30 000; 0 turns it off. */
  timeout?: number;
  /** Retries of idempotent requests on network errors and 429/502/503/504. Default 2; 0 turns them off. */
  maxRetries?: number;
  /** Receives one line per attempt and retry, never headers, bodies or query strings. */
  logger?: Logger;
  /** Where the session lives; in memory by default. */
  store?: SessionStore;
  /** The session's key in the store. Default `authwire:<platform>:<baseUrl>`. */
  storageKey?: string;
  /** Permit credentials over plain `http:` to a host other than loopback. */
  allowInsecureHttp?: boolean;
  /**
   * Cookie handling: `'include'` (default in browsers) or `'same-origin'` lets the browser keep
   * them; a `CookieJar` keeps them in Node (the default of the Node entry).
   */
  cookies?: CookieJar | 'include' | 'same-origin';
  /** The clock, in epoch milliseconds (for tests). */
  now?: () => number;
}

/** Per-call options of the high-level methods. */
export interface CallOptions {
  signal?: AbortSignal;
  /** Milliseconds for this call, body included. */
  timeout?: number;
  maxRetries?: number;
  /** Retry this call on transient failures even though its method is not idempotent. */
  retrySafe?: boolean;
  headers?: Record<string, string>;
}

/** What a client knows about its session. Never holds the secret itself. */
export interface SessionInfo<U> {
  platform: Platform;
  mode: AuthMode;
  signedIn: boolean;
  expiresAt?: Date;
  user?: U;
}

/** What the server still accepts after `logout()`. */
export interface LogoutResult {
  /** True when the server invalidated the credential; false when it stays valid (see README). */
  serverRevoked: boolean;
  /** Set when the server call failed; the local session is cleared anyway. */
  error?: AuthwireError;
}

/** How one platform speaks, given to the engine by each provider. */
export interface PlatformSpec {
  platform: Platform;
  apiKey: KeyPlacement;
  /** The answer shows that the credential sent is not, or no longer, valid. */
  rejected(r: Received, body: unknown, req: Outgoing): boolean;
  /** A refusal cured by fetching `prime` first (Apostrophe's CSRF cookie). */
  csrf?: { refused(r: Received, body: unknown): boolean; prime: string };
  /** The typed error for an answer, or undefined when it is a success. */
  toError(r: Received, body: unknown, ctx: ErrorContext): AuthwireError | undefined;
}

/** A platform's login: checks the credential, then makes it the session and announces `event`. */
export type SignIn<U, Login> = (input: Login, call: CallOptions | undefined, event: 'signedIn' | 'refreshed') => Promise<SessionInfo<U>>;

export interface EngineInit<U, Login> {
  spec: PlatformSpec;
  options: ClientOptions;
  /** The mode of sessions this client's `login()` creates. */
  mode: AuthMode;
  /** A credential handed in by the user (API key, token, cookie). */
  initial?: Omit<SessionState<U>, 'id'> | undefined;
  login: SignIn<U, Login>;
  /** The user's credentials callback, for logging in again when the session ends. */
  getCredentials?: (() => Login | Promise<Login>) | undefined;
}

export interface Request {
  query?: Record<string, string | undefined>;
  json?: unknown;
  /** False for calls that must travel without credentials (login). */
  auth?: boolean;
  /**
   * Send exactly this credential instead of the session's, and never recover: how login checks a
   * new credential before making it the session.
   */
  as?: { mode: AuthMode; secret?: string | undefined };
  /** Extra strings to keep out of errors (the password of a login). */
  secrets?: string[];
}

export interface Exchange {
  auth: boolean;
  as?: Request['as'];
  /**
   * What the exchange sent and received, kept for scrubbing errors: secrets, `Cookie` headers, and
   * the answers (their `Set-Cookie`). Only read when an error is thrown.
   */
  sent: (string | Received)[];
  ctx: ErrorContext;
  call: CallOptions;
  limit: number;
}

const SETUP = 'configure';
/** The values of a `Cookie` header (`a=1; b=2` → `1`, `2`). */
const cookieValues = (header = '') => header.split(/;\s*/).map((pair) => pair.slice(pair.indexOf('=') + 1));
const lowerCase = (headers: Record<string, string>) =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));

/**
 * The machinery shared by every platform client: options, the authenticated request pipeline
 * (credential, expiry, cookie jar, one re-login and replay per rejected credential, CSRF priming),
 * typed errors, session bookkeeping, and `api`, the openapi-fetch client routed through it.
 */
export function createEngine<U, Login, Paths extends {}>(init: EngineInit<U, Login>) {
  const { spec, options, getCredentials } = init;
  const { platform } = spec;
  const now = options.now ?? Date.now;
  const setupError = (message: string) => new ConfigurationError(message, { platform, operation: SETUP });

  let base: URL;
  try {
    base = new URL(options.baseUrl.replace(/\/+$/, ''), (globalThis as { location?: { href: string } }).location?.href);
  } catch {
    throw setupError('`baseUrl` must be an absolute http(s) URL.');
  }
  if (!/^https?:$/.test(base.protocol)) throw setupError('`baseUrl` must be an http(s) URL.');
  if (isInsecure(base) && !options.allowInsecureHttp)
    throw setupError('Credentials over plain http to a non-loopback host need https or `allowInsecureHttp`.');
  const baseUrl = base.href.replace(/\/$/, '');
  const clientHeaders = lowerCase(options.headers ?? {});

  const jar = typeof options.cookies === 'object' ? options.cookies : undefined;
  const cookieCredentials = typeof options.cookies === 'string' ? options.cookies : 'include';
  const handlers: Record<AuthMode, ModeHandler> = {
    cookie: cookieMode(jar, cookieCredentials),
    bearer: bearerMode,
    apiKey: apiKeyMode(spec.apiKey),
  };
  const report = (error: unknown) => options.logger?.warn?.(`authwire ${platform} listener failed: ${String(error)}`);
  const emitter = createEmitter<SessionInfo<U>>(report);

  const info = (state: SessionState<U> | undefined): SessionInfo<U> => ({
    platform,
    mode: state?.mode ?? init.mode,
    signedIn: !!state,
    ...(state?.expiresAt && { expiresAt: new Date(state.expiresAt) }),
    ...(state?.user && { user: state.user }),
  });

  const session = createSession<U>({
    store: options.store ?? memoryStore(),
    key: options.storageKey ?? `authwire:${platform}:${baseUrl}`,
    now,
    emit: (event, state) => emitter.emit(event, info(state)),
    relogin: getCredentials && (() => freshJar(async () => void (await init.login(await getCredentials(), undefined, 'refreshed')))),
    initial: init.initial && { ...init.initial, id: newSessionId() },
    async restore(state) {
      if (jar) await jar.load(baseUrl, state.cookies ?? []);
    },
    forget: async () => jar?.clear(),
  });

  /**
   * Runs a cookie-mode login with an empty jar and restores the previous cookies if it fails, so a
   * failed login neither leaves half a new session behind nor passes for the old one.
   */
  async function freshJar<T>(login: () => Promise<T>): Promise<T> {
    if (!jar || init.mode !== 'cookie') return login();
    const before = await jar.export();
    await jar.clear();
    try {
      return await login();
    } catch (error) {
      await jar.load(baseUrl, before);
      throw error;
    }
  }

  /**
   * Everything that must not appear in an error: the session's credential, the jar's cookies, and
   * what the call sent or was given (cookies a server just issued are credentials too).
   */
  const secretsOf = async (sent: (string | Received)[]) => {
    const state = await session.get().catch(() => undefined);
    const lines = [...(jar ? await jar.export() : []), ...sent.flatMap((s) => (typeof s === 'string' ? [] : s.res.headers.getSetCookie()))];
    return [
      state?.secret,
      ...lines.map((line) => cookieValues(line.split(';')[0])[0]),
      ...sent.flatMap((s) => (typeof s === 'string' ? [s, ...cookieValues(s)] : [])),
    ];
  };

  const reloginFailed = (ctx: ErrorContext, cause: unknown) =>
    new NotAuthenticatedError('Session expired; signing in again failed.', {
      ...ctx,
      reason: 'relogin-failed',
      cause,
    });

  async function recover(id: string | undefined, ctx: ErrorContext) {
    try {
      return await session.recover(id);
    } catch (error) {
      throw reloginFailed(ctx, error);
    }
  }

  /** Sends `req`, adding the session's credential when it goes to the client's own origin. */
  async function exchange(req: Outgoing, how: Exchange): Promise<Received> {
    const { ctx, call } = how;
    // Request URLs and `base.origin` are both normalised, so a prefix test is an origin test.
    const own = req.url.startsWith(`${base.origin}/`);
    const authed = how.auth && own;
    let state: SessionState<U> | undefined;
    try {
      state = authed ? await session.current() : await session.get();
    } catch (error) {
      throw reloginFailed(ctx, error);
    }
    for (let replayed = false; ; replayed = true) {
      const out: Outgoing = { ...req, headers: { ...req.headers } };
      // Anonymous calls (login) still take cookies in cookie mode, so the browser or jar keeps the new session.
      const mode = how.as?.mode ?? (authed ? state?.mode ?? init.mode : init.mode);
      if (own && mode === 'cookie' && !jar && !hasBrowserCookies())
        throw new ConfigurationError(
          'Cookie sessions outside browsers need a cookie jar (the Node entry adds one).',
          ctx,
        );
      if (authed) {
        const secret = how.as ? how.as.secret : state?.secret;
        await handlers[mode].attach(out, secret);
        how.sent.push(secret ?? '', out.headers.cookie ?? '');
      } else if (own && mode === 'cookie') out.credentials = cookieCredentials;
      const r: Received = await send(
        out,
        {
          fetch: options.fetch,
          timeout: call.timeout ?? options.timeout ?? 30_000,
          maxRetries: call.maxRetries ?? options.maxRetries,
          retrySafe: call.retrySafe,
          signal: call.signal,
          logger: options.logger,
          now,
          limit: how.limit,
        },
        ctx,
      );
      how.sent.push(r);
      if (own && mode === 'cookie' && (await handlers.cookie.received?.(out.url, r.res)) && authed && state) {
        state = { ...state, cookies: await jar!.export() };
        await session.set(state);
      }
      if (!authed || replayed) return r;
      if (!how.as && (state || getCredentials) && spec.rejected(r, bodyOf(r), out)) {
        const again = await recover(state?.id, ctx);
        if (!again || !isReplayable(req.body)) return r;
        state = await session.get();
        continue;
      }
      // Safe methods never need the CSRF cookie, so the priming GET cannot loop.
      if (mode === 'cookie' && req.method !== 'GET' && spec.csrf?.refused(r, bodyOf(r))) {
        await exchange(
          { method: 'GET', url: baseUrl + spec.csrf.prime, headers: {} },
          { ...how, as: { mode }, ctx: { platform, operation: 'csrf' }, limit: MAX_BODY_BYTES },
        );
        if (isReplayable(req.body)) continue;
      }
      return r;
    }
  }

  const requestIdOf = (r: Received) => r.res.headers.get('x-request-id') ?? undefined;

  /**
   * A high-level call: JSON in, typed data out, or a typed error. `parse` checks the body's shape.
   */
  async function call<T>(
    operation: string,
    method: string,
    path: string,
    request: Request,
    callOptions: CallOptions | undefined,
    parse: (body: unknown, ctx: ErrorContext, r: Received) => T | Promise<T>,
  ): Promise<T> {
    const ctx: ErrorContext = { platform, operation };
    const headers = { ...clientHeaders, ...(callOptions?.headers && lowerCase(callOptions.headers)) };
    headers.accept = 'application/json';
    if (request.json !== undefined) headers['content-type'] = 'application/json';
    const query = Object.entries(request.query ?? {}).filter((e): e is [string, string] => e[1] !== undefined);
    const url = baseUrl + path + (query.length ? `?${new URLSearchParams(query)}` : '');
    const sent: (string | Received)[] = [...(request.secrets ?? [])];
    try {
      const r = await exchange(
        { method, url, headers, body: request.json === undefined ? undefined : JSON.stringify(request.json) },
        { auth: request.auth ?? true, as: request.as, sent, ctx, call: callOptions ?? {}, limit: MAX_BODY_BYTES },
      );
      const body = bodyOf(r);
      const { status } = r.res;
      const answered: ErrorContext = { ...ctx, status };
      const requestId = requestIdOf(r);
      if (requestId) answered.requestId = requestId;
      const error =
        status < 200 || (status > 299 && status < 400)
          ? new InvalidResponseError(`Unexpected HTTP ${status} (redirects are not followed).`, answered)
          : spec.toError(r, body, answered) ?? (status > 299 ? new ApiError(`HTTP ${status}`, answered) : undefined);
      if (error) throw error;
      return await parse(body, answered, r);
    } catch (error) {
      throw scrub(error, await secretsOf(sent));
    }
  }

  const api = createApi<Paths>({
    platform,
    baseUrl,
    headers: options.headers,
    exchange: (req, how) => exchange(req, { auth: true, ...how }),
    secretsOf,
  });

  /** Records the user a profile call returned; a browser cookie session found this way (after a reload) becomes the session. */
  async function remember(user: U) {
    const state = await session.get();
    // Most profile calls return the same user: no store write then (it may be a network round trip).
    if (state) {
      if (JSON.stringify(state.user) !== JSON.stringify(user)) await session.set({ ...state, user });
    } else if (init.mode === 'cookie') await session.set({ id: newSessionId(), mode: 'cookie', user }, 'signedIn');
  }

  return {
    call,
    /** Starts a new session (a new credential) and announces it. */
    async signIn(next: Omit<SessionState<U>, 'id' | 'cookies'>, event: AuthEvent) {
      const state: SessionState<U> = { ...next, id: newSessionId() };
      if (next.mode === 'cookie' && jar) state.cookies = await jar.export();
      await session.set(state, event);
      return info(state);
    },
    /** Clears local state after a server logout attempt, whatever its outcome. */
    async logout(revokes: (mode: AuthMode) => boolean, attempt: () => Promise<unknown>): Promise<LogoutResult> {
      const mode = (await session.get())?.mode ?? init.mode;
      const result: LogoutResult = { serverRevoked: false };
      try {
        await attempt();
        result.serverRevoked = revokes(mode);
      } catch (error) {
        if (!(error instanceof AuthwireError)) throw error;
        result.error = error;
      } finally {
        const had = !!(await session.get());
        await session.set(undefined, had ? 'signedOut' : undefined);
      }
      return result;
    },
    /** The members every platform client shares, given its profile reader. */
    client(readProfile: (call: CallOptions | undefined) => Promise<U>) {
      return {
        platform,
        api,
        on: emitter.on,
        session: async () => info(await session.get()),
        async credential() {
          const state = await session.get();
          return state?.secret ?? (state?.mode === 'cookie' && jar ? await jar.header(`${baseUrl}/`) : undefined);
        },
        login: (input: Login, call?: CallOptions) => freshJar(() => init.login(input, call, 'signedIn')),
        async profile(call?: CallOptions) {
          const user = await readProfile(call);
          await remember(user);
          return user;
        },
      } satisfies Omit<AuthClient<U, Login, Paths>, 'logout'>;
    },
  };
}
