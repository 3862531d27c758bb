import { describe, expect, it } from 'vitest';
import { mockApostrophe } from '../../src/mocks/index.js';
import {
  ApiError,
  ForbiddenError,
  InvalidCredentialsError,
  NotAuthenticatedError,
  RateLimitedError,
  apostrophe,
} from '../../src/node.js';
import { createApi } from '../../src/api.js';
import { recording } from '../support/fetch.js';
import { useMsw } from '../support/msw.js';

const server = useMsw();
const ADMIN = { username: 'admin', password: 's3cret-Passw0rd' };
const KEY = 'k-4f1c2a9e7b3d';

function setup(options: Parameters<typeof mockApostrophe>[0] = {}) {
  const mock = mockApostrophe({ apiKeys: { [KEY]: { role: 'admin' }, 'k-odd-role': { role: 'reader' } }, ...options });
  server.use(...mock.handlers);
  return mock;
}

describe('Apostrophe bearer mode', () => {
  it('logs in for a token, sends it as Bearer, and logout deletes it on the server', async () => {
    const mock = setup();
    const { sent, fetch } = recording();
    const client = apostrophe({ baseUrl: mock.baseUrl, fetch, now: mock.clock.now });
    const session = await client.login(ADMIN);
    expect(session).toMatchObject({ mode: 'bearer', signedIn: true, user: { username: 'admin', title: 'Admin' } });
    expect(session.expiresAt?.getTime()).toBe(mock.clock.now() + 14 * 86_400_000);
    const token = (await client.credential())!;
    expect(mock.state.tokens.has(token)).toBe(true);
    expect(await sent[0]!.json()).toEqual({ ...ADMIN, session: false, requirements: {} });
    expect(sent[0]!.headers.get('authorization')).toBeNull();
    await client.profile();
    expect(sent.at(-1)!.headers.get('authorization')).toBe(`Bearer ${token}`);
    expect(await client.logout()).toEqual({ serverRevoked: true });
    expect(mock.state.tokens.has(token)).toBe(false);
  });

  it('uses the configured bearer lifetime for expiresAt', async () => {
    const mock = setup();
    const client = apostrophe({ baseUrl: mock.baseUrl, bearerLifetime: 3600, now: mock.clock.now });
    expect((await client.login(ADMIN)).expiresAt?.getTime()).toBe(mock.clock.now() + 3_600_000);
  });

  it('maps bad credentials (400 invalid) to InvalidCredentialsError', async () => {
    const mock = setup();
    const error = await apostrophe({ baseUrl: mock.baseUrl }).login({ ...ADMIN, password: 'wrong-one' }).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidCredentialsError);
    expect(error).toMatchObject({ status: 400, code: 'invalid' });
  });

  it('tells the throttled login (also a 400 invalid) apart by its message', async () => {
    const mock = setup();
    const client = apostrophe({ baseUrl: mock.baseUrl });
    for (let i = 0; i < 3; i++) await expect(client.login({ ...ADMIN, password: 'wrong-one' })).rejects.toBeInstanceOf(InvalidCredentialsError);
    const error = await client.login(ADMIN).catch((e) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({ status: 400, reason: 'throttled', retryAfter: 60 });
    mock.clock.advance(61_000);
    expect((await client.login(ADMIN)).signedIn).toBe(true);
  });

  it('maps a refused bearer (401) to NotAuthenticatedError and clears the session', async () => {
    const mock = setup();
    const client = apostrophe({ baseUrl: mock.baseUrl });
    await client.login(ADMIN);
    mock.state.tokens.clear();
    const expired: string[] = [];
    client.on('expired', () => expired.push('expired'));
    const error = await client.profile().catch((e) => e);
    expect(error).toBeInstanceOf(NotAuthenticatedError);
    expect(expired).toEqual(['expired']);
    expect((await client.session()).signedIn).toBe(false);
  });

  it('maps whoami 404 (signed out) to NotAuthenticatedError', async () => {
    const mock = setup();
    const error = await apostrophe({ baseUrl: mock.baseUrl }).profile().catch((e) => e);
    expect(error).toBeInstanceOf(NotAuthenticatedError);
    expect(error).toMatchObject({ status: 404, reason: 'signed-out' });
  });

  it('never sends a stale bearer with the login call', async () => {
    const mock = setup();
    const { sent, fetch } = recording();
    const client = apostrophe({ baseUrl: mock.baseUrl, token: 'stale-token', fetch });
    await client.login(ADMIN);
    expect(sent[0]!.headers.get('authorization')).toBeNull();
  });
});

describe('Apostrophe cookie mode and CSRF', () => {
  it('logs in with session: true, primes the CSRF cookie, and logs out with it', async () => {
    const mock = setup();
    const { sent, fetch } = recording();
    const client = apostrophe({ baseUrl: mock.baseUrl, mode: 'cookie', fetch });
    const session = await client.login(ADMIN);
    expect(session).toMatchObject({ mode: 'cookie', user: { username: 'admin' } });
    expect(await sent[0]!.json()).toMatchObject({ session: true });
    expect(await client.credential()).toMatch(/apos\.sid=.*apos\.csrf=csrf|apos\.csrf=csrf.*apos\.sid=/);
    expect(await client.logout()).toEqual({ serverRevoked: true });
    const logout = sent.find((r) => r.url.endsWith('/logout'))!;
    expect(logout.headers.get('cookie')).toContain('apos.csrf=csrf');
    expect(mock.state.sessions.size).toBe(0);
  });

  it('recovers from a CSRF refusal by fetching the cookie and replaying once', async () => {
    const mock = setup();
    const { sent, fetch } = recording();
    const client = apostrophe({ baseUrl: mock.baseUrl, mode: 'cookie', fetch });
    await client.login(ADMIN);
    // The CSRF cookie (Max-Age about 8.8 h) is gone while the session lives on.
    const sid = (await client.credential())!.split('; ').find((c) => c.startsWith('apos.sid='))!;
    const restored = apostrophe({ baseUrl: mock.baseUrl, mode: 'cookie', fetch, store: storeWith('apostrophe', mock.baseUrl, sid) });
    sent.length = 0;
    expect(await restored.logout()).toEqual({ serverRevoked: true });
    expect(sent.map((r) => `${r.method} ${new URL(r.url).pathname.split('/').pop()}`)).toEqual([
      'POST logout',
      'GET whoami',
      'POST logout',
    ]);
  });

  it('surfaces a CSRF refusal that priming cannot cure as ForbiddenError', async () => {
    const mock = setup();
    const answers = [403, 403];
    const client = apostrophe({
      baseUrl: mock.baseUrl,
      mode: 'cookie',
      fetch: (async (input: RequestInfo | URL, init?: RequestInit) =>
        new Request(input, init).method === 'POST' && answers.length
          ? (answers.shift(), Response.json({ name: 'forbidden', message: 'CSRF exception' }, { status: 403 }))
          : globalThis.fetch(input, init)) as typeof fetch,
    });
    const error = await createApi(client).POST('/api/v1/@apostrophecms/login/whoami').then((r) => r.error);
    expect(error).toEqual({ name: 'forbidden', message: 'CSRF exception' });
    const typed = await apostrophe({
      baseUrl: mock.baseUrl,
      mode: 'cookie',
      fetch: (async () => Response.json({ name: 'forbidden', message: 'CSRF exception' }, { status: 403 })) as typeof fetch,
    })
      .logout()
      .then((r) => r.error);
    expect(typed).toBeInstanceOf(ForbiddenError);
    expect(typed?.reason).toBe('csrf');
  });
});

describe('Apostrophe API keys', () => {
  it('sends the key as Authorization: ApiKey and gets the synthetic task user', async () => {
    const mock = setup();
    const { sent, fetch } = recording();
    const client = apostrophe({ baseUrl: mock.baseUrl, apiKey: KEY, fetch });
    expect(await client.profile()).toEqual({ title: 'System Task' });
    expect(sent[0]!.headers.get('authorization')).toBe(`ApiKey ${KEY}`);
    expect(new URL(sent[0]!.url).search).toBe('');
  });

  it('puts the key in the query only when asked to', async () => {
    const mock = setup();
    const { sent, fetch } = recording();
    await apostrophe({ baseUrl: mock.baseUrl, apiKey: KEY, apiKeyIn: 'query', fetch }).profile();
    expect(new URL(sent[0]!.url).searchParams.get('apikey')).toBe(KEY);
    expect(sent[0]!.headers.get('authorization')).toBeNull();
  });

  it('maps an unknown key (403 {error}) to NotAuthenticatedError', async () => {
    const mock = setup();
    const error = await apostrophe({ baseUrl: mock.baseUrl, apiKey: 'k-unknown-key' }).profile().catch((e) => e);
    expect(error).toBeInstanceOf(NotAuthenticatedError);
    expect(error).toMatchObject({ status: 403, reason: 'invalid-api-key' });
  });

  it('says the key stays valid after logout', async () => {
    const mock = setup();
    expect(await apostrophe({ baseUrl: mock.baseUrl, apiKey: KEY }).logout()).toEqual({ serverRevoked: false });
  });

  it('maps other API errors with the platform name as code', async () => {
    const client = apostrophe({
      baseUrl: 'https://apos.test',
      token: 't',
      fetch: (async () => Response.json({ name: 'conflict', data: {}, message: 'busy' }, { status: 409 })) as typeof fetch,
    });
    const error = await client.profile().catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 409, code: 'conflict', message: 'busy' });
  });
});

/** A session store already holding a cookie session with only the session cookie. */
function storeWith(platform: string, baseUrl: string, sidCookie: string) {
  const values = new Map([
    [`authwire:${platform}:${baseUrl}`, JSON.stringify({ id: 'restored', mode: 'cookie', cookies: [`${sidCookie}; Path=/`] })],
  ]);
  return { get: (k: string) => values.get(k), set: (k: string, v: string) => void values.set(k, v), delete: (k: string) => void values.delete(k) };
}

describe('Apostrophe quirks through createApi (matched to the declared operations)', () => {
  it('a whoami 404 on a dropped cookie session is a refusal: re-login, then the call replayed', async () => {
    const mock = setup();
    const { sent, fetch } = recording();
    const client = apostrophe({ baseUrl: mock.baseUrl, mode: 'cookie', fetch, getCredentials: () => ADMIN });
    await client.login(ADMIN);
    mock.state.sessions.clear();
    sent.length = 0;
    const { data, error } = await createApi(client).GET('/api/v1/@apostrophecms/login/whoami');
    expect(error).toBeUndefined();
    expect(data).toMatchObject({ username: 'admin' });
    expect(sent.map((r) => `${r.method} ${new URL(r.url).pathname.split('/').pop()}`)).toEqual([
      'GET whoami',
      'POST login',
      'GET whoami',
      'GET whoami',
    ]);
  });

  it('a logout 403 (nobody signed in) never starts a re-login: logging out sends no password', async () => {
    const mock = setup();
    const { sent, fetch } = recording();
    const client = apostrophe({ baseUrl: mock.baseUrl, mode: 'cookie', fetch, getCredentials: () => ADMIN });
    await client.login(ADMIN);
    mock.state.sessions.clear();
    sent.length = 0;
    const { error, response } = await createApi(client).POST('/api/v1/@apostrophecms/login/logout');
    expect(response.status).toBe(403);
    expect(error).toMatchObject({ name: 'forbidden' });
    expect(sent.filter((r) => r.url.endsWith('/login'))).toEqual([]);
  });
});
