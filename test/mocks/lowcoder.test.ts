// The Lowcoder mock behaves as providers/lowcoder.md describes the server. Every answer is also
// validated against openapi.yaml.
import { describe, expect, it } from 'vitest';
import { mockLowcoder } from '../../src/mocks/index.js';
import { cookieHeader, jsonBody, useRecorder } from '../support/contract.js';

const rec = useRecorder();

const ADA = { email: 'ada@example.com', password: 's3cret-Passw0rd', name: 'Ada' };
const BOB = { email: 'bob@example.com', password: 'b0b-Passw0rd', name: 'Bob' };
type Mock = ReturnType<typeof mockLowcoder>;
type Envelope = { code: number; message: string; data?: unknown; success: boolean };

const login = (mock: Mock, user = ADA, headers: Record<string, string> = {}) =>
  rec.send(mock, 'POST', '/api/auth/form/login', jsonBody({ loginId: user.email, password: user.password, register: false, source: 'EMAIL', authId: 'EMAIL' }, headers));
const signIn = async (mock: Mock, user = ADA) => cookieHeader(await login(mock, user));
const currentUser = async (mock: Mock, headers: Record<string, string> = {}) =>
  ((await (await rec.send(mock, 'GET', '/api/users/currentUser', { headers })).json()) as Envelope).data as { id: string; email: string; name: string };
async function createKey(mock: Mock, cookie: string, name = 'ci') {
  const answer = await rec.send(mock, 'POST', '/api/auth/api-key', jsonBody({ name }, { cookie }));
  return ((await answer.json()) as { data: { id: string; token: string } }).data;
}

describe('a session cookie hides the API key', () => {
  it('the key alone authenticates', async () => {
    const mock = mockLowcoder();
    const key = await createKey(mock, await signIn(mock));
    expect((await currentUser(mock, { authorization: `Bearer ${key.token}` })).email).toBe(ADA.email);
  });

  it('any session cookie, even an unknown one, makes the server ignore the key', async () => {
    const mock = mockLowcoder();
    const key = await createKey(mock, await signIn(mock));
    const headers = { authorization: `Bearer ${key.token}`, cookie: 'LOWCODER_CE_SELFHOST_TOKEN=0123456789abcdef0123456789abcdef' };
    expect(await currentUser(mock, headers)).toMatchObject({ id: '', name: 'ANONYMOUS' });
    expect((await rec.send(mock, 'GET', '/api/auth/api-keys', { headers })).status).toBe(401);
  });

  it('another user’s valid session wins over the key', async () => {
    const mock = mockLowcoder({ users: [ADA, BOB] });
    const key = await createKey(mock, await signIn(mock, ADA));
    const bob = await signIn(mock, BOB);
    expect((await currentUser(mock, { authorization: `Bearer ${key.token}`, cookie: bob })).email).toBe(BOB.email);
  });

  it('only a cookie with the configured name hides the key', async () => {
    const mock = mockLowcoder({ cookieName: 'LOWCODER_DEBUG_TOKEN' });
    const configs = (await (await rec.send(mock, 'GET', '/api/configs')).json()) as { data: { cookieName: string } };
    expect(configs.data.cookieName).toBe('LOWCODER_DEBUG_TOKEN');
    const cookie = await signIn(mock);
    expect(cookie).toMatch(/^LOWCODER_DEBUG_TOKEN=[0-9a-f]{32}$/);
    const key = await createKey(mock, cookie);
    const other = { authorization: `Bearer ${key.token}`, cookie: 'LOWCODER_CE_SELFHOST_TOKEN=whatever' };
    expect((await currentUser(mock, other)).email).toBe(ADA.email);
  });
});

describe('anonymous callers', () => {
  const ANONYMOUS = { id: '', name: 'ANONYMOUS', avatarUrl: '', uiLanguage: 'en', email: '', ip: '', groups: [], extra: {}, userAuth: null };

  it('get the anonymous current user, for no key, a bad signature or a lower-case prefix', async () => {
    const mock = mockLowcoder();
    const key = await createKey(mock, await signIn(mock));
    const forged = `${key.token.slice(0, -4)}AAAA`;
    for (const headers of [{}, { authorization: `Bearer ${forged}` }, { authorization: `bearer ${key.token}` }]) {
      const answer = await rec.send(mock, 'GET', '/api/users/currentUser', { headers });
      expect(await answer.json()).toEqual({ code: 1, message: '', data: ANONYMOUS, success: true });
    }
  });

  it('get 401 with an empty body and no WWW-Authenticate on protected routes', async () => {
    const answer = await rec.send(mockLowcoder(), 'GET', '/api/auth/api-keys');
    expect([answer.status, await answer.text(), answer.headers.get('www-authenticate')]).toEqual([401, '', null]);
  });
});

describe('session cookie attributes', () => {
  it.each([
    ['no Referer', {}, 'HttpOnly; SameSite=Lax'],
    ['an http Referer', { referer: 'http://app.example/login' }, 'HttpOnly; SameSite=Lax'],
    ['an https Referer', { referer: 'https://app.example/login' }, 'Secure; HttpOnly; SameSite=None'],
  ])('with %s', async (_, headers, tail) => {
    const mock = mockLowcoder();
    mock.clock.set(Date.UTC(2026, 10, 23, 4, 0, 0));
    const [cookie] = (await login(mock, ADA, headers)).headers.getSetCookie();
    expect(cookie).toMatch(
      new RegExp(`^LOWCODER_CE_SELFHOST_TOKEN=[0-9a-f]{32}; Path=/; Max-Age=86400; Expires=Tue, 24 Nov 2026 04:00:00 GMT; ${tail}$`),
    );
  });

  it('follow LOWCODER_COOKIE_MAX_AGE, and the session ends with it unless used', async () => {
    const mock = mockLowcoder({ cookieMaxAge: 3600 });
    const answer = await login(mock);
    expect(answer.headers.getSetCookie()[0]).toMatch(/; Max-Age=3600; Expires=/);
    expect(await answer.json()).toEqual({ code: 1, message: '', data: true, success: true });
    const cookie = cookieHeader(answer);
    mock.clock.advance(3599_000);
    expect((await currentUser(mock, { cookie })).email).toBe(ADA.email);
    // That request refreshed the server-side TTL (UserSessionPersistenceFilter).
    mock.clock.advance(3599_000);
    expect((await currentUser(mock, { cookie })).email).toBe(ADA.email);
    mock.clock.advance(3600_000);
    expect((await currentUser(mock, { cookie })).id).toBe('');
  });
});

describe('logout and API keys', () => {
  it('logout kills the session, sends no Set-Cookie and leaves API keys working', async () => {
    const mock = mockLowcoder();
    const cookie = await signIn(mock);
    const key = await createKey(mock, cookie);
    const out = await rec.send(mock, 'POST', '/api/auth/logout', { headers: { cookie } });
    expect(out.headers.getSetCookie()).toEqual([]);
    expect((await currentUser(mock, { cookie })).id).toBe('');
    expect((await currentUser(mock, { authorization: `Bearer ${key.token}` })).email).toBe(ADA.email);
  });

  it('keys are HS256 JWTs without expiry, listed masked, revoked only by deleting them', async () => {
    const mock = mockLowcoder();
    const cookie = await signIn(mock);
    const key = await createKey(mock, cookie, 'nightly');
    const [header, payload] = key.token.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()) as Record<string, unknown>);
    expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(Object.keys(payload ?? {}).sort()).toEqual(['createdBy', 'iat', 'sub', 'userId']);
    const list = (await (await rec.send(mock, 'GET', '/api/auth/api-keys', { headers: { cookie } })).json()) as { data: { token: string }[] };
    expect(list.data[0]?.token).toBe(`${key.token.slice(0, 6)}*************${key.token.slice(-6)}`);
    mock.clock.advance(10 * 365 * 86400_000);
    const bearer = { authorization: `Bearer ${key.token}` };
    expect((await currentUser(mock, bearer)).email).toBe(ADA.email);
    // Deleting an unknown id succeeds too.
    expect((await rec.send(mock, 'DELETE', '/api/auth/api-key/unknown', { headers: bearer })).status).toBe(200);
    // The session expired long ago; the key revokes itself.
    expect((await rec.send(mock, 'DELETE', `/api/auth/api-key/${key.id}`, { headers: bearer })).status).toBe(200);
    const after = await rec.send(mock, 'GET', '/api/users/currentUser', { headers: bearer });
    expect([after.status, await after.text()]).toEqual([200, '']);
  });

  it('register creates an account that can sign in', async () => {
    const mock = mockLowcoder();
    const answer = await rec.send(mock, 'POST', '/api/auth/form/login', jsonBody({ loginId: 'new@example.com', password: 'pw', register: 'true', source: 'EMAIL' }));
    expect(answer.status).toBe(200);
    expect((await currentUser(mock, { cookie: await signIn(mock, { ...ADA, email: 'new@example.com', password: 'pw' }) })).email).toBe('new@example.com');
  });
});

// Requests no contract operation describes go straight to `handle`: the recorder would refuse them.
const raw = (mock: Mock, method: string, path: string, init: RequestInit = {}) => mock.handle(new Request(mock.baseUrl + path, { ...init, method }));

describe('paths and methods no operation describes', () => {
  it('anonymous callers get 401 with an empty body on unknown /api paths and wrong methods, before routing', async () => {
    const mock = mockLowcoder();
    for (const [method, path] of [['GET', '/api/nope'], ['POST', '/api/users/nothing-here'], ['GET', '/api/auth/form/login'], ['DELETE', '/api/configs'], ['GET', '/api/users/password']]) {
      const answer = await raw(mock, method!, path!);
      expect([answer.status, await answer.text(), answer.headers.get('content-type'), answer.headers.get('www-authenticate')], `${method} ${path}`).toEqual([401, '', null, null]);
    }
  });

  it('paths opened to anonymous callers without a controller, and a signed-in caller’s unknown path, end as 404', async () => {
    const mock = mockLowcoder();
    for (const path of ['/api/auth/ldap/login', '/api/auth/jwt/login', '/api/auth/otp/send']) {
      const answer = await raw(mock, 'POST', path);
      expect([answer.status, await answer.json()], path).toEqual([404, { code: 404, message: 'Not Found', success: false }]);
    }
    const cookie = await signIn(mock);
    const unknown = await raw(mock, 'GET', '/api/nope', { headers: { cookie } });
    expect([unknown.status, await unknown.json()]).toEqual([404, { code: 404, message: 'Not Found', success: false }]);
    const wrongMethod = await raw(mock, 'GET', '/api/auth/form/login', { headers: { cookie } });
    expect([wrongMethod.status, await wrongMethod.json()]).toEqual([405, { code: 405, message: 'Method Not Allowed', success: false }]);
  });
});

describe('request bodies', () => {
  it('a login body that is not JSON fails argument resolution: 500/5000 and no cookie', async () => {
    const mock = mockLowcoder();
    const body = JSON.stringify({ loginId: ADA.email, password: ADA.password, source: 'EMAIL' });
    for (const headers of [{ 'content-type': 'text/plain;charset=UTF-8' }, {}]) {
      const answer = await rec.send(mock, 'POST', '/api/auth/form/login', { body: new TextEncoder().encode(body), headers });
      expect(answer.status).toBe(500);
      expect(await answer.json()).toEqual({ code: 5000, message: 'Oops! Service is busy, please try again later.', success: false });
      expect(answer.headers.getSetCookie()).toEqual([]);
    }
  });
});

describe('password operations act on the caller', () => {
  const PASSWORD_EMPTY = { code: 5002, message: 'Invalid parameter: the password is empty.', success: false };
  const change = (mock: Mock, headers: Record<string, string>, body: unknown) => rec.send(mock, 'PUT', '/api/users/password', jsonBody(body, headers));
  const canSignIn = async (mock: Mock, user: typeof ADA) => (await login(mock, user)).status === 200;

  it('PUT checks the old password, and with an API key changes the key owner’s password', async () => {
    const mock = mockLowcoder({ users: [ADA, BOB] });
    const cookie = await signIn(mock);
    expect(await (await change(mock, { cookie }, { oldPassword: 'wrong', newPassword: 'x' })).json()).toEqual({ code: 5608, message: 'Sorry, passwords do not match.', success: false });
    for (const body of [{ oldPassword: ADA.password, newPassword: ' ' }, { oldPassword: '', newPassword: 'n3w' }, {}]) {
      const blank = await change(mock, { cookie }, body);
      expect([blank.status, await blank.json()]).toEqual([500, PASSWORD_EMPTY]);
    }
    expect((await change(mock, {}, { oldPassword: ADA.password, newPassword: 'n3w' })).status).toBe(401);
    const key = await createKey(mock, cookie);
    const viaKey = await change(mock, { authorization: `Bearer ${key.token}` }, { oldPassword: ADA.password, newPassword: 'n3w-Passw0rd!' });
    expect(await viaKey.json()).toEqual({ code: 1, message: '', data: true, success: true });
    expect(await canSignIn(mock, ADA)).toBe(false);
    expect(await canSignIn(mock, { ...ADA, password: 'n3w-Passw0rd!' })).toBe(true);
    expect(await canSignIn(mock, BOB)).toBe(true);
    // Sessions and keys survive the change.
    expect((await currentUser(mock, { cookie })).email).toBe(ADA.email);
    expect((await currentUser(mock, { authorization: `Bearer ${key.token}` })).email).toBe(ADA.email);
  });

  it('POST sets the password from the query string without the old one; a JSON or form body is not read', async () => {
    const mock = mockLowcoder();
    const cookie = await signIn(mock);
    const set = await rec.send(mock, 'POST', `/api/users/password?password=${encodeURIComponent('t4ken-Over!')}`, { headers: { cookie } });
    expect(await set.json()).toEqual({ code: 1, message: '', data: true, success: true });
    expect(await canSignIn(mock, { ...ADA, password: 't4ken-Over!' })).toBe(true);
    for (const init of [jsonBody({ password: 'x' }, { cookie }), { body: new URLSearchParams({ password: 'x' }), headers: { cookie } }]) {
      const ignored = await rec.send(mock, 'POST', '/api/users/password', init);
      expect(ignored.status).toBe(500);
      expect(await ignored.json()).toMatchObject({ code: 5002, success: false, message: expect.stringContaining("password'") });
    }
    const blank = await rec.send(mock, 'POST', '/api/users/password?password=%20', { headers: { cookie } });
    expect(await blank.json()).toEqual(PASSWORD_EMPTY);
    expect((await rec.send(mock, 'POST', '/api/users/password?password=x')).status).toBe(401);
  });

  it('lost-password answers an empty 200 in every case; the mailed token resets the password once, within 12 h', async () => {
    const mock = mockLowcoder();
    for (const email of [ADA.email, 'nobody@example.com', '']) {
      const answer = await rec.send(mock, 'POST', '/api/users/lost-password', jsonBody({ userEmail: email }));
      expect([answer.status, await answer.text(), answer.headers.get('content-type')], email).toEqual([200, '', null]);
    }
    const token = mock.state.mailbox.get(ADA.email)!;
    expect(token).toMatch(/^.{12}$/);
    expect([...mock.state.mailbox.keys()]).toEqual([ADA.email]);
    const reset = (body: Record<string, string>) => rec.send(mock, 'POST', '/api/users/reset-lost-password', jsonBody({ userEmail: ADA.email, token, newPassword: 'r3set-Passw0rd', ...body }));
    const refusal = async (body: Record<string, string>) => [(await reset(body).then(async (r) => [r.status, await r.json()]))].flat();
    expect(await refusal({ token: 'wrong' })).toEqual([500, { code: 5002, message: 'Invalid token received for password reset request', success: false }]);
    expect(await refusal({ newPassword: '' })).toEqual([500, { code: 5002, message: 'Invalid parameter found: {0}, please check and try again.', success: false }]);
    const unknown = await reset({ userEmail: 'nobody@example.com' });
    expect([unknown.status, await unknown.text()]).toEqual([200, '']);
    expect(await (await reset({})).json()).toEqual({ code: 1, message: '', data: true, success: true });
    expect(await canSignIn(mock, { ...ADA, password: 'r3set-Passw0rd' })).toBe(true);
    // Used once: the server clears the token and sets its expiry to now.
    expect(await refusal({})).toEqual([500, { code: 5002, message: 'Token to reset the password has expired', success: false }]);

    await rec.send(mock, 'POST', '/api/users/lost-password', jsonBody({ userEmail: ADA.email }));
    mock.clock.advance(12 * 3600_000);
    expect(await refusal({ token: mock.state.mailbox.get(ADA.email)! })).toEqual([500, { code: 5002, message: 'Token to reset the password has expired', success: false }]);
  });

  it('a reset for an account that never asked for one fails as an unexpected error', async () => {
    const mock = mockLowcoder();
    const answer = await rec.send(mock, 'POST', '/api/users/reset-lost-password', jsonBody({ userEmail: ADA.email, token: 'x', newPassword: 'y' }));
    expect([answer.status, await answer.json()]).toEqual([500, { code: 5000, message: 'Oops! Service is busy, please try again later.', success: false }]);
  });
});

describe('capabilities', () => {
  it('/api/configs names the cookie and the enabled login methods', async () => {
    const open = (await (await rec.send(mockLowcoder(), 'GET', '/api/configs')).json()) as { data: unknown };
    expect(open.data).toEqual({
      cloudHosting: false,
      authConfigs: [{ id: 'EMAIL', source: 'EMAIL', sourceName: 'EMAIL', enable: true, enableRegister: true, authType: 'FORM' }],
      workspaceMode: 'ENTERPRISE',
      selfDomain: false,
      cookieName: 'LOWCODER_CE_SELFHOST_TOKEN',
    });
    const closed = (await (await rec.send(mockLowcoder({ registration: false }), 'GET', '/api/configs')).json()) as { data: { authConfigs: { enableRegister: boolean }[] } };
    expect(closed.data.authConfigs[0]?.enableRegister).toBe(false);
  });
});
