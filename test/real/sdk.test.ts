// The built SDK (dist/) against a real ApostropheCMS 4.32.2: every mode, the CSRF cookie, the
// throttle, logout revocation, re-login and `prefix`. Every answer the site gives is validated
// against openapi.yaml (validatingFetch).
import { describe, expect, inject, it } from 'vitest';
import { ADMIN_KEY, EDITOR_KEY, LOCKOUT_MS, USER_PASSWORD } from './sites.js';
import { builtPackage, trace, validatingFetch } from './wire.js';

const { apostrophe, createApi, createCookieJar, InvalidCredentialsError, NotAuthenticatedError, RateLimitedError } = await builtPackage();
const { sites, version } = inject('apostrophe');
const wire = validatingFetch('SDK suite');
const WHOAMI = '/api/v1/@apostrophecms/login/whoami';
const client = (options: Partial<Parameters<typeof apostrophe>[0]> = {}, url = sites.plain.url) =>
  apostrophe({ baseUrl: url, fetch: wire.fetch, maxRetries: 0, ...options });
/** A raw whoami with a credential, outside the SDK: what the server thinks of it now. */
const rawWhoami = (headers: Record<string, string>, url = sites.plain.url) => wire.fetch(`${url}${WHOAMI}`, { headers });
const sdk = { username: 'sdk', password: USER_PASSWORD };

describe(`the built SDK against ApostropheCMS ${version}`, () => {
  it('logs in with a bearer token, reads the profile, and logout revokes the token', async () => {
    const apos = client();
    const session = await apos.login(sdk);
    expect(session).toMatchObject({ mode: 'bearer', signedIn: true, user: { username: 'sdk', title: 'sdk' } });
    expect(await apos.profile()).toMatchObject({ username: 'sdk', _id: expect.any(String) });
    const token = (await apos.credential())!;
    expect(token).toMatch(/^[a-z0-9]{24}$/);
    expect((await rawWhoami({ authorization: `Bearer ${token}` })).status).toBe(200);
    expect(await apos.logout()).toEqual({ serverRevoked: true });
    expect((await rawWhoami({ authorization: `Bearer ${token}` })).status).toBe(401);
    // The old token in a new client is refused as the server refuses it.
    const stale = await client({ token }).profile().catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(NotAuthenticatedError);
    expect(stale).toMatchObject({ reason: 'invalid-token', status: 401 });
  });

  it('logs in with a cookie session, sends the CSRF cookie on writes, and logout destroys the session', async () => {
    const jar = createCookieJar();
    const apos = client({ mode: 'cookie', cookies: jar });
    await apos.login(sdk);
    expect(await apos.profile()).toMatchObject({ username: 'sdk' });
    const cookie = (await apos.credential())!;
    expect(cookie).toMatch(/(^|; )apos\.sid=s%3A/);
    expect(cookie).toMatch(/(^|; )apos\.csrf=csrf/);
    // The site refuses the same write without the CSRF cookie: the SDK's cookie is what makes it pass.
    const sid = cookie.split('; ').find((c) => c.startsWith('apos.sid='))!;
    const bare = await wire.fetch(`${sites.plain.url}${WHOAMI}`, { method: 'POST', headers: { cookie: sid } });
    expect([bare.status, await bare.json()]).toEqual([403, { name: 'forbidden', message: 'CSRF exception' }]);
    const from = wire.exchanges.length;
    expect(await apos.logout()).toEqual({ serverRevoked: true });
    const logout = wire.exchanges.at(-1)!;
    expect(trace(wire.exchanges, from)).toEqual(['POST /api/v1/@apostrophecms/login/logout → 200']);
    expect(logout.request.headers.get('cookie')).toMatch(/(^|; )apos\.csrf=csrf(;|$)/);
    // The old session cookie is refused afterwards.
    expect((await rawWhoami({ cookie: sid })).status).toBe(404);
  });

  it('fetches the CSRF cookie itself before a first write that has none yet', async () => {
    const jar = createCookieJar();
    const apos = client({ mode: 'cookie', cookies: jar });
    await apos.login(sdk);
    // Keep only the session cookie: the next write goes out without a CSRF cookie.
    const lines = (await jar.export()).filter((line) => line.startsWith('apos.sid='));
    await jar.load(`${sites.plain.url}/`, lines);
    expect(await jar.header(`${sites.plain.url}/`)).not.toMatch(/apos\.csrf/);
    const from = wire.exchanges.length;
    const answer = await createApi(apos).POST('/api/v1/@apostrophecms/login/whoami');
    expect(answer.response.status).toBe(200);
    expect(answer.data).toMatchObject({ username: 'sdk' });
    expect(trace(wire.exchanges, from)).toEqual([
      'POST /api/v1/@apostrophecms/login/whoami → 403',
      'GET /api/v1/@apostrophecms/login/whoami → 200',
      'POST /api/v1/@apostrophecms/login/whoami → 200',
    ]);
    await apos.logout();
  });

  it('uses API keys in the header and in the query; logout leaves them valid', async () => {
    const header = client({ apiKey: ADMIN_KEY });
    expect(await header.profile()).toEqual({ title: 'System Task' });
    const sent = wire.exchanges.at(-1)!.request;
    expect(sent.headers.get('authorization')).toBe(`ApiKey ${ADMIN_KEY}`);
    expect(new URL(sent.url).search).toBe('');

    const query = client({ apiKey: EDITOR_KEY, apiKeyIn: 'query' });
    expect(await query.profile()).toEqual({ title: 'System Task' });
    const viaQuery = wire.exchanges.at(-1)!.request;
    expect(new URL(viaQuery.url).searchParams.get('apikey')).toBe(EDITOR_KEY);
    expect(viaQuery.headers.get('authorization')).toBeNull();

    expect(await header.logout()).toEqual({ serverRevoked: false });
    expect((await rawWhoami({ authorization: `ApiKey ${ADMIN_KEY}` })).status).toBe(200);
    const unknown = await client({ apiKey: 'not-a-key' }).profile().catch((e: unknown) => e);
    expect(unknown).toMatchObject({ reason: 'invalid-api-key', status: 403 });
  });

  it('refuses a wrong password with InvalidCredentialsError', async () => {
    const error = await client().login({ username: 'sdk', password: 'wrong-password' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidCredentialsError);
    expect(error).toMatchObject({ status: 400, code: 'invalid' });
    expect(String((error as Error).message)).not.toContain('wrong-password');
  });

  it('is throttled after three failures, refusing even the right password until the lockout ends', async () => {
    const apos = client();
    const locked = { username: 'locked', password: USER_PASSWORD };
    for (let i = 0; i < 3; i++)
      expect(await apos.login({ ...locked, password: `wrong-${i}` }).catch((e: unknown) => e)).toBeInstanceOf(InvalidCredentialsError);
    const refused = await apos.login(locked).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RateLimitedError);
    expect(refused).toMatchObject({ status: 400, code: 'invalid', reason: 'throttled' });
    await new Promise((resolve) => setTimeout(resolve, LOCKOUT_MS + 1000));
    expect(await apos.login(locked)).toMatchObject({ signedIn: true, user: { username: 'locked' } });
    await apos.logout();
  });

  it('logs in again with getCredentials when the server refuses the token', async () => {
    const refreshed: unknown[] = [];
    const apos = client({ getCredentials: () => sdk });
    apos.on('refreshed', (session) => refreshed.push(session));
    await apos.login(sdk);
    const first = (await apos.credential())!;
    // Revoke the token behind the client's back.
    const out = await wire.fetch(`${sites.plain.url}/api/v1/@apostrophecms/login/logout`, { method: 'POST', headers: { authorization: `Bearer ${first}` } });
    expect(out.status).toBe(200);
    const from = wire.exchanges.length;
    expect(await apos.profile()).toMatchObject({ username: 'sdk' });
    expect(trace(wire.exchanges, from)).toEqual([
      'GET /api/v1/@apostrophecms/login/whoami → 401',
      'POST /api/v1/@apostrophecms/login/login → 200',
      'GET /api/v1/@apostrophecms/login/whoami → 200',
      'GET /api/v1/@apostrophecms/login/whoami → 200',
    ]);
    expect(refreshed).toHaveLength(1);
    expect(await apos.credential()).not.toBe(first);
    await apos.logout();
  });

  it('works under the global prefix, in bearer and cookie mode', async () => {
    expect(new URL(sites.prefix.url).pathname).toBe('/cms');
    for (const mode of ['bearer', 'cookie'] as const) {
      const apos = client({ mode }, sites.prefix.url);
      await apos.login(sdk);
      expect(await apos.profile()).toMatchObject({ username: 'sdk' });
      expect(await apos.logout()).toEqual({ serverRevoked: true });
    }
    expect(new Set(wire.exchanges.filter((e) => e.request.url.startsWith(sites.prefix.origin)).map((e) => new URL(e.request.url).pathname.split('/')[1]))).toEqual(
      new Set(['cms']),
    );
    // Without the prefix the same routes are not Apostrophe's login API.
    expect((await fetch(`${sites.prefix.origin}${WHOAMI}`)).headers.get('content-type')).not.toMatch(/json/);
    expect(await client({ apiKey: ADMIN_KEY }, sites.prefix.url).profile()).toEqual({ title: 'System Task' });
  });

  it('validated every real answer against openapi.yaml', () => {
    expect(wire.validated).toBeGreaterThan(30);
  });
});


describe(`createApi on the site's own routes, ApostropheCMS ${version}`, () => {
  /** The caller's own paths type for two routes of the site, as a user writes it (or generates it). */
  interface SitePaths {
    '/api/v1/@apostrophecms/page': {
      get: { responses: { 200: { content: { 'application/json': { _id: string; slug: string; type: string } } } } };
    };
    '/api/v1/@apostrophecms/user': {
      get: {
        parameters: { query?: { perPage?: number } };
        responses: { 200: { content: { 'application/json': { results: { username: string }[]; pages: number } } } };
      };
    };
  }

  // Site routes are outside the contract, so these go through the plain fetch, not the validating one.
  const site = (options: { apiKey?: string } = {}) => apostrophe({ baseUrl: sites.plain.url, maxRetries: 0, ...options });

  it('reads a page route and a piece route with the client’s credential, typed by the caller’s paths', async () => {
    const api = createApi<SitePaths>(site({ apiKey: ADMIN_KEY }));
    const home = await api.GET('/api/v1/@apostrophecms/page');
    expect(home.response.status).toBe(200);
    expect(home.data).toMatchObject({ slug: '/', _id: expect.any(String) });
    const users = await api.GET('/api/v1/@apostrophecms/user', { params: { query: { perPage: 50 } } });
    expect(users.response.status).toBe(200);
    expect(users.data?.results.map((user) => user.username)).toContain('sdk');
    // Without a credential the site lists no users: the key the SDK sent is what opened the route.
    const anonymous = await createApi<SitePaths>(site()).GET('/api/v1/@apostrophecms/user');
    expect(anonymous.response.status).toBe(404);
    expect(anonymous.data?.results?.map((user) => user.username) ?? []).not.toContain('sdk');
  });
});
