import { describe, expect, it } from 'vitest';
import { mockApostrophe } from '../../src/mocks/index.js';
import { createApi } from '../../src/api.js';
import { ConfigurationError, NotAuthenticatedError, apostrophe } from '../../src/node.js';
import { useMsw } from '../support/msw.js';
import { FOREIGN_COOKIES, nodeRequest, wire } from './support.js';

const server = useMsw();
const ADMIN = { username: 'admin', password: 's3cret-Passw0rd' };
const KEY = 'forward-key-5d1e0b';
const WHOAMI = '/api/v1/@apostrophecms/login/whoami';

function setup(options: Parameters<typeof mockApostrophe>[0] = {}) {
  const mock = mockApostrophe({ apiKeys: { [KEY]: { role: 'admin' } }, ...options });
  server.use(...mock.handlers);
  return mock;
}

/** The cookies a signed-in browser holds for the site: `.sid`, `.csrf` and the `.loggedIn` hint. */
async function browserCookies(baseUrl: string, shortName = 'apos') {
  const browser = apostrophe({ baseUrl, mode: 'cookie' });
  await browser.login(ADMIN);
  await browser.profile(); // a GET: the CSRF cookie
  const header = (await browser.credential())!;
  const get = (name: string) => header.split('; ').find((pair) => pair.startsWith(`${shortName}.${name}=`))!;
  return { sid: get('sid'), csrf: get('csrf'), header: `${header}; ${shortName}.loggedIn=true` };
}

describe('Apostrophe forRequest: cookie sessions', () => {
  it('sends `<shortName>.sid` and `<shortName>.csrf` and nothing else the browser sent', async () => {
    const mock = setup();
    const { sid, csrf, header } = await browserCookies(mock.baseUrl);
    const { fetch, seen } = wire();
    const forwarded = apostrophe({ baseUrl: mock.baseUrl, shortName: 'apos', fetch }).forRequest(new Headers({ cookie: `${FOREIGN_COOKIES}; ${header}` }));
    expect((await forwarded.profile()).username).toBe('admin');
    expect(seen()).toEqual([{ method: 'GET', path: WHOAMI, cookies: [sid, csrf], authorization: null, apiToken: null }]);
  });

  it("follows the site's `shortName`", async () => {
    const mock = setup({ shortName: 'blog' });
    const { sid, csrf, header } = await browserCookies(mock.baseUrl, 'blog');
    const { fetch, seen } = wire();
    const forwarded = apostrophe({ baseUrl: mock.baseUrl, shortName: 'blog', fetch }).forRequest(nodeRequest({ cookie: `apos.sid=s%3Aother.x; ${header}` }));
    expect((await forwarded.profile()).username).toBe('admin');
    expect(seen()[0]!.cookies).toEqual([sid, csrf]);
  });

  it('writes with the CSRF cookie the browser sent; without it the CSRF cookie is fetched first and relayed', async () => {
    const mock = setup();
    const { sid, csrf } = await browserCookies(mock.baseUrl);
    const { fetch, seen } = wire();
    const client = apostrophe({ baseUrl: mock.baseUrl, shortName: 'apos', fetch });
    const withCsrf = client.forRequest({ cookie: `${sid}; ${csrf}` });
    const api = createApi(withCsrf);
    expect((await api.POST(WHOAMI)).response.status).toBe(200);
    expect(seen().map((r) => `${r.method} ${r.path}`)).toEqual([`POST ${WHOAMI}`]);

    const without = client.forRequest({ cookie: sid });
    expect((await createApi(without).POST(WHOAMI)).response.status).toBe(200);
    expect(seen().slice(1).map((r) => `${r.method} ${r.path} ${r.cookies.join('; ')}`)).toEqual([
      `POST ${WHOAMI} ${sid}`,
      `GET ${WHOAMI} ${sid}`,
      `POST ${WHOAMI} ${sid}; ${csrf}`,
    ]);
    // The new CSRF cookie (and the session the site rolls on every cookie answer) go back to the browser.
    expect(without.setCookies()).toContainEqual(expect.stringMatching(/^apos\.csrf=csrf; Max-Age=31536; Path=\/;.*HttpOnly; SameSite=Lax$/));
    expect(without.setCookies().map((line) => line.split('=')[0]).every((name) => /^apos\.(sid|csrf|loggedIn)$/.test(name!))).toBe(true);
  });

  it('logout destroys the session and relays the cleared session cookie and the loggedIn hint', async () => {
    const mock = setup();
    const { sid, csrf } = await browserCookies(mock.baseUrl);
    const forwarded = apostrophe({ baseUrl: mock.baseUrl, shortName: 'apos' }).forRequest({ cookie: `${sid}; ${csrf}` });
    expect(await forwarded.logout()).toEqual({ serverRevoked: true });
    expect(mock.state.sessions.size).toBe(0);
    expect(forwarded.setCookies()).toEqual([
      'apos.sid=deleted; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax',
      'apos.loggedIn=false; Path=/',
    ]);
    await expect(apostrophe({ baseUrl: mock.baseUrl, shortName: 'apos' }).forRequest({ cookie: sid }).profile()).rejects.toMatchObject({
      name: 'NotAuthenticatedError',
      reason: 'signed-out',
    });
  });

  it('login() signs the browser in: the new session cookie and the loggedIn hint are relayed', async () => {
    const mock = setup();
    const forwarded = apostrophe({ baseUrl: mock.baseUrl, shortName: 'apos' }).forRequest({ cookie: FOREIGN_COOKIES });
    expect(await forwarded.login(ADMIN)).toMatchObject({ mode: 'cookie', signedIn: true, user: { username: 'admin' } });
    const relayed = forwarded.setCookies();
    expect(relayed.map((line) => line.split('=')[0]).sort()).toEqual(['apos.csrf', 'apos.loggedIn', 'apos.sid']);
    const cookie = relayed.map((line) => line.split(';')[0]).join('; ');
    expect((await apostrophe({ baseUrl: mock.baseUrl, shortName: 'apos' }).forRequest({ cookie }).profile()).username).toBe('admin');
  });

  it("gives whoami's 404 for a dead session cookie as NotAuthenticatedError `signed-out`, and `not-forwarded` without one", async () => {
    const mock = setup();
    const client = apostrophe({ baseUrl: mock.baseUrl, shortName: 'apos' });
    const dead = await client.forRequest({ cookie: 'apos.sid=s%3Agone.sig' }).profile().catch((e: unknown) => e);
    expect(dead).toBeInstanceOf(NotAuthenticatedError);
    expect(dead).toMatchObject({ reason: 'signed-out', status: 404 });
    // A CSRF cookie alone is no credential.
    await expect(client.forRequest({ cookie: `apos.csrf=csrf; ${FOREIGN_COOKIES}` }).profile()).rejects.toMatchObject({ reason: 'not-forwarded' });
  });

  it('needs `shortName` to forward cookies, and refuses without it before anything is sent', () => {
    const client = apostrophe({ baseUrl: 'https://cms.test' });
    expect(() => client.forRequest({ cookie: 'apos.sid=x' })).toThrow(ConfigurationError);
    expect(() => client.forRequest({ cookie: 'apos.sid=x' }, { accept: 'header' })).not.toThrow();
  });
});

describe('Apostrophe forRequest: bearer tokens and API keys', () => {
  it('forwards `Authorization: Bearer` as the token and `ApiKey` as the key, never with the cookies', async () => {
    const mock = setup();
    const signedIn = apostrophe({ baseUrl: mock.baseUrl });
    await signedIn.login(ADMIN);
    const token = (await signedIn.credential())!;
    const { sid } = await browserCookies(mock.baseUrl);
    const { fetch, seen } = wire();
    const client = apostrophe({ baseUrl: mock.baseUrl, shortName: 'apos', fetch });
    const bearer = client.forRequest({ authorization: `Bearer ${token}`, cookie: sid });
    expect((await bearer.profile()).username).toBe('admin');
    expect(await bearer.session()).toMatchObject({ mode: 'bearer' });
    const keyed = client.forRequest(new Request('http://backend.test/', { headers: { authorization: `ApiKey ${KEY}`, cookie: sid } }));
    expect(await keyed.profile()).toMatchObject({ title: 'System Task' });
    expect(seen()).toEqual([
      { method: 'GET', path: WHOAMI, cookies: [], authorization: `Bearer ${token}`, apiToken: null },
      { method: 'GET', path: WHOAMI, cookies: [], authorization: `ApiKey ${KEY}`, apiToken: null },
    ]);
  });

  it('a refused bearer token is NotAuthenticatedError `invalid-token`; its logout relays no cookie', async () => {
    const mock = setup();
    const forwarded = apostrophe({ baseUrl: mock.baseUrl }).forRequest({ authorization: 'Bearer not-a-token-3e1f' }, { accept: 'header' });
    await expect(forwarded.profile()).rejects.toMatchObject({ name: 'NotAuthenticatedError', reason: 'invalid-token' });
    await forwarded.logout();
    expect(forwarded.setCookies()).toEqual([]);
  });

  it('logs out a forwarded bearer token on the server', async () => {
    const mock = setup();
    const signedIn = apostrophe({ baseUrl: mock.baseUrl });
    await signedIn.login(ADMIN);
    const forwarded = apostrophe({ baseUrl: mock.baseUrl, shortName: 'apos' }).forRequest({ authorization: `Bearer ${(await signedIn.credential())!}` });
    expect(mock.state.tokens.size).toBe(1);
    expect(await forwarded.logout()).toEqual({ serverRevoked: true });
    expect(mock.state.tokens.size).toBe(0);
  });
});

describe('Apostrophe forRequest: a rolling session', () => {
  it('relays a session cookie the site re-sends, and uses it for the next call of the same request', async () => {
    let answers = 0;
    const { fetch, seen } = wire(() => {
      const headers = new Headers({ 'content-type': 'application/json' });
      headers.append('set-cookie', `apos.sid=s%3Arolled${++answers}.sig; Path=/; HttpOnly; SameSite=Lax`);
      headers.append('set-cookie', 'unrelated=1; Path=/');
      return new Response(JSON.stringify({ _id: 'u1', username: 'admin', title: 'Admin' }), { headers });
    });
    const forwarded = apostrophe({ baseUrl: 'https://cms.test', shortName: 'apos', fetch }).forRequest({ cookie: 'apos.sid=s%3Afirst.sig; apos.csrf=csrf' });
    await forwarded.profile();
    await forwarded.profile();
    expect(seen().map((r) => r.cookies)).toEqual([
      ['apos.sid=s%3Afirst.sig', 'apos.csrf=csrf'],
      ['apos.sid=s%3Arolled1.sig', 'apos.csrf=csrf'],
    ]);
    expect(forwarded.setCookies()).toEqual(['apos.sid=s%3Arolled2.sig; Path=/; HttpOnly; SameSite=Lax']);
  });
});
