// The session lifecycle under the faults a fleet meets every day (issue 10's numbered defects), each
// through the public API against the stateful mocks.
import { describe, expect, it, vi } from 'vitest';
import { createApi } from '../../src/api.js';
import { mockCoco, mockLowcoder } from '../../src/mocks/index.js';
import {
  AbortedError,
  NotAuthenticatedError,
  StoreError,
  TimeoutError,
  coco,
  lowcoder,
  memoryStore,
  type AuthEvent,
  type SessionStore,
} from '../../src/node.js';
import { recording } from '../support/fetch.js';
import { useMsw } from '../support/msw.js';

const server = useMsw();
const ADMIN = { email: 'admin@example.com', password: 's3cret-Passw0rd!' };
/** A JWT the mock never issued: refused with 401. */
const STALE = 'eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjQxMDI0NDQ4MDB9.c2lnbmF0dXJl';

function setup() {
  const mock = mockCoco();
  server.use(...mock.handlers);
  return mock;
}

const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('logout wins over recovery', () => {
  it('1: a logout during an automatic re-login leaves the client signed out and the store empty', async () => {
    const mock = setup();
    const store = memoryStore();
    const gate = deferred<typeof ADMIN>();
    const { fetch, count } = recording();
    const client = coco({ baseUrl: mock.baseUrl, token: STALE, store, fetch, getCredentials: () => gate.promise });
    const call = client.profile().catch((e: unknown) => e);
    await later(20);
    const result = await client.logout();
    gate.resolve(ADMIN);
    expect(await call).toBeInstanceOf(NotAuthenticatedError);
    await later(50);
    expect(result.serverRevoked).toBe(false);
    expect((await client.session()).signedIn).toBe(false);
    expect(await store.get(`authwire:coco:${mock.baseUrl}`)).toBeUndefined();
    expect(count('/account/login')).toBe(0);
  });

  it('2: a 401 answer to logout() never triggers a re-login', async () => {
    const mock = setup();
    const getCredentials = vi.fn(() => ADMIN);
    const { fetch, count } = recording((request) =>
      new URL(request.url).pathname === '/account/logout'
        ? Response.json({ status: 401, error: { reason: 'invalid token' } }, { status: 401 })
        : globalThis.fetch(request),
    );
    const client = coco({ baseUrl: mock.baseUrl, token: STALE, fetch, getCredentials });
    const result = await client.logout();
    expect(result.error).toBeInstanceOf(NotAuthenticatedError);
    expect(getCredentials).not.toHaveBeenCalled();
    expect(count('/account/login')).toBe(0);
    expect((await client.session()).signedIn).toBe(false);
  });

  it('4b: after logout() the client does not log in by itself until login()', async () => {
    const mock = setup();
    const getCredentials = vi.fn(() => ADMIN);
    const client = coco({ baseUrl: mock.baseUrl, getCredentials });
    await client.login(ADMIN);
    await client.logout();
    const error = await client.profile().catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'NotAuthenticatedError', reason: 'logged-out' });
    expect(getCredentials).not.toHaveBeenCalled();
    await client.login(ADMIN);
    mock.clock.advance(25 * 3600_000);
    expect((await client.profile()).email).toBe(ADMIN.email);
    expect(getCredentials).toHaveBeenCalledTimes(1);
  });
});

describe('logout wins over a login being stored or a cookie login in flight', () => {
  /** A recording fetch whose answer to the second login at `path` waits until `release()`. */
  function secondLoginHeld(path: string) {
    const gate = deferred<void>();
    const recorded = recording(async (request) => {
      if (new URL(request.url).pathname === path && recorded.count(path) > 1) await gate.promise;
      return globalThis.fetch(request);
    });
    return { ...recorded, release: () => gate.resolve() };
  }

  /** A store whose writes take 100 ms (Redis, an encrypted or remote store); `during` runs as a write starts. */
  function slowStore() {
    const inner = memoryStore();
    let during: (() => void) | undefined;
    const store: SessionStore = {
      get: (k) => inner.get(k),
      delete: (k) => inner.delete(k),
      async set(k, v) {
        const run = during;
        during = undefined;
        run?.();
        await later(100);
        await inner.set(k, v);
      },
    };
    return { store, inner, onNextWrite: (run: () => void) => (during = run) };
  }

  it('a logout() while a login’s session is being stored: the login fails, nothing is stored, the client stays signed out', async () => {
    const mock = setup();
    const { store, inner, onNextWrite } = slowStore();
    const client = coco({ baseUrl: mock.baseUrl, store });
    let out: Promise<unknown> | undefined;
    onNextWrite(() => (out = client.logout()));
    const login = await client.login(ADMIN).catch((e: unknown) => e);
    await out;
    await later(150);
    expect(login).toMatchObject({ name: 'NotAuthenticatedError', reason: 'logged-out' });
    expect((await client.session()).signedIn).toBe(false);
    expect(await inner.get(`authwire:coco:${mock.baseUrl}`)).toBeUndefined();
    expect(await client.profile().catch((e: unknown) => e)).toMatchObject({ reason: 'logged-out' });
  });

  it('a logout() while a re-login’s session is being stored: nothing is stored, the client stays signed out', async () => {
    const mock = setup();
    const { store, inner, onNextWrite } = slowStore();
    const client = coco({ baseUrl: mock.baseUrl, token: STALE, store, getCredentials: () => ADMIN });
    let out: Promise<unknown> | undefined;
    onNextWrite(() => (out = client.logout()));
    expect(await client.profile().catch((e: unknown) => e)).toBeInstanceOf(NotAuthenticatedError);
    await out;
    await later(150);
    expect((await client.session()).signedIn).toBe(false);
    expect(await inner.get(`authwire:coco:${mock.baseUrl}`)).toBeUndefined();
    expect(await client.profile().catch((e: unknown) => e)).toMatchObject({ reason: 'logged-out' });
  });

  it('a logout() during a second cookie login sends the session cookie held and ends that session; no call works afterwards', async () => {
    // Lowcoder: cookie sessions its logout revokes on the server.
    const mock = mockLowcoder();
    server.use(...mock.handlers);
    const ada = { email: 'ada@example.com', password: 's3cret-Passw0rd' };
    const { fetch, sent, release } = secondLoginHeld('/api/auth/form/login');
    const client = lowcoder({ baseUrl: mock.baseUrl, fetch });
    await client.login(ada);
    const held = (await client.credential())!;
    const second = client.login(ada).catch((e: unknown) => e);
    await later(20);
    expect(await client.logout()).toEqual({ serverRevoked: true });
    const logout = sent.find((r) => r.url.endsWith('/api/auth/logout'))!;
    expect(logout.headers.get('cookie')).toBe(held);
    release();
    expect(await second).toMatchObject({ reason: 'logged-out' });
    expect(await client.credential()).toBeUndefined();
    expect(await client.profile().catch((e: unknown) => e)).toBeInstanceOf(NotAuthenticatedError);
    expect(sent.at(-1)!.headers.get('cookie')).toBeNull();
    // The session the client held is gone on the server too.
    const raw = await globalThis.fetch(`${mock.baseUrl}/api/users/currentUser`, { headers: { cookie: held } });
    expect((await raw.json()).data?.id ?? '').toBe('');
  });

  it('a cookie login that fails leaves the session and every call made meanwhile alone', async () => {
    const mock = setup();
    const { fetch, release } = secondLoginHeld('/account/login');
    const client = coco({ baseUrl: mock.baseUrl, mode: 'cookie', fetch });
    const events: AuthEvent[] = [];
    client.on('expired', () => events.push('expired'));
    await client.login(ADMIN);
    const held = (await client.credential())!;
    const failing = client.login({ ...ADMIN, password: 'wrong-Passw0rd!' }).catch((e: unknown) => e);
    await later(20);
    const during = client.profile();
    release();
    expect((await during).email).toBe(ADMIN.email);
    expect(await failing).toMatchObject({ name: 'InvalidCredentialsError' });
    expect(await client.credential()).toBe(held);
    expect((await client.profile()).email).toBe(ADMIN.email);
    expect(events).toEqual([]);
  });
});

describe('re-login honours the caller', () => {
  it('3: a credentials callback that never settles ends with the caller’s timeout, and with its signal', async () => {
    const mock = setup();
    const hanging = () => coco({ baseUrl: mock.baseUrl, token: STALE, getCredentials: () => new Promise<typeof ADMIN>(() => undefined) });
    const timedOut = await hanging().profile({ timeout: 200 }).catch((e: unknown) => e);
    expect(timedOut).toBeInstanceOf(TimeoutError);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const aborted = await hanging().profile({ signal: controller.signal, timeout: 0 }).catch((e: unknown) => e);
    expect(aborted).toBeInstanceOf(AbortedError);
  });

  it('4: failed re-logins are not remembered: after a pause the next refused call tries again', async () => {
    const mock = setup();
    let clock = 1_000_000;
    const getCredentials = vi
      .fn<() => typeof ADMIN>()
      .mockImplementationOnce(() => {
        throw new Error('secrets manager down');
      })
      .mockImplementationOnce(() => ({ ...ADMIN, password: 'wrong' }))
      .mockImplementation(() => ADMIN);
    const client = coco({ baseUrl: mock.baseUrl, token: STALE, getCredentials, now: () => clock });
    expect(await client.profile().catch((e: unknown) => e)).toMatchObject({ reason: 'relogin-failed' });
    // Within the pause a refused call fails at once, without hammering the login route.
    expect(await client.profile().catch((e: unknown) => e)).toMatchObject({ reason: 'relogin-failed' });
    expect(getCredentials).toHaveBeenCalledTimes(1);
    clock += 1_000;
    expect(await client.profile().catch((e: unknown) => e)).toMatchObject({ reason: 'relogin-failed' });
    expect(getCredentials).toHaveBeenCalledTimes(2);
    clock += 2_000;
    expect((await client.profile()).email).toBe(ADMIN.email);
    expect(getCredentials).toHaveBeenCalledTimes(3);
  });

  it('7: refusals that arrive while a re-login runs join it: one login', async () => {
    const mock = setup();
    const gate = deferred<void>();
    const { fetch, count } = recording();
    const client = coco({
      baseUrl: mock.baseUrl,
      token: STALE,
      fetch,
      getCredentials: async () => (await gate.promise, ADMIN),
    });
    const first = client.profile();
    await later(20);
    // These start while the re-login waits for its credentials: the session is gone, they go without it.
    const late = Array.from({ length: 20 }, () => client.profile());
    await later(20);
    gate.resolve();
    const users = await Promise.all([first, ...late]);
    expect(users.every((u) => u.email === ADMIN.email)).toBe(true);
    expect(count('/account/login')).toBe(1);
  });
});

describe('the store', () => {
  function flaky(failures: { get?: number; set?: number; delete?: number }): SessionStore & { values: Map<string, string> } {
    const values = new Map<string, string>();
    const left = { get: 0, set: 0, delete: 0, ...failures };
    const maybeFail = (op: 'get' | 'set' | 'delete') => {
      if (left[op]-- > 0) throw new Error(`store ${op} failed: ECONNRESET`);
    };
    return {
      values,
      get: async (k) => (maybeFail('get'), values.get(k)),
      set: async (k, v) => void (maybeFail('set'), values.set(k, v)),
      delete: async (k) => void (maybeFail('delete'), values.delete(k)),
    };
  }

  // That a failed read is not cached is 5a.
  it('5: a failed read is a typed StoreError with the store’s error as its cause', async () => {
    const mock = setup();
    const store = flaky({});
    await coco({ baseUrl: mock.baseUrl, store }).login(ADMIN);
    const shared = coco({ baseUrl: mock.baseUrl, store: { ...store, get: flaky({ get: 1 }).get } });
    const first = await shared.profile().catch((e: unknown) => e);
    expect(first).toBeInstanceOf(StoreError);
    expect(first).toMatchObject({ reason: 'read' });
    expect(String((first as Error).cause)).toMatch(/ECONNRESET/);
  });

  it('5a: a failed read is not cached: the same client reads again and works', async () => {
    const mock = setup();
    const store = flaky({});
    await coco({ baseUrl: mock.baseUrl, store }).login(ADMIN);
    let failNext = true;
    const shared = coco({
      baseUrl: mock.baseUrl,
      store: {
        ...store,
        get: async (k) => {
          if (failNext) {
            failNext = false;
            throw new Error('ECONNREFUSED');
          }
          return store.values.get(k);
        },
      },
    });
    expect(await shared.profile().catch((e: unknown) => e)).toBeInstanceOf(StoreError);
    expect((await shared.profile()).email).toBe(ADMIN.email);
  });

  it('5b: logout() resolves when the store fails, with the StoreError in `error`, and the client is signed out', async () => {
    const mock = setup();
    const store = flaky({ delete: 5 });
    const client = coco({ baseUrl: mock.baseUrl, store });
    await client.login(ADMIN);
    const result = await client.logout();
    expect(result.error).toBeInstanceOf(StoreError);
    expect((await client.session()).signedIn).toBe(false);
  });

  it('6: a login whose session cannot be stored changes nothing: not signed in, no event, nothing stored', async () => {
    const mock = setup();
    const store = flaky({ set: 1 });
    const client = coco({ baseUrl: mock.baseUrl, store });
    const seen: AuthEvent[] = [];
    client.on('signedIn', () => seen.push('signedIn'));
    expect(await client.login(ADMIN).catch((e: unknown) => e)).toBeInstanceOf(StoreError);
    expect((await client.session()).signedIn).toBe(false);
    expect(seen).toEqual([]);
    expect(store.values.size).toBe(0);
    expect((await client.login(ADMIN)).signedIn).toBe(true);
  });

  it('6b: a user that cannot be serialised fails the login with a typed error and leaves the client signed out', async () => {
    // Parses fine, but is too deep for JSON.stringify (a RangeError).
    const profile = `{"id":"u1","email":"a@b.c","extra":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const { fetch } = recording((request) =>
      new URL(request.url).pathname === '/account/login'
        ? Response.json({ access_token: 'tok-123456', expire_in: 4102444800 })
        : new Response(profile, { headers: { 'content-type': 'application/json' } }),
    );
    const client = coco({ baseUrl: 'https://coco.test', fetch });
    const error = await client.login(ADMIN).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((await client.session()).signedIn).toBe(false);
  });

  it('6c: a profile() answer too deep to store is a typed error, never a raw RangeError', async () => {
    const deep = `{"id":"u1","email":"a@b.c","extra":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    let calls = 0;
    const { fetch } = recording((request) =>
      new URL(request.url).pathname === '/account/login'
        ? Response.json({ access_token: 'tok-123456', expire_in: 4102444800 })
        : new Response(calls++ === 0 ? '{"id":"u1","email":"a@b.c"}' : deep, { headers: { 'content-type': 'application/json' } }),
    );
    const client = coco({ baseUrl: 'https://coco.test', fetch });
    await client.login(ADMIN);
    const error = await client.profile().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((await client.session()).user).toMatchObject({ id: 'u1' });
  });

  it('8: a client adopts a session another client stored after its own first read', async () => {
    const mock = setup();
    const store = memoryStore();
    const { fetch, count } = recording();
    const reader = coco({ baseUrl: mock.baseUrl, store, fetch });
    expect(await reader.profile().catch((e: unknown) => e)).toBeInstanceOf(NotAuthenticatedError);
    await coco({ baseUrl: mock.baseUrl, store }).login(ADMIN);
    expect((await reader.profile()).email).toBe(ADMIN.email);
    expect(count('/account/login')).toBe(0);
  });
});

describe('observers cannot break calls', () => {
  it('9: a throwing logger and a throwing listener change no outcome', async () => {
    const mock = setup();
    const boom = () => {
      throw new Error('observer failed');
    };
    const client = coco({ baseUrl: mock.baseUrl, logger: { debug: boom, warn: boom } });
    client.on('signedIn', boom);
    client.on('signedOut', boom);
    expect((await client.login(ADMIN)).signedIn).toBe(true);
    expect((await client.profile()).email).toBe(ADMIN.email);
    expect((await client.logout()).serverRevoked).toBe(false);
  });
});

describe('replays', () => {
  it('10: a POST refused by Lowcoder’s ambiguous empty 200 is not sent again after re-login', async () => {
    let posts = 0;
    const { fetch } = recording((request) => {
      const path = new URL(request.url).pathname;
      if (path === '/api/auth/form/login')
        return Response.json({ code: 1, message: '', data: true, success: true }, { headers: { 'set-cookie': 'LOWCODER_CE_SELFHOST_TOKEN=s1; Path=/; Max-Age=86400' } });
      if (path === '/api/users/currentUser') return Response.json({ code: 1, message: '', data: { id: 'u1', name: 'Ada' }, success: true });
      posts++;
      return new Response(null, { status: 200 });
    });
    const client = lowcoder({
      baseUrl: 'https://lc.test',
      fetch,
      getCredentials: () => ({ email: 'ada@example.com', password: 'pw-123456' }),
    });
    await client.login({ email: 'ada@example.com', password: 'pw-123456' });
    await createApi(client).POST('/api/auth/api-key', { body: { name: 'k' } });
    expect(posts).toBe(1);
  });
});
