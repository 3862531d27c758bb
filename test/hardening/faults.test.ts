// The fault table: every transport and body fault, on every platform it applies to, gives the
// documented typed error, no unhandled rejection, and a session that still makes sense afterwards.
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { HttpHandler } from 'msw';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  AbortedError,
  ApiError,
  AuthwireError,
  InvalidResponseError,
  NetworkError,
  NotAuthenticatedError,
  TimeoutError,
  apostrophe,
  coco,
  lowcoder,
  type CallOptions,
  type LogoutResult,
  type SessionInfo,
} from '../../src/node.js';
import { createApi } from '../../src/api.js';
import { serve, type Emulator } from '../../src/emulators/index.js';
import {
  DEFAULT_APOSTROPHE_USER,
  DEFAULT_COCO_USER,
  DEFAULT_LOWCODER_USER,
  mockApostrophe,
  mockCoco,
  mockLowcoder,
  type Fault,
  type PlatformMock,
} from '../../src/mocks/index.js';
import { injectFault, useMsw } from '../support/msw.js';

// Sockets go through the real fetch, captured before msw patches the global one.
const realFetch = globalThis.fetch;
const server = useMsw();

const rejections: unknown[] = [];
const onRejection = (reason: unknown) => void rejections.push(reason);
process.on('unhandledRejection', onRejection);
afterAll(() => void process.off('unhandledRejection', onRejection));

type PlatformName = 'lowcoder' | 'apostrophe' | 'coco';
type ErrorClass = new (...args: never[]) => AuthwireError;
type Op = 'profile' | 'login' | 'logout' | 'api';

/** The same few operations on each platform, typed loosely enough to drive them from one table. */
interface Harness {
  /** `first` is the seeded user; `second` another account on the same server. */
  login(who: 'first' | 'second', call?: CallOptions): Promise<SessionInfo<unknown>>;
  profile(call?: CallOptions): Promise<unknown>;
  logout(call?: CallOptions): Promise<LogoutResult>;
  session(): Promise<SessionInfo<unknown>>;
  /** `api` GET of the profile path; its data, or throws. */
  api(call?: { signal?: AbortSignal }): Promise<unknown>;
}

interface HarnessOptions {
  baseUrl: string;
  fetch?: typeof fetch;
  timeout?: number;
  mode?: 'bearer' | 'cookie';
}

interface Platform {
  mock(): PlatformMock<unknown> & { readonly handlers: HttpHandler[] };
  paths: { login: string; profile: string; logout: string };
  /** A valid profile answer, for faults that replace the body. */
  profileJson: unknown;
  client(options: HarnessOptions): Harness;
}

const second = { password: 'second-Passw0rd' };

const PLATFORMS: Record<PlatformName, Platform> = {
  lowcoder: {
    mock: () => mockLowcoder({ users: [DEFAULT_LOWCODER_USER, { email: 'bob@example.com', name: 'Bob', ...second }] }),
    paths: { login: '/api/auth/form/login', profile: '/api/users/currentUser', logout: '/api/auth/logout' },
    profileJson: { code: 1, message: '', data: { id: 'u1', name: 'Ada' }, success: true },
    client(options) {
      const c = lowcoder({ ...options, maxRetries: 0 });
      return {
        login: (who, call) =>
          c.login(who === 'first' ? { email: DEFAULT_LOWCODER_USER.email, password: DEFAULT_LOWCODER_USER.password } : { email: 'bob@example.com', ...second }, call),
        profile: (call) => c.profile(call),
        logout: (call) => c.logout(call),
        session: () => c.session(),
        api: async (call) => (await createApi(c).GET('/api/users/currentUser', call)).data,
      };
    },
  },
  apostrophe: {
    mock: () => mockApostrophe({ users: [DEFAULT_APOSTROPHE_USER, { username: 'bob', ...second }] }),
    paths: { login: '/api/v1/@apostrophecms/login/login', profile: '/api/v1/@apostrophecms/login/whoami', logout: '/api/v1/@apostrophecms/login/logout' },
    profileJson: { _id: 'u1', username: 'admin', title: 'Admin' },
    client(options) {
      const c = apostrophe({ ...options, maxRetries: 0 });
      return {
        login: (who, call) =>
          c.login(who === 'first' ? { username: DEFAULT_APOSTROPHE_USER.username, password: DEFAULT_APOSTROPHE_USER.password } : { username: 'bob', ...second }, call),
        profile: (call) => c.profile(call),
        logout: (call) => c.logout(call),
        session: () => c.session(),
        api: async (call) => (await createApi(c).GET('/api/v1/@apostrophecms/login/whoami', call)).data,
      };
    },
  },
  coco: {
    mock: () => mockCoco({ users: [DEFAULT_COCO_USER, { email: 'bob@example.com', ...second }] }),
    paths: { login: '/account/login', profile: '/account/profile', logout: '/account/logout' },
    profileJson: { id: 'u1', name: 'admin', email: 'admin@example.com' },
    client(options) {
      const c = coco({ ...options, maxRetries: 0 });
      return {
        login: (who, call) =>
          c.login(who === 'first' ? { email: DEFAULT_COCO_USER.email, password: DEFAULT_COCO_USER.password } : { email: 'bob@example.com', ...second }, call),
        profile: (call) => c.profile(call),
        logout: (call) => c.logout(call),
        session: () => c.session(),
        api: async (call) => (await createApi(c).GET('/account/profile', call)).data,
      };
    },
  },
};

const ALL: PlatformName[] = ['lowcoder', 'apostrophe', 'coco'];
const HUGE = 1.5 * 2 ** 20;

/** How the requests reach the mock. */
type Via =
  | 'msw'
  /** A real loopback socket (`serve`). */
  | 'socket'
  /** Signed in over a socket that is then closed: the port refuses connections. */
  | 'refused'
  /** A socket whose profile route sends headers and part of a body, then nothing. */
  | 'stall'
  /** A socket whose profile route sends headers and part of a body, then resets the connection. */
  | 'reset'
  /** A custom fetch that replaces `Set-Cookie` on login answers with garbage. */
  | 'bad-cookie';

interface Row {
  fault: string;
  via: Via;
  op: Op;
  /** The fault, armed on the operation's path after signing in. */
  inject?: (platform: Platform) => Fault;
  /** Login mode (Apostrophe, Coco); the default otherwise. */
  mode?: 'cookie';
  /** No session before the operation. */
  fresh?: boolean;
  clientTimeout?: number;
  call?: { timeout?: number; abortAfter?: number; preAborted?: boolean };
  /** The typed error, per platform or for all; `null` when the call succeeds. */
  error: ErrorClass | null | Partial<Record<PlatformName, ErrorClass | null>>;
  reason?: Partial<Record<PlatformName, string>>;
  status?: number;
  /** Whether the client is still signed in afterwards (as before the operation). */
  session: 'kept' | 'cleared' | Partial<Record<PlatformName, 'kept' | 'cleared'>>;
}

const ROWS: Row[] = [
  { fault: 'connection refused', via: 'refused', op: 'profile', error: NetworkError, session: 'kept' },
  { fault: 'connection refused', via: 'refused', op: 'login', error: NetworkError, session: 'kept' },
  { fault: 'connection refused', via: 'refused', op: 'logout', error: NetworkError, session: 'cleared' },
  { fault: 'reset mid-body', via: 'msw', op: 'profile', inject: (p) => ({ path: p.paths.profile, body: 'truncated' }), error: NetworkError, session: 'kept' },
  // Over a socket the mock's truncated body makes `serve` drop the connection before any byte.
  { fault: 'reset mid-body', via: 'socket', op: 'profile', inject: (p) => ({ path: p.paths.profile, body: 'truncated' }), error: NetworkError, session: 'kept' },
  { fault: 'reset mid-body', via: 'reset', op: 'profile', error: NetworkError, session: 'kept' },
  { fault: 'reset mid-body', via: 'msw', op: 'login', inject: (p) => ({ path: p.paths.login, body: 'truncated' }), error: NetworkError, session: 'kept' },
  { fault: 'reset mid-body', via: 'reset', op: 'api', error: NetworkError, session: 'kept' },
  { fault: 'dropped connection', via: 'msw', op: 'profile', inject: (p) => ({ path: p.paths.profile, networkError: true }), error: NetworkError, session: 'kept' },
  { fault: 'dropped connection', via: 'msw', op: 'logout', inject: (p) => ({ path: p.paths.logout, networkError: true }), error: NetworkError, session: 'cleared' },
  { fault: 'dropped connection', via: 'msw', op: 'api', inject: (p) => ({ path: p.paths.profile, networkError: true }), error: NetworkError, session: 'kept' },
  { fault: 'timeout (call option)', via: 'msw', op: 'profile', inject: (p) => ({ path: p.paths.profile, latency: 1000 }), call: { timeout: 50 }, error: TimeoutError, session: 'kept' },
  { fault: 'timeout (client option)', via: 'socket', op: 'profile', inject: (p) => ({ path: p.paths.profile, latency: 2000 }), clientTimeout: 500, error: TimeoutError, session: 'kept' },
  { fault: 'timeout (call option)', via: 'msw', op: 'login', inject: (p) => ({ path: p.paths.login, latency: 1000 }), call: { timeout: 50 }, error: TimeoutError, session: 'kept' },
  { fault: 'timeout mid-body', via: 'stall', op: 'profile', call: { timeout: 200 }, error: TimeoutError, session: 'kept' },
  { fault: 'abort by the caller', via: 'msw', op: 'profile', inject: (p) => ({ path: p.paths.profile, latency: 1000 }), call: { abortAfter: 30 }, error: AbortedError, session: 'kept' },
  { fault: 'abort by the caller', via: 'msw', op: 'login', inject: (p) => ({ path: p.paths.login, latency: 1000 }), call: { abortAfter: 30 }, error: AbortedError, session: 'kept' },
  { fault: 'abort by the caller mid-body', via: 'stall', op: 'profile', call: { abortAfter: 100 }, error: AbortedError, session: 'kept' },
  { fault: 'abort before sending', via: 'msw', op: 'profile', call: { preAborted: true }, error: AbortedError, session: 'kept' },
  { fault: 'abort by the caller', via: 'msw', op: 'api', inject: (p) => ({ path: p.paths.profile, latency: 1000 }), call: { abortAfter: 30 }, error: AbortedError, session: 'kept' },
  { fault: 'truncated JSON, 200', via: 'msw', op: 'profile', inject: (p) => ({ path: p.paths.profile, body: 'malformed' }), error: InvalidResponseError, session: 'kept' },
  { fault: 'truncated JSON, 200', via: 'msw', op: 'login', inject: (p) => ({ path: p.paths.login, body: 'malformed' }), error: InvalidResponseError, session: 'kept' },
  { fault: 'HTML page, 200', via: 'msw', op: 'profile', inject: (p) => ({ path: p.paths.profile, body: 'html' }), error: InvalidResponseError, session: 'kept' },
  { fault: 'HTML page, 200', via: 'msw', op: 'login', inject: (p) => ({ path: p.paths.login, body: 'html' }), error: InvalidResponseError, session: 'kept' },
  { fault: 'HTML page, 200', via: 'msw', op: 'login', mode: 'cookie', inject: (p) => ({ path: p.paths.login, body: 'html' }), error: InvalidResponseError, session: 'kept' },
  // `api` is openapi-fetch: a 2xx it cannot parse must still come out as a typed error.
  { fault: 'HTML page, 200', via: 'msw', op: 'api', inject: (p) => ({ path: p.paths.profile, body: 'html' }), error: InvalidResponseError, session: 'kept' },
  { fault: 'HTML page, 502', via: 'msw', op: 'profile', inject: (p) => ({ path: p.paths.profile, status: 502, body: 'html' }), error: ApiError, status: 502, session: 'kept' },
  { fault: 'HTML page, 502', via: 'socket', op: 'login', inject: (p) => ({ path: p.paths.login, status: 502, body: 'html' }), error: ApiError, status: 502, session: 'kept' },
  { fault: 'HTML page, 502', via: 'msw', op: 'logout', inject: (p) => ({ path: p.paths.logout, status: 502, body: 'html' }), error: ApiError, status: 502, session: 'cleared' },
  {
    fault: 'empty 200',
    via: 'msw',
    op: 'profile',
    inject: (p) => ({ path: p.paths.profile, body: 'empty' }),
    // Lowcoder answers a deleted API key with an empty 200: the credential is treated as revoked.
    error: { lowcoder: NotAuthenticatedError, apostrophe: InvalidResponseError, coco: InvalidResponseError },
    reason: { lowcoder: 'empty-response' },
    session: { lowcoder: 'cleared', apostrophe: 'kept', coco: 'kept' },
  },
  {
    fault: 'empty 200',
    via: 'msw',
    op: 'login',
    inject: (p) => ({ path: p.paths.login, body: 'empty' }),
    error: { lowcoder: NotAuthenticatedError, apostrophe: InvalidResponseError, coco: InvalidResponseError },
    session: 'kept',
  },
  { fault: 'huge body (> 1 MiB)', via: 'msw', op: 'profile', inject: (p) => ({ path: p.paths.profile, body: { text: JSON.stringify({ pad: 'x'.repeat(HUGE) }), contentType: 'application/json' } }), error: InvalidResponseError, session: 'kept' },
  { fault: 'huge body (> 1 MiB)', via: 'socket', op: 'profile', inject: (p) => ({ path: p.paths.profile, body: { text: 'x'.repeat(HUGE), contentType: 'application/json' } }), error: InvalidResponseError, session: 'kept' },
  { fault: 'huge body (> 1 MiB)', via: 'msw', op: 'login', inject: (p) => ({ path: p.paths.login, body: { text: 'x'.repeat(HUGE) } }), error: InvalidResponseError, session: 'kept' },
  // Coco sends JSON as text/plain (panic recovery), so the body decides, not the Content-Type.
  { fault: 'JSON served as text/plain', via: 'msw', op: 'profile', inject: (p) => ({ path: p.paths.profile, body: { text: JSON.stringify(p.profileJson), contentType: 'text/plain; charset=utf-8' } }), error: null, session: 'kept' },
  { fault: 'text served as application/json', via: 'msw', op: 'profile', inject: (p) => ({ path: p.paths.profile, body: { text: 'Service Unavailable', contentType: 'application/json' } }), error: InvalidResponseError, session: 'kept' },
  { fault: 'XML, 200', via: 'msw', op: 'profile', inject: (p) => ({ path: p.paths.profile, body: { text: '<?xml version="1.0"?><user id="1"/>', contentType: 'application/xml' } }), error: InvalidResponseError, session: 'kept' },
  // The new credential never arrived: the login must fail, not reuse the cookie of the session before it.
  {
    fault: 'malformed Set-Cookie',
    via: 'bad-cookie',
    op: 'login',
    mode: 'cookie',
    error: NotAuthenticatedError,
    reason: { lowcoder: 'cookie-not-stored' },
    session: 'kept',
  },
  { fault: 'malformed Set-Cookie', via: 'bad-cookie', op: 'login', mode: 'cookie', fresh: true, error: NotAuthenticatedError, reason: { lowcoder: 'cookie-not-stored' }, session: 'cleared' },
];

/** Every operation runs with a timeout; a call still pending well after it has hung. */
const TIMEOUT = 2500;
const HANG = 6000;

/** The call's outcome, or a failure naming the hang: the SDK's timeout must bound every call. */
function bounded<T>(promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`hung: no outcome ${HANG} ms into a call with a ${TIMEOUT} ms timeout`)), HANG);
  });
  return Promise.race([promise, hang]).finally(() => clearTimeout(timer));
}

const pick = <T>(value: T | Partial<Record<PlatformName, T>>, platform: PlatformName, isMap: (v: unknown) => boolean): T =>
  (isMap(value) ? (value as Partial<Record<PlatformName, T>>)[platform] : value) as T;
const isClass = (v: unknown) => typeof v === 'function' || v === null;

const GARBAGE_COOKIES = ['garbage', '=; Path=/', 'no-equals-sign; HttpOnly', '\t=\t; Max-Age=x'];

/** Starts the transport for a row; returns the client's base URL, fetch and a cleanup. */
async function transport(via: Via, mock: ReturnType<Platform['mock']>, platform: Platform) {
  const running: Emulator[] = [];
  const broken = { on: false };
  let baseUrl = mock.baseUrl;
  let fetch: typeof globalThis.fetch | undefined;
  if (via === 'msw') server.use(...mock.handlers);
  if (via === 'socket' || via === 'refused' || via === 'stall' || via === 'reset') {
    const emulator = await serve(mock, {
      extra(req, res) {
        if (!broken.on || !req.url?.endsWith(platform.paths.profile)) return false;
        res.writeHead(200, { 'content-type': 'application/json' });
        // Flushed before the reset, so the client has the headers and part of the body.
        res.write('{"code":1,"data":{"id":', () => {
          if (via === 'reset') res.socket?.destroy();
        });
        return true;
      },
    });
    running.push(emulator);
    baseUrl = emulator.url;
    fetch = realFetch;
  }
  const badCookie = { on: false };
  if (via === 'bad-cookie')
    fetch = async (input, init) => {
      const request = new Request(input, init);
      const answer = await mock.handle(request);
      if (!badCookie.on || !request.url.endsWith(platform.paths.login)) return answer;
      const headers = new Headers(answer.headers);
      headers.delete('set-cookie');
      for (const line of GARBAGE_COOKIES) headers.append('set-cookie', line);
      return new Response(await answer.arrayBuffer(), { status: answer.status, headers });
    };
  return {
    baseUrl,
    fetch,
    /** Turns on the fault that is not a mock fault (stall, garbage cookies, closed port). */
    async arm() {
      broken.on = via === 'stall' || via === 'reset';
      badCookie.on = via === 'bad-cookie';
      if (via === 'refused') await running.pop()?.close();
    },
    disarm() {
      broken.on = false;
      badCookie.on = false;
      mock.faults.clear();
    },
    close: () => Promise.all(running.map((e) => e.close())),
  };
}

async function run(op: Op, h: Harness, call: CallOptions) {
  if (op === 'login') return h.login('second', call);
  if (op === 'profile') return h.profile(call);
  if (op === 'api') return h.api(call.signal ? { signal: call.signal } : {});
  const result = await h.logout(call);
  // logout() never throws for a server or transport failure: the error is in its result.
  if (result.error) throw result.error;
  return result;
}

const cases = ROWS.flatMap((row) =>
  ALL.flatMap((platform) => {
    const error = pick<ErrorClass | null>(row.error, platform, (v) => !isClass(v));
    if (error === undefined) return [];
    const setting = `${row.mode ? ` in ${row.mode} mode` : ''}${row.fresh ? ', no session before' : ''}`;
    const name = `${platform} · ${row.fault} (${row.via}) on ${row.op}${setting} → ${error ? error.name : 'success'}`;
    return [{ row, platform, error, name }];
  }),
);

afterEach(async () => {
  // Rejections surface after the microtask queue drains; give them one macrotask to do so.
  await new Promise((resolve) => setImmediate(resolve));
  expect(rejections).toEqual([]);
});

describe('fault table', () => {
  for (const { row, platform: name, error, name: title } of cases) it(title, async () => {
    const platform = PLATFORMS[name];
    const mock = platform.mock();
    const t = await transport(row.via, mock, platform);
    try {
      const h = platform.client({
        baseUrl: t.baseUrl,
        ...(t.fetch ? { fetch: t.fetch } : {}),
        timeout: row.clientTimeout ?? TIMEOUT,
        ...(row.mode ? { mode: row.mode } : {}),
      });
      const before = row.fresh ? undefined : await h.login('first');
      expect(before?.signedIn ?? false).toBe(!row.fresh);

      await t.arm();
      if (row.inject) injectFault(mock, { ...row.inject(platform), method: row.op === 'login' || row.op === 'logout' ? 'POST' : 'GET' });
      const controller = new AbortController();
      if (row.call?.preAborted) controller.abort();
      const timer = row.call?.abortAfter ? setTimeout(() => controller.abort(), row.call.abortAfter) : undefined;
      const call: CallOptions = {
        // A row testing the client's own timeout must not have it overridden per call.
        ...(row.clientTimeout ? {} : { timeout: row.call?.timeout ?? TIMEOUT }),
        ...(row.call?.abortAfter || row.call?.preAborted ? { signal: controller.signal } : {}),
      };
      let thrown: unknown;
      try {
        await bounded(run(row.op, h, call));
      } catch (e) {
        thrown = e;
      } finally {
        clearTimeout(timer);
      }

      if (error === null) expect(thrown).toBeUndefined();
      else {
        expect(thrown).toBeInstanceOf(error);
        const typed = thrown as AuthwireError;
        expect(typed.platform).toBe(name);
        const reason = row.reason?.[name];
        if (reason) expect(typed.reason).toBe(reason);
        if (row.status) expect(typed.status).toBe(row.status);
      }

      const sessionAfter = pick<'kept' | 'cleared'>(row.session, name, (v) => typeof v === 'object');
      const info = await h.session();
      expect(info.signedIn).toBe(sessionAfter === 'kept');
      if (sessionAfter === 'kept' && before) {
        // Still the session from before the fault (a failed login did not replace it)…
        if (error !== null) expect(info.user).toEqual(before.user);
        // …and it still works once the fault is gone, where the server is still there.
        t.disarm();
        if (row.via !== 'refused') expect(await h.profile({ timeout: 10_000 })).toEqual(before.user);
      }
    } finally {
      t.disarm();
      await t.close();
    }
  });
});

describe('connection refused without any session', () => {
  it.each(ALL)('%s: login to a closed port is a NetworkError and leaves the client signed out', async (name) => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as AddressInfo;
        probe.close(() => resolve(free));
      });
    });
    const h = PLATFORMS[name].client({ baseUrl: `http://127.0.0.1:${port}`, fetch: realFetch });
    await expect(h.login('first')).rejects.toBeInstanceOf(NetworkError);
    expect((await h.session()).signedIn).toBe(false);
  });
});
