// Every operation of every mock, with each status the mock can produce, sent straight to
// `mock.handle` and validated against openapi.yaml (issue 4 point 2). A test fails, listing them,
// when any of its answers break the contract (status, header, media type or body); the last test
// of each platform asserts which (operation, status) pairs were answered and prints the figures.
import * as OTPAuth from 'otpauth';
import { describe, expect, it } from 'vitest';
import { mockApostrophe, mockCoco, mockLowcoder } from '../../src/mocks/index.js';
import { cookieHeader, isJson, jsonBody, loadContract, useRecorder, type Recorder } from '../support/contract.js';

/** Asserts and prints the (operation, status) pairs a platform's mocks answered. */
function coverage(rec: Recorder, tag: string, expected: Record<string, number[]>) {
  const contract = loadContract();
  const mine = contract.operations.filter((op) => op.tag === tag);
  const declared = mine.flatMap((op) => Object.keys(isJson(op.operation.responses) ? op.operation.responses : {}).map((s) => `${op.operationId} ${s}`));
  const wanted = Object.entries(expected).flatMap(([id, statuses]) => statuses.map((s) => `${id} ${s}`));
  expect([...rec.covered].sort()).toEqual(wanted.sort());
  for (const pair of wanted) expect(declared, pair).toContain(pair);
  const operations = new Set([...rec.covered].map((p) => p.split(' ')[0]));
  console.info(
    `[conformance] ${tag}: ${operations.size}/${mine.length} operations, ${rec.covered.size}/${declared.length} declared (operation, status) pairs, ${rec.validated} answers validated`,
  );
}

describe('Lowcoder mock', () => {
  const rec = useRecorder();
  const mock = mockLowcoder();
  const login = (body: unknown, headers: Record<string, string> = {}) => rec.send(mock, 'POST', '/api/auth/form/login', jsonBody(body, headers));
  const ada = { loginId: 'ada@example.com', password: 's3cret-Passw0rd', register: false, source: 'EMAIL', authId: 'EMAIL' };
  const bodyOf = async (r: Response) => (await r.json()) as { code: number; data?: unknown; success: boolean };

  it('answers anonymous reads', async () => {
    const configs = await rec.send(mock, 'GET', '/api/configs');
    expect((await bodyOf(configs)).data).toMatchObject({ cookieName: 'LOWCODER_CE_SELFHOST_TOKEN' });
    const current = await rec.send(mock, 'GET', '/api/users/currentUser');
    expect((await bodyOf(current)).data).toMatchObject({ id: '', name: 'ANONYMOUS' });
    const me = await rec.send(mock, 'GET', '/api/users/me');
    expect((await bodyOf(me)).data).toMatchObject({ isAnonymous: true, username: 'anonymous' });
  });

  it('refuses logins as the server does', async () => {
    const cases: [unknown, number, number][] = [
      [{ ...ada, password: 'wrong' }, 403, 5608],
      [{ ...ada, loginId: 'nobody@example.com' }, 403, 5608],
      [{ ...ada, authId: 'GOOGLE' }, 403, 5602],
      [{ ...ada, register: true }, 403, 5607],
      [{ loginId: 'new@example.com', password: 42, register: true, authId: 'EMAIL' }, 400, 5614],
      ['{"loginId":', 500, 5002],
      [[ada], 500, 5002],
    ];
    for (const [body, status, code] of cases) {
      const answer = await login(body);
      expect(answer.status, JSON.stringify(body)).toBe(status);
      expect(await bodyOf(answer)).toMatchObject({ code, success: false });
      expect(answer.headers.get('set-cookie')).toBeNull();
    }
    const closed = mockLowcoder({ registration: false });
    const refused = await rec.send(closed, 'POST', '/api/auth/form/login', jsonBody({ ...ada, loginId: 'x@example.com', register: true }));
    expect(refused.status).toBe(400);
    expect(await bodyOf(refused)).toMatchObject({ code: 5003 });
  });

  it('signs in, manages API keys and signs out', async () => {
    const signedIn = await login(ada);
    expect(signedIn.status).toBe(200);
    const cookie = { cookie: cookieHeader(signedIn) };
    expect((await bodyOf(await rec.send(mock, 'GET', '/api/users/currentUser', { headers: cookie }))).data).toMatchObject({ email: 'ada@example.com' });
    expect((await bodyOf(await rec.send(mock, 'GET', '/api/users/me', { headers: cookie }))).data).toMatchObject({ isAnonymous: false });

    const created = await rec.send(mock, 'POST', '/api/auth/api-key', jsonBody({ name: 'ci', description: 'nightly' }, cookie));
    const key = (await bodyOf(created)).data as { id: string; token: string };
    const listed = await rec.send(mock, 'GET', '/api/auth/api-keys', { headers: cookie });
    expect((await bodyOf(listed)).data).toEqual([{ id: key.id, name: 'ci', description: 'nightly', token: expect.stringMatching(/^.{6}\*{13}.{6}$/) }]);
    const malformed = await rec.send(mock, 'POST', '/api/auth/api-key', { body: '{', headers: { ...cookie, 'content-type': 'application/json' } });
    expect(malformed.status).toBe(500);
    const deleted = await rec.send(mock, 'DELETE', `/api/auth/api-key/${key.id}`, { headers: cookie });
    expect(await bodyOf(deleted)).toEqual({ code: 1, message: '', success: true });

    expect((await rec.send(mock, 'POST', '/api/auth/logout', { headers: cookie })).status).toBe(200);
    expect((await rec.send(mock, 'POST', '/api/auth/logout')).status).toBe(200);
  });

  it('answers 401 with an empty body to anonymous key management', async () => {
    for (const [method, path] of [['POST', '/api/auth/api-key'], ['GET', '/api/auth/api-keys'], ['DELETE', '/api/auth/api-key/x']] as const) {
      const answer = await rec.send(mock, method, path, method === 'POST' ? jsonBody({ name: 'x' }) : {});
      expect(answer.status).toBe(401);
      expect(await answer.text()).toBe('');
    }
  });

  // APIKeyAuthFilter ends the exchange for a validly signed but deleted key, on every route.
  it('answers a deleted API key with an empty 200 on every route that accepts keys', async () => {
    const cookie = { cookie: cookieHeader(await login(ada)) };
    const { data: key } = (await bodyOf(await rec.send(mock, 'POST', '/api/auth/api-key', jsonBody({ name: 'gone' }, cookie)))) as { data: { id: string; token: string } };
    await rec.send(mock, 'DELETE', `/api/auth/api-key/${key.id}`, { headers: cookie });
    const bearer = { authorization: `Bearer ${key.token}` };
    for (const [method, path] of [
      ['POST', '/api/auth/api-key'],
      ['GET', '/api/auth/api-keys'],
      ['DELETE', '/api/auth/api-key/x'],
      ['GET', '/api/users/currentUser'],
      ['GET', '/api/users/me'],
    ] as const) {
      const answer = await rec.send(mock, method, path, method === 'POST' ? jsonBody({ name: 'x' }, bearer) : { headers: bearer });
      expect([answer.status, await answer.text(), answer.headers.get('content-type')], `${method} ${path}`).toEqual([200, '', null]);
    }
  });

  it('covers the contract', () => {
    coverage(rec, 'Lowcoder', {
      lowcoderFormLogin: [200, 400, 403, 500],
      lowcoderLogout: [200],
      lowcoderCreateApiKey: [200, 401, 500],
      lowcoderListApiKeys: [200, 401],
      lowcoderDeleteApiKey: [200, 401],
      lowcoderCurrentUser: [200],
      lowcoderUserProfile: [200],
      lowcoderConfigs: [200],
    });
  });
});

describe('ApostropheCMS mock', () => {
  const rec = useRecorder();
  const mock = mockApostrophe({ apiKeys: { 'k-admin': { role: 'admin' } }, passwordReset: true });
  const LOGIN = '/api/v1/@apostrophecms/login';
  const CSRF = 'apos.csrf=csrf';
  const admin = { username: 'admin', password: 's3cret-Passw0rd' };
  const send = (method: string, route: string, init?: RequestInit) => rec.send(mock, method, `${LOGIN}/${route}`, init);
  const bearerLogin = async () => ((await (await send('POST', 'login', jsonBody(admin))).json()) as { token: string }).token;
  const stale = { authorization: 'Bearer not-a-token' };
  const badKey = { authorization: 'ApiKey nope' };
  const key = { authorization: 'ApiKey k-admin' };

  it('answers the login page context', async () => {
    const get = await send('GET', 'context');
    expect(get.headers.getSetCookie()).toEqual([expect.stringMatching(/^apos\.csrf=csrf; /)]);
    expect((await send('POST', 'context', { headers: { cookie: CSRF } })).status).toBe(200);
    expect((await send('POST', 'context', { headers: key })).status).toBe(200);
    expect(await (await send('POST', 'context')).json()).toEqual({ name: 'forbidden', message: 'CSRF exception' });
    for (const method of ['GET', 'POST']) {
      expect((await send(method, 'context', { headers: stale })).status).toBe(401);
      expect(await (await send(method, 'context', { headers: badKey })).json()).toEqual({ error: 'invalid api key' });
    }
  });

  it('logs in with bearer tokens and session cookies, JSON or form', async () => {
    const bearer = await send('POST', 'login', jsonBody(admin));
    expect(await bearer.json()).toEqual({ token: expect.stringMatching(/^[a-z][a-z0-9]{23}$/) });
    expect(bearer.headers.getSetCookie()).toEqual([]);
    const session = await send('POST', 'login', jsonBody({ ...admin, session: true }));
    expect(await session.json()).toEqual({});
    expect(session.headers.getSetCookie()).toEqual([
      'apos.loggedIn=true; Path=/',
      expect.stringMatching(/^apos\.sid=s%3A\w+\.\w+; Path=\/; HttpOnly; SameSite=Lax$/),
    ]);
    const form = await send('POST', 'login', {
      body: new URLSearchParams({ ...admin, session: 'yes' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(await form.json()).toEqual({});
  });

  it('refuses logins as the server does', async () => {
    const invalid = async (body: unknown, message: RegExp) => {
      const answer = await send('POST', 'login', jsonBody(body));
      expect(answer.status).toBe(400);
      expect(await answer.json()).toEqual({ name: 'invalid', data: {}, message: expect.stringMatching(message) });
    };
    await invalid({ username: 'admin' }, /Both the username and the password are required/);
    for (let i = 0; i < 3; i++) await invalid({ username: 'ghost', password: 'x' }, /credentials are incorrect/);
    await invalid({ username: 'ghost', password: 'x' }, /Too many attempts/);
    const html = await send('POST', 'login', { body: '{"username":', headers: { 'content-type': 'application/json' } });
    expect([html.status, html.headers.get('content-type')]).toEqual([400, 'text/html; charset=utf-8']);
    expect((await send('POST', 'login', jsonBody(admin, stale))).status).toBe(401);
    expect((await send('POST', 'login', jsonBody(admin, badKey))).status).toBe(403);
  });

  it('answers whoami (GET and POST) for every kind of caller', async () => {
    const token = await bearerLogin();
    for (const method of ['GET', 'POST']) {
      const me = await send(method, 'whoami', { headers: { authorization: `Bearer ${token}` } });
      expect(await me.json()).toMatchObject({ username: 'admin', title: 'Admin', email: 'admin@example.com' });
      expect(await (await send(method, 'whoami', { headers: key })).json()).toEqual({ title: 'System Task' });
      expect((await send(method, 'whoami', { headers: stale })).status).toBe(401);
      expect((await send(method, 'whoami', { headers: badKey })).status).toBe(403);
    }
    const getMe = await send('GET', 'whoami', { headers: { authorization: `Bearer ${token}` } });
    expect(getMe.headers.get('cache-control')).toBe('no-store');
    // Signed out: 404, from GET (which also sets the CSRF cookie) and from POST with the cookie.
    expect((await send('GET', 'whoami')).status).toBe(404);
    expect((await send('POST', 'whoami', { headers: { cookie: CSRF } })).status).toBe(404);
    expect((await send('POST', 'whoami')).status).toBe(403);
  });

  it('logs out bearer, session and API-key callers and refuses the rest', async () => {
    const token = await bearerLogin();
    const out = await send('POST', 'logout', { headers: { authorization: `Bearer ${token}` } });
    expect([out.status, await out.text(), out.headers.get('content-type')]).toEqual([200, '', null]);
    expect((await send('POST', 'logout', { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);

    const session = cookieHeader(await send('POST', 'login', jsonBody({ ...admin, session: true })));
    expect(await (await send('POST', 'logout', { headers: { cookie: session } })).json()).toEqual({ name: 'forbidden', message: 'CSRF exception' });
    expect((await send('POST', 'logout', { headers: { cookie: `${session}; ${CSRF}` } })).status).toBe(200);
    expect(await (await send('POST', 'logout', { headers: { cookie: CSRF } })).json()).toEqual({ name: 'forbidden', data: {}, message: 'You were not logged in.' });
    expect((await send('POST', 'logout', { headers: key })).status).toBe(200);
    expect((await send('POST', 'logout', { headers: badKey })).status).toBe(403);

    const both = await rec.send(mock, 'POST', `${LOGIN}/logout?access_token=${await bearerLogin()}`, { headers: { authorization: `Bearer ${await bearerLogin()}` } });
    expect([both.status, await both.text()]).toEqual([400, '']);
  });

  it('answers the 2FA requirement routes', async () => {
    for (const route of ['requirement-props', 'requirement-verify']) {
      const body = { incompleteToken: 'unknown', name: 'AposTotp', value: '123456' };
      expect((await send('POST', route, jsonBody(body, { cookie: CSRF }))).status).toBe(404);
      expect((await send('POST', route, jsonBody(body))).status).toBe(403);
    }
  });

  it('runs the login-totp flow: enrolment, wrong and right codes, throttle, finishing in both modes', async () => {
    const totp = mockApostrophe({ totp: true });
    const post = (route: string, body: unknown, cookie = CSRF) => rec.send(totp, 'POST', `${LOGIN}/${route}`, jsonBody(body, { cookie }));
    const start = async (session = false) => {
      const answer = await post('login', { ...admin, session });
      const body = (await answer.json()) as { incompleteToken: string };
      expect(body).toEqual({ incompleteToken: expect.stringMatching(/^[a-z][a-z0-9]{23}$/) });
      return body.incompleteToken;
    };
    const code = (secret: string) => new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) }).generate({ timestamp: totp.clock.now() });
    const incompleteToken = await start();
    const step = { incompleteToken, name: 'AposTotp' };
    const props = (await (await post('requirement-props', step)).json()) as { token: string; identity: string };
    expect(props).toEqual({ token: expect.stringMatching(/^[A-Z2-7]{32}$/), identity: 'admin@apos' });
    expect(await (await post('requirement-verify', { ...step, value: '000000' })).json()).toEqual({ name: 'invalid', data: { requirement: 'AposTotp' }, message: 'Invalid code, try again.' });
    expect((await post('requirement-props', { ...step, name: 'Nope' })).status).toBe(404);
    expect((await post('login', { incompleteToken })).status).toBe(403);
    expect((await post('requirement-verify', { ...step, value: code(props.token) })).status).toBe(200);
    expect((await rec.send(totp, 'GET', `${LOGIN}/whoami`, { headers: { authorization: `Bearer ${incompleteToken}` } })).status).toBe(200);
    const finished = await post('login', { incompleteToken });
    expect(await finished.json()).toEqual({ token: { userId: expect.any(String), expires: expect.any(String), _id: incompleteToken } });
    expect((await rec.send(totp, 'GET', `${LOGIN}/whoami`, { headers: { authorization: `Bearer ${incompleteToken}` } })).status).toBe(401);
    expect((await post('login', { incompleteToken })).status).toBe(404);

    const again = await start(true);
    expect(await (await post('requirement-props', { ...step, incompleteToken: again })).json()).toEqual({});
    for (let i = 0; i < 3; i++) await post('requirement-verify', { ...step, incompleteToken: again, value: '000000' });
    const throttled = await post('requirement-verify', { ...step, incompleteToken: again, value: code(props.token) });
    expect(await throttled.json()).toEqual({ name: 'invalid', data: {}, message: 'Too many attempts. You may try again in a minute.' });
    totp.clock.advance(61_000);
    expect((await post('requirement-verify', { ...step, incompleteToken: again, value: code(props.token) })).status).toBe(200);
    const session = await post('login', { incompleteToken: again, session: true });
    expect([session.status, await session.text(), session.headers.get('content-type')]).toEqual([200, '', null]);
    expect(session.headers.getSetCookie()).toEqual(['apos.loggedIn=true; Path=/', expect.stringMatching(/^apos\.sid=s%3A/)]);
    const expiring = await start();
    totp.clock.advance(3600_001);
    expect((await post('requirement-props', { ...step, incompleteToken: expiring })).status).toBe(404);
  });

  it('answers the password reset routes', async () => {
    expect((await send('POST', 'reset-request', jsonBody({ email: '' }, { cookie: CSRF }))).status).toBe(400);
    expect((await send('POST', 'reset-request', jsonBody({ email: 'admin' }))).status).toBe(403);
    expect((await send('POST', 'reset-request', jsonBody({ email: 'admin' }, { cookie: CSRF }))).status).toBe(200);
    const [code] = [...mock.state.resets.values()];
    expect((await send('GET', `reset?email=admin&reset=${code}`)).status).toBe(200);
    expect((await send('GET', 'reset?email=admin&reset=wrong')).status).toBe(400);
    expect((await send('POST', 'reset', jsonBody({ email: 'admin', reset: code, password: 's3cret-Passw0rd' }))).status).toBe(403);
    expect((await send('POST', 'reset', jsonBody({ email: 'admin', reset: 'wrong', password: 'x' }, { cookie: CSRF }))).status).toBe(400);
    expect((await send('POST', 'reset', jsonBody({ email: 'admin', reset: code, password: 's3cret-Passw0rd' }, { cookie: CSRF }))).status).toBe(200);
    expect((await rec.send(mockApostrophe(), 'POST', `${LOGIN}/reset-request`, jsonBody({ email: 'admin' }, { cookie: CSRF }))).status).toBe(404);
  });

  it('covers the contract', () => {
    coverage(rec, 'ApostropheCMS', {
      apostropheResetRequest: [200, 400, 403, 404],
      apostropheResetCheck: [200, 400],
      apostropheReset: [200, 400, 403],
      apostropheLogin: [200, 400, 401, 403, 404],
      apostropheLogout: [200, 400, 401, 403],
      apostropheWhoamiGet: [200, 401, 403, 404],
      apostropheWhoami: [200, 401, 403, 404],
      apostropheContextGet: [200, 401, 403],
      apostropheContext: [200, 401, 403],
      apostropheRequirementProps: [200, 403, 404],
      apostropheRequirementVerify: [200, 400, 403, 404],
    });
  });
});

describe('Coco Server mock', () => {
  const rec = useRecorder();
  const mock = mockCoco({
    users: [
      { email: 'admin@example.com', password: 's3cret-Passw0rd!', name: 'admin', roles: ['admin'] },
      { email: 'bob@example.com', password: 'b0b-Passw0rd!', name: 'bob', permissions: ['coco#search/search'] },
    ],
  });
  const send = (method: string, path: string, init?: RequestInit) => rec.send(mock, method, path, init);
  const login = async (email: string, password: string) => {
    const answer = await send('POST', '/account/login', jsonBody({ email, login: email, password }));
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as { access_token: string };
    return { authorization: `Bearer ${body.access_token}` };
  };
  const writeError = (status: number, reason: string) => ({ status, error: { reason } });
  const panicOf = async (answer: Response) => {
    expect(answer.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    return JSON.parse(await answer.text()) as unknown;
  };

  it('answers public routes', async () => {
    expect(await (await send('GET', '/setting/application')).json()).toMatchObject({ setup_required: false });
    expect(await panicOf(await send('POST', '/setup/_initialize', jsonBody({ email: 'a@b.c', password: 'x' })))).toEqual({
      error: { status: 500, reason: 'setup has already been completed' },
    });
  });

  it('logs in, and refuses logins in both error shapes', async () => {
    const ok = await send('POST', '/account/login', jsonBody({ email: 'admin@example.com', password: 's3cret-Passw0rd!' }));
    expect(await ok.json()).toMatchObject({ status: 'ok', expire_in: expect.any(Number) });
    expect(ok.headers.getSetCookie()).toEqual([expect.stringMatching(/^INFINI-SESSION-\w+=\w+; Path=\/; HttpOnly$/)]);
    const refuse = async (init: RequestInit, status: number) => {
      const answer = await send('POST', '/account/login', init);
      expect(answer.status).toBe(status);
      return answer;
    };
    expect(await (await refuse(jsonBody({ email: 'admin@example.com' }), 400)).json()).toEqual(writeError(400, 'password is required'));
    expect(await (await refuse({ body: '', headers: { 'content-type': 'application/json' } }, 400)).json()).toEqual(writeError(400, 'password is required'));
    expect(await (await refuse(jsonBody({ email: 'admin@example.com', password: 'no' }), 403)).json()).toEqual(writeError(403, 'failed to login'));
    expect(await (await refuse({ body: 'x', headers: { 'content-type': 'text/plain' } }, 415)).json()).toEqual(writeError(415, 'unsupported content type'));
    expect(await (await refuse({ body: '{', headers: { 'content-type': 'application/json' } }, 500)).json()).toEqual(writeError(500, 'invalid JSON format'));
    const form = await refuse({ body: new URLSearchParams({ password: 'x' }), headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 500);
    expect(await panicOf(form)).toEqual({ error: { status: 500, reason: 'previous password was not set' } });
    expect(await panicOf(await refuse(jsonBody({ password: 'x' }), 500))).toEqual({ error: { status: 500, reason: 'previous password was not set' } });
  });

  it('answers profile and logout for every kind of caller', async () => {
    const login = await send('POST', '/account/login', jsonBody({ email: 'admin@example.com', password: 's3cret-Passw0rd!' }));
    const { access_token: jwt } = (await login.json()) as { access_token: string };
    const cookie = { cookie: cookieHeader(login) };
    const created = await send('POST', '/auth/access_token', jsonBody({ name: 'p' }, cookie));
    const { access_token: token } = (await created.json()) as { access_token: string };
    for (const headers of [cookie, { authorization: `Bearer ${jwt}` }, { 'x-api-token': token }])
      expect(await (await send('GET', '/account/profile', { headers })).json()).toMatchObject({ email: 'admin@example.com', preferences: {} });
    expect(await (await send('GET', '/account/profile')).json()).toEqual(writeError(401, 'invalid login'));
    for (const method of ['GET', 'POST']) {
      const out = await send(method, '/account/logout', { headers: cookie });
      expect(await out.json()).toEqual({ status: 'ok' });
      expect(out.headers.getSetCookie()).toEqual([expect.stringMatching(/^INFINI-SESSION-\w+=; Path=\/; Expires=Thu, 01 Jan 1970 00:00:01 GMT; Max-Age=0; HttpOnly$/)]);
    }
  });

  it('changes the password', async () => {
    const admin = await login('admin@example.com', 's3cret-Passw0rd!');
    const change = (body: unknown, headers: Record<string, string> = admin) => send('PUT', '/account/password', jsonBody(body, headers));
    expect(await (await change({ old_password: 's3cret-Passw0rd!', new_password: 'n3w-Passw0rd!' })).json()).toMatchObject({ result: 'updated' });
    expect(await (await change({ old_password: 'wrong', new_password: 'x' })).json()).toEqual(writeError(403, 'failed to login'));
    expect((await change('{', admin)).status).toBe(500);
    expect((await change({ old_password: 'n3w-Passw0rd!', new_password: 's3cret-Passw0rd!' }, {})).status).toBe(401);
    expect((await change({ old_password: 'n3w-Passw0rd!', new_password: 's3cret-Passw0rd!' })).status).toBe(200);
  });

  it('manages API tokens with every error the server gives', async () => {
    const admin = await login('admin@example.com', 's3cret-Passw0rd!');
    const bob = await login('bob@example.com', 'b0b-Passw0rd!');
    const created = await send('POST', '/auth/access_token', jsonBody({ name: 'ci', permissions: ['coco#document/read'] }, admin));
    const { _id: id } = (await created.json()) as { _id: string };
    expect((await send('POST', '/auth/access_token', { headers: admin })).status).toBe(200);
    const malformed = await send('POST', '/auth/access_token', { body: '{', headers: { ...admin, 'content-type': 'application/json' } });
    expect(malformed.status).toBe(400);
    expect(await panicOf(malformed)).toMatchObject({ error: { status: 400, reason: expect.stringMatching(/^invalid token: /) } });
    const outside = await send('POST', '/auth/access_token', jsonBody({ permissions: ['coco#secret/read'] }, admin));
    expect(await panicOf(outside)).toMatchObject({ error: { status: 500 } });

    const search = await send('GET', '/auth/access_token/_search?query=ci', { headers: admin });
    expect(await search.json()).toMatchObject({ hits: { total: { value: 1 }, hits: [{ _id: id, _source: { name: 'ci', access_token: '***' } }] } });
    const rename = (name: unknown, headers: Record<string, string>, target = id) => send('PUT', `/auth/access_token/${target}`, jsonBody({ name }, headers));
    expect(await (await rename('renamed', admin)).json()).toEqual({ _id: id, result: 'updated' });
    expect(await (await rename('', admin)).json()).toEqual(writeError(400, 'name is required'));
    expect(await (await rename('x', admin, 'unknown')).json()).toEqual(writeError(404, 'access token not found'));
    expect((await send('PUT', `/auth/access_token/${id}`, { body: '{', headers: { ...admin, 'content-type': 'application/json' } })).status).toBe(500);
    expect(await (await send('DELETE', '/auth/access_token/unknown', { headers: admin })).json()).toEqual(writeError(404, 'access token not found'));
    expect(await (await send('DELETE', `/auth/access_token/${id}`, { headers: admin })).json()).toEqual({ _id: id, result: 'deleted' });

    // No credential: 401; a user without the token permissions: 403.
    for (const [method, path] of [['POST', '/auth/access_token'], ['GET', '/auth/access_token/_search'], ['PUT', '/auth/access_token/x'], ['DELETE', '/auth/access_token/x']] as const) {
      const init = method === 'PUT' || method === 'POST' ? jsonBody({ name: 'x' }) : {};
      expect(await (await send(method, path, init)).json()).toEqual(writeError(401, 'invalid login'));
      const denied = await send(method, path, method === 'PUT' || method === 'POST' ? jsonBody({ name: 'x' }, bob) : { headers: bob });
      expect(await denied.json()).toEqual(writeError(403, expect.stringMatching(/^permission \[\[generic#security:auth:api-token\/\w+\]\] not allowed$/)));
    }
  });

  it('covers the contract', () => {
    coverage(rec, 'Coco Server', {
      cocoLogin: [200, 400, 403, 415, 500],
      cocoLogoutGet: [200],
      cocoLogout: [200],
      cocoProfile: [200, 401],
      cocoChangePassword: [200, 401, 403, 500],
      cocoCreateApiToken: [200, 400, 401, 403, 500],
      cocoSearchApiTokens: [200, 401, 403],
      cocoUpdateApiToken: [200, 400, 401, 403, 404, 500],
      cocoDeleteApiToken: [200, 401, 403, 404],
      cocoApplicationSettings: [200],
      cocoInitialize: [500],
    });
  });
});
