// The ApostropheCMS mock behaves as providers/apostrophe.md describes the server. Every answer is
// also validated against openapi.yaml.
import { describe, expect, it } from 'vitest';
import { mockApostrophe } from '../../src/mocks/index.js';
import { cookieHeader, jsonBody, useRecorder } from '../support/contract.js';

const rec = useRecorder();

const LOGIN = '/api/v1/@apostrophecms/login';
const ADMIN = { username: 'admin', password: 's3cret-Passw0rd' };
const CSRF_EXCEPTION = { name: 'forbidden', message: 'CSRF exception' };
type Mock = ReturnType<typeof mockApostrophe>;

const send = (mock: Mock, method: string, route: string, init?: RequestInit) => rec.send(mock, method, `${LOGIN}/${route}`, init);
const login = (mock: Mock, body: Record<string, unknown>) => send(mock, 'POST', 'login', jsonBody(body));
const bearer = async (mock: Mock) => {
  const { token } = (await (await login(mock, ADMIN)).json()) as { token: string };
  return { authorization: `Bearer ${token}` };
};
const status = async (mock: Mock, method: string, route: string, headers: Record<string, string> = {}) => (await send(mock, method, route, { headers })).status;

describe('CSRF cookie', () => {
  it('is set by safe requests: the constant value, Max-Age 31536, with the session attributes', async () => {
    const mock = mockApostrophe();
    mock.clock.set(Date.UTC(2026, 10, 23, 4, 0, 0));
    for (const route of ['whoami', 'context'])
      expect((await send(mock, 'GET', route)).headers.getSetCookie()).toEqual([
        'apos.csrf=csrf; Max-Age=31536; Path=/; Expires=Mon, 23 Nov 2026 12:45:36 GMT; HttpOnly; SameSite=Lax',
      ]);
  });

  it('is not set for bearer or API-key callers, who are exempt from the check', async () => {
    const mock = mockApostrophe({ apiKeys: { k: { role: 'admin' } } });
    for (const headers of [await bearer(mock), { authorization: 'ApiKey k' }]) {
      // No CSRF cookie; only the UI hint every signed-in answer carries (seen on 4.32.2).
      expect((await send(mock, 'GET', 'whoami', { headers })).headers.getSetCookie()).toEqual(['apos.loggedIn=true; Path=/']);
      expect(await status(mock, 'POST', 'whoami', headers)).toBe(200);
      expect(await status(mock, 'POST', 'context', headers)).toBe(200);
    }
  });

  it('is required, with exactly the value csrf, on every POST except login', async () => {
    const mock = mockApostrophe();
    for (const cookie of [undefined, 'apos.csrf=other', 'csrf=csrf']) {
      const headers: Record<string, string> = cookie ? { cookie } : {};
      for (const route of ['whoami', 'context', 'logout', 'requirement-props', 'requirement-verify'])
        expect(await (await send(mock, 'POST', route, { headers })).json(), `${route} ${cookie}`).toEqual(CSRF_EXCEPTION);
    }
    expect(await status(mock, 'POST', 'context', { cookie: 'apos.csrf=csrf' })).toBe(200);
    // Login is the one exempt route; a session login then needs the cookie for everything else.
    const session = cookieHeader(await login(mock, { ...ADMIN, session: true }));
    expect(await status(mock, 'POST', 'whoami', { cookie: session })).toBe(403);
    expect(await status(mock, 'POST', 'whoami', { cookie: `${session}; apos.csrf=csrf` })).toBe(200);
  });

  it('is named after the site’s shortName', async () => {
    const mock = mockApostrophe({ shortName: 'blog' });
    expect((await send(mock, 'GET', 'context')).headers.getSetCookie()[0]).toMatch(/^blog\.csrf=csrf; /);
    expect(await status(mock, 'POST', 'context', { cookie: 'apos.csrf=csrf' })).toBe(403);
    const session = await login(mock, { ...ADMIN, session: true });
    expect(session.headers.getSetCookie().map((c) => c.split('=')[0])).toEqual(['blog.loggedIn', 'blog.sid']);
    const me = await send(mock, 'POST', 'whoami', { headers: { cookie: `${cookieHeader(session)}; blog.csrf=csrf` } });
    expect(await me.json()).toMatchObject({ username: 'admin' });
  });
});

describe('login throttle', () => {
  const wrong = { username: 'admin', password: 'wrong' };
  const message = async (answer: Response) => ((await answer.json()) as { message: string }).message;

  it('locks a username after 3 failures a minute, refusing even the right password, until a minute passes', async () => {
    const mock = mockApostrophe({ users: [{ ...ADMIN }, { username: 'editor', password: 'ed1tor-Passw0rd' }] });
    for (let i = 0; i < 3; i++) expect(await message(await login(mock, wrong))).toMatch(/credentials are incorrect/);
    const locked = await login(mock, ADMIN);
    expect(locked.status).toBe(400);
    expect(await locked.json()).toEqual({ name: 'invalid', data: {}, message: 'Too many attempts. You may try again in a minute.' });
    expect(locked.headers.get('retry-after')).toBeNull();
    // Per username: another account is unaffected.
    expect((await login(mock, { username: 'editor', password: 'ed1tor-Passw0rd' })).status).toBe(200);
    mock.clock.advance(59_999);
    expect(await message(await login(mock, ADMIN))).toMatch(/Too many attempts/);
    mock.clock.advance(1);
    expect(await login(mock, ADMIN).then((r) => r.json())).toEqual({ token: expect.any(String) });
  });

  it('counts failures within a minute of the first, not missing fields, and a success clears them', async () => {
    const mock = mockApostrophe();
    await login(mock, wrong);
    await login(mock, wrong);
    for (let i = 0; i < 5; i++) expect(await message(await login(mock, { username: 'admin', password: '  ' }))).toMatch(/Both the username/);
    expect((await login(mock, ADMIN)).status).toBe(200);
    await login(mock, wrong);
    await login(mock, wrong);
    mock.clock.advance(60_001);
    await login(mock, wrong);
    expect((await login(mock, ADMIN)).status).toBe(200);
  });

  it('follows the throttle option', async () => {
    const mock = mockApostrophe({ throttle: { allowedAttempts: 5, perMinutes: 1, lockoutMinutes: 10 } });
    for (let i = 0; i < 4; i++) await login(mock, wrong);
    expect((await login(mock, ADMIN)).status).toBe(200);
    for (let i = 0; i < 5; i++) await login(mock, wrong);
    mock.clock.advance(9 * 60_000);
    expect(await message(await login(mock, ADMIN))).toMatch(/Too many attempts/);
    mock.clock.advance(60_000);
    expect((await login(mock, ADMIN)).status).toBe(200);
  });
});

describe('bearer tokens', () => {
  it('are deleted by logout: the token gets 401 on every URL afterwards', async () => {
    const mock = mockApostrophe();
    const headers = await bearer(mock);
    expect(mock.state.tokens.size).toBe(1);
    expect(await status(mock, 'GET', 'whoami', headers)).toBe(200);
    expect(await status(mock, 'POST', 'logout', headers)).toBe(200);
    expect(mock.state.tokens.size).toBe(0);
    for (const [method, route] of [['GET', 'whoami'], ['POST', 'whoami'], ['GET', 'context'], ['POST', 'logout']])
      expect(await (await send(mock, method!, route!, { headers })).json()).toEqual({ name: 'invalid', message: 'bearer token invalid' });
    // Even login refuses a stale bearer before running.
    expect((await send(mock, 'POST', 'login', jsonBody(ADMIN, headers))).status).toBe(401);
  });

  it('last bearerTokens.lifetime seconds (14 days by default)', async () => {
    for (const [options, lifetime] of [[{}, 14 * 86400], [{ bearerLifetime: 3600 }, 3600]] as const) {
      const mock = mockApostrophe(options);
      const headers = await bearer(mock);
      mock.clock.advance(lifetime * 1000);
      expect(await status(mock, 'GET', 'whoami', headers)).toBe(200);
      mock.clock.advance(1);
      expect(await status(mock, 'GET', 'whoami', headers)).toBe(401);
    }
  });

  it('need the exact `Bearer ` prefix; anything else is anonymous, not an error', async () => {
    const mock = mockApostrophe();
    const { authorization } = await bearer(mock);
    const token = authorization.slice('Bearer '.length);
    for (const header of [`bearer ${token}`, `Bearer  ${token}`]) expect(await status(mock, 'GET', 'whoami', { authorization: header })).toBe(404);
    expect(await status(mock, 'GET', 'whoami', {})).toBe(404);
    const query = await rec.send(mock, 'GET', `${LOGIN}/whoami?access_token=${token}`);
    expect(await query.json()).toMatchObject({ username: 'admin' });
  });
});

describe('sessions and API keys', () => {
  it('a session logout destroys the session and clears both cookies', async () => {
    const mock = mockApostrophe();
    const session = `${cookieHeader(await login(mock, { ...ADMIN, session: true }))}; apos.csrf=csrf`;
    expect(session).toMatch(/apos\.loggedIn=true/);
    const out = await send(mock, 'POST', 'logout', { headers: { cookie: session } });
    expect(out.headers.getSetCookie()).toEqual([
      'apos.sid=deleted; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax',
      'apos.loggedIn=false; Path=/',
    ]);
    expect(await status(mock, 'POST', 'whoami', { cookie: session })).toBe(404);
  });

  it('does not set loggedIn again when the client already says true', async () => {
    const mock = mockApostrophe();
    const answer = await send(mock, 'POST', 'login', jsonBody({ ...ADMIN, session: 'yes' }, { cookie: 'apos.loggedIn=true' }));
    expect(answer.headers.getSetCookie().map((c) => c.split('=')[0])).toEqual(['apos.sid']);
  });

  it('an API key beats a session, works from the query, and is never revoked by logout', async () => {
    const mock = mockApostrophe({ apiKeys: { k: { role: 'admin' }, odd: { role: 'nobody' } } });
    const session = `${cookieHeader(await login(mock, { ...ADMIN, session: true }))}; apos.csrf=csrf`;
    expect(await (await send(mock, 'POST', 'whoami', { headers: { cookie: session, authorization: 'apikey k' } })).json()).toEqual({ title: 'System Task' });
    expect(await status(mock, 'POST', 'logout', { authorization: 'ApiKey k' })).toBe(200);
    expect(await (await rec.send(mock, 'GET', `${LOGIN}/whoami?apikey=k`)).json()).toEqual({ title: 'System Task' });
    // A key with an unknown role is anonymous (but still exempt from CSRF).
    expect(await status(mock, 'POST', 'whoami', { authorization: 'ApiKey odd' })).toBe(404);
    expect(await (await send(mock, 'GET', 'whoami', { headers: { authorization: 'ApiKey nope' } })).json()).toEqual({ error: 'invalid api key' });
  });

  it('trims credentials, accepts the email, and refuses disabled users', async () => {
    const mock = mockApostrophe({ users: [{ ...ADMIN, email: 'admin@example.com' }, { username: 'gone', password: 'pw', disabled: true }] });
    expect((await login(mock, { username: ' admin@example.com ', password: ' s3cret-Passw0rd ' })).status).toBe(200);
    expect((await login(mock, { username: 'gone', password: 'pw' })).status).toBe(400);
  });
});

describe('password reset (passwordReset: true)', () => {
  it('issues a code, checks the link, sets the new password once, and refuses a reused or wrong code', async () => {
    const mock = mockApostrophe({ passwordReset: true });
    const csrf = { cookie: 'apos.csrf=csrf' };
    expect(await status(mock, 'POST', 'reset-request', csrf)).toBe(400);
    expect((await send(mock, 'POST', 'reset-request', { ...jsonBody({ email: 'nobody@example.com' }), headers: { ...csrf, 'content-type': 'application/json' } })).status).toBe(200);
    expect(mock.state.resets.size).toBe(0);
    expect((await send(mock, 'POST', 'reset-request', { ...jsonBody({ email: 'admin@example.com' }), headers: { ...csrf, 'content-type': 'application/json' } })).status).toBe(200);
    const [code] = [...mock.state.resets.values()];
    expect((await send(mock, 'GET', `reset?email=admin&reset=${code}`)).status).toBe(200);
    expect((await send(mock, 'GET', 'reset?email=admin&reset=wrong')).status).toBe(400);
    const reset = (body: Record<string, unknown>) =>
      send(mock, 'POST', 'reset', { ...jsonBody(body), headers: { ...csrf, 'content-type': 'application/json' } });
    expect((await reset({ email: 'admin', reset: code, password: '' })).status).toBe(400);
    expect((await reset({ email: 'admin', reset: code, password: 'n3w-Passw0rd' })).status).toBe(200);
    expect((await reset({ email: 'admin', reset: code, password: 'again-Passw0rd' })).status).toBe(400);
    expect((await login(mock, { username: 'admin', password: 'n3w-Passw0rd' })).status).toBe(200);
  });

  it('has no reset routes unless the option is on', async () => {
    expect(await status(mockApostrophe(), 'POST', 'reset-request', { cookie: 'apos.csrf=csrf' })).toBe(404);
  });
});
