// The Coco Server mock behaves as providers/coco.md describes the server. Every answer is also
// validated against openapi.yaml.
import { describe, expect, it } from 'vitest';
import { mockCoco } from '../../src/mocks/index.js';
import { cookieHeader, jsonBody, useRecorder } from '../support/contract.js';

const rec = useRecorder();

const ADMIN = { email: 'admin@example.com', password: 's3cret-Passw0rd!', name: 'admin', roles: ['admin'] };
const BOB = {
  email: 'bob@example.com',
  password: 'b0b-Passw0rd!',
  name: 'bob',
  permissions: ['coco#search/search', ...['create', 'search', 'update', 'delete'].map((a) => `generic#security:auth:api-token/${a}`)],
};
const DAY = 86400_000;
type Mock = ReturnType<typeof mockCoco>;
type Headers = Record<string, string>;

const newMock = () => mockCoco({ users: [ADMIN, BOB] });
async function login(mock: Mock, user: { email: string; password: string } = ADMIN) {
  const answer = await rec.send(mock, 'POST', '/account/login', jsonBody({ email: user.email, login: user.email, password: user.password }));
  expect(answer.status).toBe(200);
  const body = (await answer.json()) as { access_token: string; expire_in: number };
  return { ...body, bearer: { authorization: `Bearer ${body.access_token}` }, cookie: { cookie: cookieHeader(answer) } };
}
async function createToken(mock: Mock, headers: Headers, body: Record<string, unknown> = {}) {
  const answer = await rec.send(mock, 'POST', '/auth/access_token', jsonBody(body, headers));
  expect(answer.status).toBe(200);
  const created = (await answer.json()) as { _id: string; access_token: string; expire_in: number };
  return { ...created, header: { 'x-api-token': created.access_token } };
}
const profile = async (mock: Mock, headers: Headers) => {
  const answer = await rec.send(mock, 'GET', '/account/profile', { headers });
  return { status: answer.status, body: (await answer.json()) as { email?: string; permissions?: string[]; status?: number } };
};
const seconds = (mock: Mock) => Math.floor(mock.clock.now() / 1000);

describe('expiry follows the mock clock', () => {
  it('a login JWT lasts 24 h; expire_in is its absolute exp in Unix seconds', async () => {
    const mock = newMock();
    const { access_token, expire_in, bearer, cookie } = await login(mock);
    expect(expire_in).toBe(seconds(mock) + 86400);
    const claims = JSON.parse(Buffer.from(access_token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ exp: expire_in, login: ADMIN.email, roles: ['admin'], provider: 'default_native_auth_backend' });
    mock.clock.advance(DAY - 1000);
    expect((await profile(mock, bearer)).status).toBe(200);
    expect((await profile(mock, cookie)).status).toBe(200);
    mock.clock.advance(1000);
    // The cookie session holds the same JWT, so it ends with it.
    for (const headers of [bearer, cookie]) expect(await profile(mock, headers)).toEqual({ status: 401, body: { status: 401, error: { reason: 'invalid login' } } });
  });

  it('an API token lasts 365 days', async () => {
    const mock = newMock();
    const token = await createToken(mock, (await login(mock)).bearer, { name: 'year' });
    expect(token.expire_in).toBe(seconds(mock) + 365 * 86400);
    expect(token.access_token).toMatch(/^[0-9a-v]{20}[A-Za-z0-9]{64}$/);
    mock.clock.advance(365 * DAY);
    expect((await profile(mock, token.header)).status).toBe(200);
    mock.clock.advance(1000);
    expect((await profile(mock, token.header)).status).toBe(401);
  });
});

describe('credentials', () => {
  it('logout revokes nothing: a copy of the cookie, the JWT and API tokens stay valid', async () => {
    const mock = newMock();
    const { bearer, cookie } = await login(mock);
    const token = await createToken(mock, bearer);
    const out = await rec.send(mock, 'POST', '/account/logout', { headers: cookie });
    expect(out.status).toBe(200);
    // Only an expiring Set-Cookie: the cookie is the sealed JWT, with no server-side session behind it.
    expect(out.headers.getSetCookie()).toEqual([expect.stringMatching(/^INFINI-SESSION-\w+=; Path=\/; Expires=Thu, 01 Jan 1970 00:00:01 GMT; Max-Age=0; HttpOnly$/)]);
    expect((await profile(mock, cookie)).status).toBe(200);
    expect((await profile(mock, bearer)).status).toBe(200);
    expect((await profile(mock, token.header)).status).toBe(200);
    // Anonymous logout is fine too.
    expect(await (await rec.send(mock, 'GET', '/account/logout')).json()).toEqual({ status: 'ok' });
  });

  it('the cookie is checked first, then Bearer, then X-API-TOKEN; an API token is never a Bearer', async () => {
    const mock = newMock();
    const admin = await login(mock);
    const bob = await login(mock, BOB);
    const bobToken = await createToken(mock, bob.bearer);
    expect((await profile(mock, { ...admin.cookie, ...bob.bearer })).body.email).toBe(ADMIN.email);
    expect((await profile(mock, { ...bob.bearer, ...(await createToken(mock, admin.bearer)).header })).body.email).toBe(BOB.email);
    // An invalid bearer falls through to the API token.
    expect((await profile(mock, { authorization: 'Bearer nope', ...bobToken.header })).body.email).toBe(BOB.email);
    expect((await profile(mock, { authorization: `Bearer ${bobToken.access_token}` })).status).toBe(401);
  });

  it('an API token carries its permissions, intersected with its owner’s, and admin rights do not pass through it', async () => {
    const mock = newMock();
    const admin = await login(mock);
    const narrow = await createToken(mock, admin.bearer, { permissions: ['coco#search/search'] });
    expect((await profile(mock, narrow.header)).body.permissions).toEqual(['coco#search/search']);
    const denied = await rec.send(mock, 'POST', '/auth/access_token', jsonBody({}, narrow.header));
    expect(await denied.json()).toEqual({ status: 403, error: { reason: 'permission [[generic#security:auth:api-token/create]] not allowed' } });
    const full = await createToken(mock, admin.bearer);
    expect((await profile(mock, full.header)).body.permissions).toContain('generic#security:auth:api-token/create');
    // The owner losing a permission takes it from the token too.
    const bob = await login(mock, BOB);
    const bobs = await createToken(mock, bob.bearer);
    const owner = [...mock.state.users.values()].find((u) => u.email === BOB.email)!;
    owner.permissions = owner.permissions.filter((p) => p !== 'generic#security:auth:api-token/search');
    expect((await profile(mock, bobs.header)).body.permissions).toEqual(owner.permissions);
    expect((await rec.send(mock, 'GET', '/auth/access_token/_search', { headers: bobs.header })).status).toBe(403);
  });

  it('a password change needs the old password and leaves existing JWTs valid', async () => {
    const mock = newMock();
    const { bearer } = await login(mock, BOB);
    const change = await rec.send(mock, 'PUT', '/account/password', jsonBody({ old_password: BOB.password, new_password: 'n3w-Passw0rd!' }, bearer));
    expect(await change.json()).toEqual({ _id: expect.any(String), result: 'updated' });
    expect((await profile(mock, bearer)).status).toBe(200);
    const old = await rec.send(mock, 'POST', '/account/login', jsonBody({ email: BOB.email, password: BOB.password }));
    expect(old.status).toBe(403);
    await login(mock, { ...BOB, password: 'n3w-Passw0rd!' });
  });
});

describe('API tokens are scoped to their owner', () => {
  async function setUp() {
    const mock = newMock();
    const admin = await login(mock);
    const bob = await login(mock, BOB);
    const adminToken = await createToken(mock, admin.bearer, { name: 'admin-ci' });
    const bobToken = await createToken(mock, bob.bearer, { name: 'bob-ci' });
    return { mock, admin, bob, adminToken, bobToken };
  }
  const names = async (mock: Mock, headers: Headers) => {
    const answer = await rec.send(mock, 'GET', '/auth/access_token/_search', { headers });
    const body = (await answer.json()) as { hits: { hits: { _source: { name: string; access_token: string } }[] } };
    return body.hits.hits.map((h) => `${h._source.name}:${h._source.access_token}`);
  };

  it('search lists only the caller’s own tokens, masked, for admins too', async () => {
    const { mock, admin, bob } = await setUp();
    expect(await names(mock, admin.bearer)).toEqual(['admin-ci:***']);
    expect(await names(mock, bob.bearer)).toEqual(['bob-ci:***']);
  });

  it('another user’s token is 404 to a non-admin, and to an admin calling with an API token', async () => {
    const { mock, bob, adminToken, bobToken } = await setUp();
    for (const headers of [bob.bearer, bobToken.header]) {
      expect((await rec.send(mock, 'PUT', `/auth/access_token/${adminToken._id}`, jsonBody({ name: 'x' }, headers))).status).toBe(404);
      expect((await rec.send(mock, 'DELETE', `/auth/access_token/${adminToken._id}`, { headers })).status).toBe(404);
    }
    expect((await rec.send(mock, 'PUT', `/auth/access_token/${bobToken._id}`, jsonBody({ name: 'x' }, adminToken.header))).status).toBe(404);
    expect((await profile(mock, adminToken.header)).status).toBe(200);
  });

  it('an admin session may rename and delete other users’ tokens', async () => {
    const { mock, admin, bob, bobToken } = await setUp();
    expect((await rec.send(mock, 'PUT', `/auth/access_token/${bobToken._id}`, jsonBody({ name: 'renamed' }, admin.bearer))).status).toBe(200);
    expect(await names(mock, bob.bearer)).toEqual(['renamed:***']);
    expect((await rec.send(mock, 'DELETE', `/auth/access_token/${bobToken._id}`, { headers: admin.bearer })).status).toBe(200);
    expect((await profile(mock, bobToken.header)).status).toBe(401);
  });
});

describe('error shapes', () => {
  it('handlers answer {status, error: {reason}} as JSON; panics answer {error: {status, reason}} as text/plain', async () => {
    const mock = newMock();
    const handler = await rec.send(mock, 'POST', '/account/login', jsonBody({ email: ADMIN.email, password: 'nope' }));
    expect(handler.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await handler.json()).toEqual({ status: 403, error: { reason: 'failed to login' } });
    const panic = await rec.send(mock, 'POST', '/setup/_initialize', jsonBody({ email: 'x@example.com', password: 'x' }));
    expect(panic.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(JSON.parse(await panic.text())).toEqual({ error: { status: 500, reason: 'setup has already been completed' } });
  });

  it('login branches on Content-Type: none or other is 415', async () => {
    const mock = newMock();
    const none = await rec.send(mock, 'POST', '/account/login', { body: new TextEncoder().encode(JSON.stringify({ email: ADMIN.email, password: ADMIN.password })) });
    expect(await none.json()).toEqual({ status: 415, error: { reason: 'unsupported content type' } });
  });
});

describe('the cookie session is stateless', () => {
  it('the cookie carries the login JWT: it works on any instance with the same secret, and ends with the JWT’s exp', async () => {
    const mock = newMock();
    const { cookie, access_token } = await login(mock);
    // Sealed: the JWT is inside, not readable.
    expect(cookie.cookie).not.toContain(access_token.split('.')[1]);
    // A second mock of the same node (a restart): no shared session table, the cookie still works.
    const restarted = mockCoco({ users: [...mock.state.users.values()], clock: mock.clock });
    expect((await profile(restarted, cookie)).status).toBe(200);
    await rec.send(mock, 'GET', '/account/logout', { headers: cookie });
    mock.clock.advance(DAY - 1000);
    expect((await profile(mock, cookie)).status).toBe(200);
    mock.clock.advance(1000);
    expect((await profile(mock, cookie)).status).toBe(401);
  });

  it('a tampered cookie is no session', async () => {
    const mock = newMock();
    const { cookie } = await login(mock);
    const [name, value] = cookie.cookie.split('=') as [string, string];
    const flipped = `${name}=${value.slice(0, -2)}${value.endsWith('AA') ? 'BB' : 'AA'}`;
    expect((await profile(mock, { cookie: flipped })).status).toBe(401);
  });
});

// Requests no contract operation describes go straight to `handle`: the recorder would refuse them.
const raw = (mock: Mock, method: string, path: string, init: RequestInit = {}) => mock.handle(new Request(mock.baseUrl + path, { ...init, method }));

describe('router answers', () => {
  it('a wrong method on a known path is a plain-text 405 with Allow, whatever the credential', async () => {
    const mock = newMock();
    const { bearer } = await login(mock);
    for (const [method, path, allowed] of [
      ['GET', '/account/login', ['POST']],
      ['DELETE', '/account/logout', ['GET', 'POST']],
      ['POST', '/account/profile', ['GET']],
      ['GET', '/auth/access_token', ['POST']],
    ] as const) {
      for (const headers of [{}, bearer]) {
        const answer = await raw(mock, method, path, { headers });
        expect([answer.status, answer.headers.get('content-type'), answer.headers.get('x-content-type-options'), await answer.text()], `${method} ${path}`).toEqual([
          405,
          'text/plain; charset=utf-8',
          'nosniff',
          'Method Not Allowed\n',
        ]);
        const allow = answer.headers.get('allow')!.split(', ');
        expect(allow.at(-1)).toBe('OPTIONS');
        expect(allow.slice(0, -1).sort()).toEqual([...allowed].sort());
      }
    }
  });

  it('an unknown path is Go’s plain-text 404', async () => {
    const answer = await raw(newMock(), 'GET', '/account/nope');
    expect([answer.status, answer.headers.get('content-type'), answer.headers.get('x-content-type-options'), await answer.text()]).toEqual([
      404,
      'text/plain; charset=utf-8',
      'nosniff',
      '404 page not found\n',
    ]);
  });
});

describe('capabilities', () => {
  it('/setting/application tells the login methods, with no security.enabled', async () => {
    const answer = await rec.send(newMock(), 'GET', '/setting/application');
    const body = (await answer.json()) as { security: Record<string, unknown> };
    expect(body).toMatchObject({ auth_enabled: true, setup_required: false });
    expect(body.security).toEqual({
      managed: false,
      auth: { native: true, static: false, access_token: true, http_basic: false, oauth: {} },
    });
  });
});
