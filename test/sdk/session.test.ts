import { describe, expect, it, vi } from 'vitest';
import { mockCoco, mockLowcoder } from '../../src/mocks/index.js';
import {
  NotAuthenticatedError,
  InvalidCredentialsError,
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
const ADA = { email: 'ada@example.com', password: 's3cret-Passw0rd' };

function setupCoco() {
  const mock = mockCoco();
  server.use(...mock.handlers);
  return mock;
}

/** An async store, as Redis or a database would be. */
function asyncStore(): SessionStore & { values: Map<string, string> } {
  const values = new Map<string, string>();
  const tick = () => new Promise((resolve) => setTimeout(resolve, 1));
  return {
    values,
    get: async (key) => (await tick(), values.get(key)),
    set: async (key, value) => void (await tick(), values.set(key, value)),
    delete: async (key) => void (await tick(), values.delete(key)),
  };
}

function events(client: { on(event: AuthEvent, listener: () => void): () => void }) {
  const seen: AuthEvent[] = [];
  for (const event of ['signedIn', 'signedOut', 'expired', 'refreshed'] as const) client.on(event, () => seen.push(event));
  return seen;
}

describe('session storage', () => {
  it('keeps sessions in memory per client by default', async () => {
    const mock = setupCoco();
    const a = coco({ baseUrl: mock.baseUrl });
    await a.login(ADMIN);
    expect((await coco({ baseUrl: mock.baseUrl }).session()).signedIn).toBe(false);
  });

  it('shares one session through an async store, and never persists more than the session', async () => {
    const mock = setupCoco();
    const store = asyncStore();
    const first = coco({ baseUrl: mock.baseUrl, store });
    await first.login(ADMIN);
    const second = coco({ baseUrl: mock.baseUrl, store });
    expect(await second.session()).toMatchObject({ signedIn: true, mode: 'bearer', user: { email: ADMIN.email } });
    expect((await second.profile()).email).toBe(ADMIN.email);
    const [stored] = [...store.values.values()];
    expect(Object.keys(JSON.parse(stored!)).sort()).toEqual(['expiresAt', 'id', 'mode', 'secret', 'user']);
    expect(stored).not.toContain(ADMIN.password);
  });

  it('adopts a session another process stored instead of logging in again', async () => {
    const mock = setupCoco();
    const store = asyncStore();
    const { fetch, count } = recording();
    const getCredentials = vi.fn(() => ADMIN);
    const worker1 = coco({ baseUrl: mock.baseUrl, store, fetch, getCredentials });
    const worker2 = coco({ baseUrl: mock.baseUrl, store, fetch, getCredentials });
    await worker1.login(ADMIN);
    await worker2.profile();
    // The JWT both workers hold expires on the server (the clients' clocks do not know yet);
    // worker 1 logs in again and stores the new session.
    mock.clock.advance(25 * 3600_000);
    await worker1.profile();
    const logins = count('/account/login');
    await worker2.profile();
    expect(count('/account/login')).toBe(logins);
    expect(getCredentials).toHaveBeenCalledTimes(1);
  });

  it('ignores a corrupt stored session', async () => {
    const mock = setupCoco();
    const store = memoryStore();
    await store.set(`authwire:coco:${mock.baseUrl}`, '{not json');
    expect((await coco({ baseUrl: mock.baseUrl, store }).session()).signedIn).toBe(false);
  });
});

describe('expiry', () => {
  it('does not send an expired session, and tells listeners', async () => {
    const mock = setupCoco();
    const { sent, fetch } = recording();
    const client = coco({ baseUrl: mock.baseUrl, fetch, now: mock.clock.now });
    await client.login(ADMIN);
    const seen = events(client);
    mock.clock.advance(86_400_000);
    const error = await client.profile().catch((e) => e);
    expect(error).toBeInstanceOf(NotAuthenticatedError);
    expect(sent.at(-1)!.headers.get('authorization')).toBeNull();
    expect(seen).toEqual(['expired']);
  });

  it('logs in again before sending when the session expired and credentials are available', async () => {
    const mock = setupCoco();
    const { fetch, count } = recording();
    const client = coco({ baseUrl: mock.baseUrl, fetch, now: mock.clock.now, getCredentials: () => ADMIN });
    await client.login(ADMIN);
    const seen = events(client);
    mock.clock.advance(86_400_000);
    expect((await client.profile()).email).toBe(ADMIN.email);
    expect(count('/account/login')).toBe(2);
    expect(seen).toEqual(['expired', 'refreshed']);
  });

  it('takes expiresAt from the JWT exp of a token handed in', async () => {
    const exp = 1_900_000_000;
    const jwt = `e30.${btoa(JSON.stringify({ exp })).replace(/=+$/, '')}.sig`;
    expect((await coco({ baseUrl: 'https://coco.test', token: jwt }).session()).expiresAt?.getTime()).toBe(exp * 1000);
  });

  it('drops a Lowcoder cookie session at its Max-Age, jar included', async () => {
    const mock = mockLowcoder();
    server.use(...mock.handlers);
    const { sent, fetch } = recording();
    const client = lowcoder({ baseUrl: mock.baseUrl, fetch, now: mock.clock.now });
    await client.login(ADA);
    mock.clock.advance(86_400_000);
    await expect(client.profile()).rejects.toBeInstanceOf(NotAuthenticatedError);
    expect(sent.at(-1)!.headers.get('cookie')).toBeNull();
    expect(await client.credential()).toBeUndefined();
  });
});

describe('re-login on a refused credential', () => {
  it('turns 100 concurrent 401s into exactly one login and replays each request once', async () => {
    const mock = setupCoco();
    const { fetch, count } = recording();
    const getCredentials = vi.fn(async () => ADMIN);
    const client = coco({ baseUrl: mock.baseUrl, fetch, getCredentials });
    await client.login(ADMIN);
    const seen = events(client);
    mock.state.sessions.clear();
    // Rotating the signing secret is not possible here; instead the server forgets the user's JWTs by
    // moving the clock past their exp while the client's clock stays (the client does not know).
    mock.clock.advance(86_401_000);
    const results = await Promise.all(Array.from({ length: 100 }, () => client.profile()));
    expect(results.every((r) => r.email === ADMIN.email)).toBe(true);
    expect(getCredentials).toHaveBeenCalledTimes(1);
    expect(count('/account/login')).toBe(2);
    expect(count('/account/profile')).toBe(100 + 100 + 2);
    expect(seen).toEqual(['expired', 'refreshed']);
  });

  it('logs in on the first 401 when no session exists yet but credentials are configured', async () => {
    const mock = setupCoco();
    const client = coco({ baseUrl: mock.baseUrl, getCredentials: () => ADMIN });
    expect((await client.profile()).email).toBe(ADMIN.email);
    expect((await client.session()).signedIn).toBe(true);
  });

  it('reports a failed re-login once, as NotAuthenticatedError with the login error as cause', async () => {
    const mock = setupCoco();
    const getCredentials = vi.fn(() => ({ ...ADMIN, password: 'changed-meanwhile' }));
    const client = coco({ baseUrl: mock.baseUrl, getCredentials });
    await client.login(ADMIN);
    mock.clock.advance(86_401_000);
    const errors = await Promise.all(Array.from({ length: 20 }, () => client.profile().catch((e) => e)));
    for (const error of errors) {
      expect(error).toBeInstanceOf(NotAuthenticatedError);
      expect(error.reason).toBe('relogin-failed');
      expect(error.cause).toBeInstanceOf(InvalidCredentialsError);
    }
    expect(getCredentials).toHaveBeenCalledTimes(1);
    expect((await client.session()).signedIn).toBe(false);
  });

  it('replays at most once: a credential refused again after re-login is an error, not a loop', async () => {
    let logins = 0;
    let verified = false;
    const client = coco({
      baseUrl: 'https://coco.test',
      token: 'jwt',
      getCredentials: () => ADMIN,
      fetch: (async (input: RequestInfo | URL) => {
        const path = new URL(String(input)).pathname;
        if (path === '/account/login') {
          logins++;
          return Response.json({ access_token: `fresh-${logins}`, expire_in: 4102444800, status: 'ok' });
        }
        // Only the verification right after the login succeeds; the replay is refused again.
        if (logins > 0 && !verified) {
          verified = true;
          return Response.json({ id: 'u' });
        }
        return Response.json({ status: 401, error: { reason: 'invalid login' } }, { status: 401 });
      }) as typeof fetch,
    });
    const error = await client.profile().catch((e) => e);
    expect(error).toBeInstanceOf(NotAuthenticatedError);
    expect(logins).toBe(1);
  });
});

describe('events', () => {
  it('emits signedIn and signedOut, unsubscribes, and survives a throwing listener', async () => {
    const mock = setupCoco();
    const warnings: string[] = [];
    const client = coco({ baseUrl: mock.baseUrl, logger: { warn: (line) => warnings.push(line) } });
    const seen: string[] = [];
    const off = client.on('signedIn', (s) => seen.push(`in:${s.user?.email}`));
    client.on('signedIn', () => {
      throw new Error('listener bug');
    });
    client.on('signedOut', (s) => seen.push(`out:${s.signedIn}`));
    await client.login(ADMIN);
    off();
    await client.login(ADMIN);
    await client.logout();
    expect(seen).toEqual([`in:${ADMIN.email}`, 'out:false']);
    expect(warnings.filter((w) => w.includes('listener bug'))).toHaveLength(2);
  });
});
