import { describe, expect, it, vi } from 'vitest';
import { mockLowcoder } from '../../src/mocks/index.js';
import { ConfigurationError, NotAuthenticatedError, lowcoder, memoryStore, type SessionStore } from '../../src/node.js';
import { lowcoder as browserLowcoder } from '../../src/index.js';
import { offContract, useMsw } from '../support/msw.js';
import { FOREIGN_COOKIES, nodeRequest, wire } from './support.js';

const server = useMsw();
const ADA = { email: 'ada@example.com', password: 's3cret-Passw0rd' };
const NAME = 'LOWCODER_CE_SELFHOST_TOKEN';

function setup(options: Parameters<typeof mockLowcoder>[0] = {}) {
  const mock = mockLowcoder(options);
  server.use(...mock.handlers);
  return mock;
}

/** A browser's session cookie, from a real login against the mock. */
async function browserCookie(baseUrl: string, cookieName = NAME) {
  const browser = lowcoder({ baseUrl, cookieName });
  await browser.login(ADA);
  return (await browser.credential())!;
}

describe('Lowcoder forRequest: cookie sessions', () => {
  it('sends exactly the session cookie of the incoming request, none of the other cookies the browser sent', async () => {
    const mock = setup();
    const cookie = await browserCookie(mock.baseUrl);
    const { fetch, seen } = wire();
    const client = lowcoder({ baseUrl: mock.baseUrl, fetch });
    const forwarded = client.forRequest(new Headers({ cookie: `${FOREIGN_COOKIES}; ${cookie}; lang=en` }));
    expect((await forwarded.profile()).email).toBe(ADA.email);
    expect(seen()).toEqual([{ method: 'GET', path: '/api/users/currentUser', cookies: [cookie], authorization: null, apiToken: null }]);
    expect(await forwarded.session()).toMatchObject({ mode: 'cookie', signedIn: true });
  });

  it('reads the cookie from a Headers, a fetch Request, a Node request and its headers (repeated cookie lines too)', async () => {
    const mock = setup();
    const cookie = await browserCookie(mock.baseUrl);
    const client = lowcoder({ baseUrl: mock.baseUrl });
    const inputs = [
      new Headers({ cookie }),
      new Request('http://backend.test/page', { headers: { cookie: `${FOREIGN_COOKIES}; ${cookie}` } }),
      nodeRequest({ cookie, host: 'backend.test' }),
      { cookie: ['theme=dark', cookie], 'user-agent': 'x' },
    ];
    for (const input of inputs) expect((await client.forRequest(input).profile()).email).toBe(ADA.email);
  });

  it('uses the cookie name of the `cookieName` option', async () => {
    const mock = setup({ cookieName: 'LOWCODER_DEBUG_TOKEN' });
    const cookie = await browserCookie(mock.baseUrl, 'LOWCODER_DEBUG_TOKEN');
    const { fetch, seen } = wire();
    const client = lowcoder({ baseUrl: mock.baseUrl, cookieName: 'LOWCODER_DEBUG_TOKEN', fetch });
    // A cookie under the default name is someone else's here.
    const forwarded = client.forRequest({ cookie: `${NAME}=0123456789abcdef0123456789abcdef; ${cookie}` });
    expect((await forwarded.profile()).email).toBe(ADA.email);
    expect(seen()[0]!.cookies).toEqual([cookie]);
  });

  it("never reads or writes the parent's store, and never logs in by itself", async () => {
    const mock = setup();
    const cookie = await browserCookie(mock.baseUrl);
    const inner = memoryStore();
    const store: SessionStore = { get: vi.fn(inner.get), set: vi.fn(inner.set), delete: vi.fn(inner.delete) };
    const getCredentials = vi.fn(() => ADA);
    const client = lowcoder({ baseUrl: mock.baseUrl, store, getCredentials });
    const forwarded = client.forRequest({ cookie });
    await forwarded.profile();
    await forwarded.logout();
    // The session is gone on the server now: the refusal is typed, and nobody logs in for the user.
    const refused = await client.forRequest({ cookie }).profile().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(NotAuthenticatedError);
    expect(refused).toMatchObject({ reason: 'anonymous' });
    expect(getCredentials).not.toHaveBeenCalled();
    expect(store.get).not.toHaveBeenCalled();
    expect(store.set).not.toHaveBeenCalled();
    expect(store.delete).not.toHaveBeenCalled();
    expect(await client.session()).toMatchObject({ signedIn: false });
  });

  it('fails with reason `not-forwarded` and sends nothing when the request has no session cookie', async () => {
    const mock = setup();
    const { fetch, seen } = wire();
    const forwarded = lowcoder({ baseUrl: mock.baseUrl, fetch }).forRequest({ cookie: FOREIGN_COOKIES });
    const error = await forwarded.profile().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotAuthenticatedError);
    expect(error).toMatchObject({ reason: 'not-forwarded', platform: 'lowcoder', operation: 'profile' });
    await expect(forwarded.listApiKeys()).rejects.toMatchObject({ reason: 'not-forwarded' });
    expect(seen()).toEqual([]);
  });

  it("gives Lowcoder's anonymous user for an unknown cookie as a typed refusal, not a profile", async () => {
    const mock = setup();
    const forwarded = lowcoder({ baseUrl: mock.baseUrl }).forRequest({ cookie: `${NAME}=0123456789abcdef0123456789abcdef` });
    await expect(forwarded.profile()).rejects.toMatchObject({ name: 'NotAuthenticatedError', reason: 'anonymous' });
  });

  it('signs a user in for the browser: login() needs no forwarded cookie and its Set-Cookie is relayed', async () => {
    const mock = setup();
    const forwarded = lowcoder({ baseUrl: mock.baseUrl }).forRequest({ cookie: FOREIGN_COOKIES });
    expect(forwarded.setCookies()).toEqual([]);
    await forwarded.login(ADA);
    const [line, ...rest] = forwarded.setCookies();
    expect(rest).toEqual([]);
    expect(line).toMatch(new RegExp(`^${NAME}=[0-9a-f]{32}; Path=/; Max-Age=86400; .*HttpOnly`));
    // The relayed cookie is the session: a later request carrying it acts as the user.
    const next = lowcoder({ baseUrl: mock.baseUrl }).forRequest({ cookie: line!.split(';')[0]! });
    expect((await next.profile()).email).toBe(ADA.email);
  });

  it('logout ends the server session and relays a cookie that clears the browser one (Lowcoder sends none)', async () => {
    const mock = setup();
    const cookie = await browserCookie(mock.baseUrl);
    const forwarded = lowcoder({ baseUrl: mock.baseUrl }).forRequest({ cookie });
    const result = await forwarded.logout();
    expect(result).toEqual({ serverRevoked: true });
    expect(mock.state.sessions.size).toBe(0);
    expect(forwarded.setCookies()).toEqual([`${NAME}=; Path=/; Max-Age=0`]);
  });

  it('relays only Lowcoder\'s own cookie of the answers, not others a proxy or the platform set', async () => {
    const { fetch } = wire(() => {
      const headers = new Headers({ 'content-type': 'application/json' });
      headers.append('set-cookie', 'tracking=abc; Path=/');
      headers.append('set-cookie', `${NAME}=fedcba9876543210fedcba9876543210; Path=/; Max-Age=86400; HttpOnly`);
      return new Response(JSON.stringify({ code: 1, message: '', success: true, data: { id: 'u1', name: 'Ada' } }), { headers });
    });
    const forwarded = lowcoder({ baseUrl: 'https://lc.test', fetch }).forRequest({ cookie: `${NAME}=0123456789abcdef0123456789abcdef` });
    await forwarded.profile().catch(() => undefined);
    expect(forwarded.setCookies()).toEqual([`${NAME}=fedcba9876543210fedcba9876543210; Path=/; Max-Age=86400; HttpOnly`]);
  });
});

describe('Lowcoder forRequest: API keys and the one-credential rule', () => {
  it('forwards `Authorization: Bearer` as the API key, without the session cookie that would hide it', async () => {
    const mock = setup();
    const owner = lowcoder({ baseUrl: mock.baseUrl });
    await owner.login(ADA);
    const key = await owner.createApiKey({ name: 'browser' });
    const cookie = (await owner.credential())!;
    const { fetch, seen } = wire();
    const forwarded = lowcoder({ baseUrl: mock.baseUrl, fetch }).forRequest({ authorization: `Bearer ${key.token}`, cookie: `${cookie}; ${FOREIGN_COOKIES}` });
    expect((await forwarded.profile()).email).toBe(ADA.email);
    expect(seen()).toEqual([{ method: 'GET', path: '/api/users/currentUser', cookies: [], authorization: `Bearer ${key.token}`, apiToken: null }]);
    expect(await forwarded.session()).toMatchObject({ mode: 'apiKey' });
  });

  it("`accept: 'cookie'` leaves the back end's own Authorization header alone; `accept: 'header'` ignores cookies", async () => {
    const mock = setup();
    const cookie = await browserCookie(mock.baseUrl);
    const { fetch, seen } = wire();
    const client = lowcoder({ baseUrl: mock.baseUrl, fetch });
    const incoming = { authorization: 'Bearer backend-own-token-0f3c', cookie };
    expect((await client.forRequest(incoming, { accept: 'cookie' }).profile()).email).toBe(ADA.email);
    expect(seen()[0]).toMatchObject({ cookies: [cookie], authorization: null });
    await expect(client.forRequest({ cookie }, { accept: 'header' }).profile()).rejects.toMatchObject({ reason: 'not-forwarded' });
    expect(seen()).toHaveLength(1);
  });

  it('ignores Authorization schemes that are not Bearer (Basic auth of the back end) and falls back to the cookie', async () => {
    const mock = setup();
    const cookie = await browserCookie(mock.baseUrl);
    const { fetch, seen } = wire();
    const forwarded = lowcoder({ baseUrl: mock.baseUrl, fetch }).forRequest({ authorization: 'Basic dXNlcjpwYXNz', cookie });
    expect((await forwarded.profile()).email).toBe(ADA.email);
    expect(seen()[0]).toMatchObject({ cookies: [cookie], authorization: null });
  });

  it('refuses bad input before anything is sent', () => {
    const client = lowcoder({ baseUrl: 'https://lc.test' });
    expect(() => client.forRequest(undefined as never)).toThrow(ConfigurationError);
    expect(() => client.forRequest({}, { accept: 'both' as never })).toThrow(ConfigurationError);
  });

  it('is Node-only: the browser entry says so instead of sending anything', () => {
    const client = browserLowcoder({ baseUrl: 'https://lc.test' });
    expect(() => client.forRequest(new Headers())).toThrow(/Node entry/);
  });
});

describe('Lowcoder forRequest: the relay stays on the platform', () => {
  it('relays no Set-Cookie from another origin a createApi call reached', async () => {
    const mock = setup();
    const cookie = await browserCookie(mock.baseUrl);
    const { http, HttpResponse } = await import('msw');
    server.use(
      ...offContract(
        http.get('https://elsewhere.test/api/users/me', () =>
          HttpResponse.json({}, { headers: { 'set-cookie': `${NAME}=ffffffffffffffffffffffffffffffff; Path=/; HttpOnly` } }),
        ),
      ),
    );
    const { createApi } = await import('../../src/api.js');
    const forwarded = lowcoder({ baseUrl: mock.baseUrl }).forRequest({ cookie });
    const { response } = await createApi(forwarded).GET('/api/users/me', { baseUrl: 'https://elsewhere.test' });
    expect(response.status).toBe(200);
    expect(forwarded.setCookies()).toEqual([]);
  });
});
