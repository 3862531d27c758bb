import { describe, expect, it, vi } from 'vitest';
import { mockCoco } from '../../src/mocks/index.js';
import { NotAuthenticatedError, coco } from '../../src/node.js';
import { useMsw } from '../support/msw.js';
import { FOREIGN_COOKIES, nodeRequest, wire } from './support.js';

const server = useMsw();
const ADMIN = { email: 'admin@example.com', password: 's3cret-Passw0rd!' };
const PROFILE = '/account/profile';

function setup(options: Parameters<typeof mockCoco>[0] = {}) {
  const mock = mockCoco(options);
  server.use(...mock.handlers);
  return mock;
}

/** The `INFINI-SESSION-*` cookie a signed-in browser holds. */
async function browserCookie(baseUrl: string) {
  const browser = coco({ baseUrl, mode: 'cookie' });
  await browser.login(ADMIN);
  return (await browser.credential())!;
}

describe('Coco forRequest: cookie sessions', () => {
  it('sends the INFINI-SESSION cookie and none of the other cookies the browser sent', async () => {
    const mock = setup();
    const cookie = await browserCookie(mock.baseUrl);
    expect(cookie).toMatch(/^INFINI-SESSION-\w+=/);
    const { fetch, seen } = wire();
    const forwarded = coco({ baseUrl: mock.baseUrl, fetch }).forRequest(nodeRequest({ cookie: `${FOREIGN_COOKIES}; ${cookie}` }));
    expect((await forwarded.profile()).name).toBe('admin');
    expect(seen()).toEqual([{ method: 'GET', path: PROFILE, cookies: [cookie], authorization: null, apiToken: null }]);
    expect(await forwarded.session()).toMatchObject({ mode: 'cookie', signedIn: true });
  });

  it("follows the instance's node id (any INFINI-SESSION- suffix)", async () => {
    const mock = setup({ nodeId: 'd0node42' });
    const cookie = await browserCookie(mock.baseUrl);
    expect(cookie.startsWith('INFINI-SESSION-d0node42=')).toBe(true);
    expect((await coco({ baseUrl: mock.baseUrl }).forRequest({ cookie }).profile()).name).toBe('admin');
  });

  it('a 401 for a dead cookie is a typed refusal, with no re-login through the parent', async () => {
    const mock = setup();
    const getCredentials = vi.fn(() => ADMIN);
    const client = coco({ baseUrl: mock.baseUrl, mode: 'cookie', getCredentials });
    const error = await client.forRequest({ cookie: `${mock.state.cookieName}=MTcwMDAwMDAwMHxkZWFk` }).profile().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotAuthenticatedError);
    expect(error).toMatchObject({ status: 401, platform: 'coco' });
    expect(getCredentials).not.toHaveBeenCalled();
    await expect(client.forRequest({ cookie: FOREIGN_COOKIES }).profile()).rejects.toMatchObject({ reason: 'not-forwarded' });
  });

  it('login() relays the new session cookie; logout() relays the expired one', async () => {
    const mock = setup();
    const client = coco({ baseUrl: mock.baseUrl });
    const signingIn = client.forRequest({ cookie: FOREIGN_COOKIES });
    expect(await signingIn.login(ADMIN)).toMatchObject({ mode: 'cookie', signedIn: true });
    const [line, ...rest] = signingIn.setCookies();
    expect(rest).toEqual([]);
    expect(line).toMatch(new RegExp(`^${mock.state.cookieName}=[^;]+; Path=/; HttpOnly$`));
    const signingOut = client.forRequest({ cookie: line!.split(';')[0]! });
    expect((await signingOut.profile()).name).toBe('admin');
    await signingOut.logout();
    expect(signingOut.setCookies()).toEqual([`${mock.state.cookieName}=; Path=/; Expires=Thu, 01 Jan 1970 00:00:01 GMT; Max-Age=0; HttpOnly`]);
  });
});

describe('Coco forRequest: bearer JWTs and API tokens', () => {
  it('forwards `X-API-TOKEN` (winning over Authorization) and `Authorization: Bearer`, never with cookies', async () => {
    const mock = setup();
    const owner = coco({ baseUrl: mock.baseUrl });
    await owner.login(ADMIN);
    const jwt = (await owner.credential())!;
    const { token } = await owner.createApiKey({ name: 'browser' });
    const cookie = await browserCookie(mock.baseUrl);
    const { fetch, seen } = wire();
    const client = coco({ baseUrl: mock.baseUrl, fetch });
    const keyed = client.forRequest(new Headers({ 'x-api-token': token, authorization: `Bearer ${jwt}`, cookie }));
    expect((await keyed.profile()).name).toBe('admin');
    expect(await keyed.session()).toMatchObject({ mode: 'apiKey' });
    const bearer = client.forRequest(new Headers({ authorization: `bearer ${jwt}`, cookie }));
    expect((await bearer.profile()).name).toBe('admin');
    expect(await bearer.session()).toMatchObject({ mode: 'bearer' });
    expect(seen()).toEqual([
      { method: 'GET', path: PROFILE, cookies: [], authorization: null, apiToken: token },
      { method: 'GET', path: PROFILE, cookies: [], authorization: `Bearer ${jwt}`, apiToken: null },
    ]);
  });

  it('the API-key methods act for the forwarded user', async () => {
    const mock = setup();
    const owner = coco({ baseUrl: mock.baseUrl });
    await owner.login(ADMIN);
    const forwarded = coco({ baseUrl: mock.baseUrl }).forRequest({ authorization: `Bearer ${(await owner.credential())!}` });
    const created = await forwarded.createApiKey({ name: 'made-by-backend' });
    expect((await owner.listApiKeys()).keys.map((k) => k.id)).toContain(created.id);
  });
});
