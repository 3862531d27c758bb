import { describe, expect, it } from 'vitest';
import { mockLowcoder } from '../../src/mocks/index.js';
import {
  ApiError,
  ConfigurationError,
  ForbiddenError,
  InvalidCredentialsError,
  InvalidResponseError,
  NotAuthenticatedError,
  RateLimitedError,
  lowcoder,
} from '../../src/node.js';
import { recording } from '../support/fetch.js';
import { injectFault, useMsw } from '../support/msw.js';

const server = useMsw();
const ADA = { email: 'ada@example.com', password: 's3cret-Passw0rd' };

function setup(options: Parameters<typeof mockLowcoder>[0] = {}) {
  const mock = mockLowcoder(options);
  server.use(...mock.handlers);
  return mock;
}

describe('Lowcoder cookie sessions (Node cookie jar)', () => {
  it('captures the session from Set-Cookie, reads the profile, and reports the cookie expiry', async () => {
    const mock = setup();
    const client = lowcoder({ baseUrl: mock.baseUrl, now: mock.clock.now });
    const session = await client.login(ADA);
    expect(session).toMatchObject({ platform: 'lowcoder', mode: 'cookie', signedIn: true, user: { email: ADA.email } });
    expect(session.expiresAt?.getTime()).toBe(mock.clock.now() + 86_400_000);
    expect(mock.state.sessions.size).toBe(1);
    expect(await client.credential()).toMatch(/^LOWCODER_CE_SELFHOST_TOKEN=[0-9a-f]{32}$/);
  });

  it('sends the login fields the server reads and the org/invitation as query parameters', async () => {
    const { sent, fetch } = recording(() => Response.json({ code: 1, message: '', data: true, success: true }));
    const client = lowcoder({ baseUrl: 'https://lc.test', fetch });
    await client.login({ ...ADA, orgId: 'org1', invitationId: 'inv1' }).catch(() => undefined);
    const login = sent[0]!;
    expect(new URL(login.url).search).toBe('?orgId=org1&invitationId=inv1');
    expect(await login.json()).toEqual({ loginId: ADA.email, password: ADA.password, register: false, source: 'EMAIL', authId: 'EMAIL' });
  });

  it('maps a wrong password (403/5608) to InvalidCredentialsError with the platform code', async () => {
    const mock = setup();
    const error = await lowcoder({ baseUrl: mock.baseUrl }).login({ ...ADA, password: 'nope-wrong' }).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidCredentialsError);
    expect(error).toMatchObject({ status: 403, code: 5608, platform: 'lowcoder', operation: 'login' });
  });

  it('treats the anonymous currentUser (200, id "") as not signed in', async () => {
    const mock = setup();
    const error = await lowcoder({ baseUrl: mock.baseUrl }).profile().catch((e) => e);
    expect(error).toBeInstanceOf(NotAuthenticatedError);
    expect(error.reason).toBe('anonymous');
    expect(error.status).toBe(200);
  });

  it('maps 401 with an empty body to NotAuthenticatedError', async () => {
    const mock = setup();
    const error = await lowcoder({ baseUrl: mock.baseUrl }).listApiKeys().catch((e) => e);
    expect(error).toBeInstanceOf(NotAuthenticatedError);
    expect(error.status).toBe(401);
  });

  it('treats a success:false envelope as a failure even with a 2xx status', async () => {
    const { fetch } = recording(() => Response.json({ code: 5000, message: 'Oops! Service is busy', success: false }));
    const error = await lowcoder({ baseUrl: 'https://lc.test', fetch, apiKey: 'k' }).listApiKeys().catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 5000, status: 200, message: 'Oops! Service is busy' });
  });

  it.each([
    [429, 5009, RateLimitedError],
    [403, 5622, ForbiddenError],
    [401, 5001, ForbiddenError],
    [500, 5000, ApiError],
  ])('maps HTTP %i code %i to %o', async (status, code, type) => {
    const { fetch } = recording(() => Response.json({ code, message: 'm', success: false }, { status }));
    const error = await lowcoder({ baseUrl: 'https://lc.test', fetch, apiKey: 'k', maxRetries: 0 }).listApiKeys().catch((e) => e);
    expect(error).toBeInstanceOf(type);
    expect(error.code).toBe(code);
  });

  it('reports a session cookie that never came back as cookie-not-stored', async () => {
    // The server sets the cookie but the jar refuses it (here: it is scoped to another path).
    const mock = setup();
    const client = lowcoder({
      baseUrl: mock.baseUrl,
      fetch: async (input, init) => {
        const response = await globalThis.fetch(input, init);
        if (!String(input).endsWith('/form/login')) return response;
        const headers = new Headers(response.headers);
        headers.set('set-cookie', headers.get('set-cookie')!.replace('Path=/', 'Path=/elsewhere'));
        return new Response(await response.text(), { status: response.status, headers });
      },
    });
    const error = await client.login(ADA).catch((e) => e);
    expect(error).toBeInstanceOf(NotAuthenticatedError);
    expect(error.reason).toBe('cookie-not-stored');
    expect(error.message).toMatch(/SameSite=Lax/);
    expect((await client.session()).signedIn).toBe(false);
  });

  it('accepts a session cookie copied from a browser', async () => {
    const mock = setup();
    const browser = lowcoder({ baseUrl: mock.baseUrl });
    await browser.login(ADA);
    const value = (await browser.credential())!.split('=')[1]!;
    const copied = lowcoder({ baseUrl: mock.baseUrl, sessionCookie: value });
    expect((await copied.profile()).email).toBe(ADA.email);
  });

  it('rejects an empty password before sending anything', async () => {
    const { sent, fetch } = recording(() => new Response());
    const error = await lowcoder({ baseUrl: 'https://lc.test', fetch }).login({ email: 'a@b.c', password: '' }).catch((e) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(sent).toHaveLength(0);
  });

  it('sends a password of spaces as given: the server decides whether it is right', async () => {
    const mock = mockLowcoder({ users: [{ email: 'ada@example.com', password: '   ' }] });
    server.use(...mock.handlers);
    const session = await lowcoder({ baseUrl: mock.baseUrl }).login({ email: 'ada@example.com', password: '   ' });
    expect(session.signedIn).toBe(true);
  });
});

describe('Lowcoder API keys', () => {
  it('creates a key, uses it from a second client, lists it masked, and deletes it', async () => {
    const mock = setup();
    const owner = lowcoder({ baseUrl: mock.baseUrl });
    await owner.login(ADA);
    const key = await owner.createApiKey({ name: 'ci', description: 'nightly' });
    expect(key.id).toMatch(/^[0-9a-f]{32}$/);
    const bot = lowcoder({ baseUrl: mock.baseUrl, apiKey: key.token });
    expect((await bot.profile()).email).toBe(ADA.email);
    expect((await bot.session()).mode).toBe('apiKey');
    const [listed] = await owner.listApiKeys();
    expect(listed).toMatchObject({ id: key.id, name: 'ci', description: 'nightly' });
    expect(listed!.token).toBe(`${key.token.slice(0, 6)}*************${key.token.slice(-6)}`);
    await owner.deleteApiKey(key.id);
    expect(await owner.listApiKeys()).toEqual([]);
  });

  it('treats the empty 200 a deleted key gets as not authenticated, and forgets the key', async () => {
    const mock = setup();
    const owner = lowcoder({ baseUrl: mock.baseUrl });
    await owner.login(ADA);
    const key = await owner.createApiKey({ name: 'ci' });
    await owner.deleteApiKey(key.id);
    const bot = lowcoder({ baseUrl: mock.baseUrl, apiKey: key.token });
    const expired: unknown[] = [];
    bot.on('expired', (s) => expired.push(s));
    const error = await bot.profile().catch((e) => e);
    expect(error).toBeInstanceOf(NotAuthenticatedError);
    expect(error.reason).toBe('empty-response');
    expect(expired).toHaveLength(1);
    expect((await bot.session()).signedIn).toBe(false);
  });

  it('never sends the session cookie together with the API key', async () => {
    const { sent, fetch } = recording(() =>
      Response.json({ code: 1, message: '', data: { id: 'u', name: 'n' }, success: true }),
    );
    const bot = lowcoder({ baseUrl: 'https://lc.test', fetch, apiKey: 'the-key', headers: { cookie: 'LOWCODER_CE_SELFHOST_TOKEN=stale' } });
    await bot.profile();
    expect(sent[0]!.headers.get('authorization')).toBe('Bearer the-key');
    expect(sent[0]!.headers.get('cookie')).toBeNull();
  });

  it('rejects a key creation without a name', async () => {
    const mock = setup();
    const owner = lowcoder({ baseUrl: mock.baseUrl });
    await expect(owner.createApiKey({ name: '' })).rejects.toBeInstanceOf(ConfigurationError);
  });
});

describe('Lowcoder logout', () => {
  it('deletes the server session and clears the jar and the local session', async () => {
    const mock = setup();
    const client = lowcoder({ baseUrl: mock.baseUrl });
    await client.login(ADA);
    const events: string[] = [];
    client.on('signedOut', () => events.push('signedOut'));
    expect(await client.logout()).toEqual({ serverRevoked: true });
    expect(mock.state.sessions.size).toBe(0);
    expect(await client.credential()).toBeUndefined();
    expect(events).toEqual(['signedOut']);
  });

  it('says the key stays valid when logging out an API-key client', async () => {
    const mock = setup();
    const owner = lowcoder({ baseUrl: mock.baseUrl });
    await owner.login(ADA);
    const key = await owner.createApiKey({ name: 'ci' });
    expect(await lowcoder({ baseUrl: mock.baseUrl, apiKey: key.token }).logout()).toEqual({ serverRevoked: false });
    expect((await lowcoder({ baseUrl: mock.baseUrl, apiKey: key.token }).profile()).email).toBe(ADA.email);
  });

  it('clears local state even when the server call fails', async () => {
    const mock = setup();
    let down = false;
    const client = lowcoder({
      baseUrl: mock.baseUrl,
      maxRetries: 0,
      fetch: (input, init) => (down ? Promise.reject(new TypeError('fetch failed')) : globalThis.fetch(input, init)),
    });
    await client.login(ADA);
    down = true;
    const result = await client.logout();
    expect(result.serverRevoked).toBe(false);
    expect(result.error?.name).toBe('NetworkError');
    expect((await client.session()).signedIn).toBe(false);
  });
});

describe('Lowcoder responses of the wrong shape', () => {
  it('refuses a profile without an id as an invalid response', async () => {
    const { fetch } = recording(() => Response.json({ code: 1, message: '', data: { name: 'x' }, success: true }));
    await expect(lowcoder({ baseUrl: 'https://lc.test', fetch, apiKey: 'k' }).profile()).rejects.toBeInstanceOf(InvalidResponseError);
  });
});

describe('Lowcoder sessionCookie and the server’s cookie name', () => {
  const copyOf = async (mock: ReturnType<typeof setup>) => {
    const browser = lowcoder({ baseUrl: mock.baseUrl });
    await browser.login(ADA);
    return (await browser.credential())!.split('=')[1]!;
  };

  it('learns the cookie name from GET /api/configs when cookieName is not given', async () => {
    const mock = setup({ cookieName: 'LOWCODER_DEBUG_TOKEN' });
    const value = await copyOf(mock);
    const { sent, fetch } = recording();
    const copied = lowcoder({ baseUrl: mock.baseUrl, sessionCookie: value, fetch });
    expect((await copied.profile()).email).toBe(ADA.email);
    expect(await copied.credential()).toBe(`LOWCODER_DEBUG_TOKEN=${value}`);
    expect(sent.map((r) => `${new URL(r.url).pathname} ${r.headers.get('cookie')}`)).toEqual([
      '/api/configs null',
      `/api/users/currentUser LOWCODER_DEBUG_TOKEN=${value}`,
    ]);
    // Asked once per client.
    await copied.profile();
    expect(sent.filter((r) => r.url.endsWith('/api/configs'))).toHaveLength(1);
  });

  it('asks once for concurrent first calls, and falls back to the default name when the server will not say', async () => {
    const mock = setup();
    const value = await copyOf(mock);
    const { count, fetch } = recording();
    const copied = lowcoder({ baseUrl: mock.baseUrl, sessionCookie: value, fetch });
    const [me, keys] = await Promise.all([copied.profile(), copied.listApiKeys()]);
    expect([me.email, keys]).toEqual([ADA.email, []]);
    expect(count('/api/configs')).toBe(1);

    injectFault(mock, { path: '/api/configs', status: 500 });
    const fallback = lowcoder({ baseUrl: mock.baseUrl, sessionCookie: value });
    expect((await fallback.profile()).email).toBe(ADA.email);
    injectFault(mock, { path: '/api/configs', status: 500 });
    const stale = await lowcoder({ baseUrl: mock.baseUrl, sessionCookie: '0123456789abcdef0123456789abcdef' }).profile().catch((e) => e);
    expect(stale.message).toMatch(/LOWCODER_CE_SELFHOST_TOKEN \(the default: GET \/api\/configs failed\)/);
  });

  it('asks for the cookie name within the call’s own timeout and signal, and only once per failure', async () => {
    const mock = setup();
    const value = await copyOf(mock);
    const stalled = (request: Request) =>
      new URL(request.url).pathname === '/api/configs' ? new Promise<Response>(() => undefined) : globalThis.fetch(request);
    const { fetch, count } = recording(stalled);
    // The client's own timeout is far longer than the test may run: the call's must apply.
    const copied = lowcoder({ baseUrl: mock.baseUrl, sessionCookie: value, fetch, timeout: 600_000 });
    expect(await copied.profile({ timeout: 100 }).catch((e: unknown) => e)).toMatchObject({ name: 'TimeoutError' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    expect(await copied.profile({ signal: controller.signal }).catch((e: unknown) => e)).toMatchObject({ name: 'AbortedError' });
    // Both calls waited on the one question in flight; building their errors asked nothing again.
    expect(count('/api/configs')).toBe(1);
  });

  it('uses a given cookieName without asking the server', async () => {
    const mock = setup({ cookieName: 'LOWCODER_DEBUG_TOKEN' });
    const value = await copyOf(mock);
    const { sent, fetch } = recording();
    const copied = lowcoder({ baseUrl: mock.baseUrl, sessionCookie: value, cookieName: 'LOWCODER_DEBUG_TOKEN', fetch });
    expect((await copied.profile()).email).toBe(ADA.email);
    expect(sent.map((r) => new URL(r.url).pathname)).toEqual(['/api/users/currentUser']);
  });

  it('says so when the given cookie is not recognised, naming the cookie name used and where it came from', async () => {
    const mock = setup();
    const value = await copyOf(mock);
    const stale = await lowcoder({ baseUrl: mock.baseUrl, sessionCookie: '0123456789abcdef0123456789abcdef' }).profile().catch((e) => e);
    expect(stale).toBeInstanceOf(NotAuthenticatedError);
    expect(stale.reason).toBe('anonymous');
    expect(stale.message).toMatch(/session cookie given as `sessionCookie` was not recognised/);
    expect(stale.message).toMatch(/LOWCODER_CE_SELFHOST_TOKEN \(the name GET \/api\/configs gave\)/);
    const misnamed = await lowcoder({ baseUrl: mock.baseUrl, sessionCookie: value, cookieName: 'MY_TOKEN' }).profile().catch((e) => e);
    expect(misnamed).toBeInstanceOf(NotAuthenticatedError);
    expect(misnamed.message).toMatch(/MY_TOKEN \(the `cookieName` option\)/);
    expect(JSON.stringify(misnamed)).not.toContain(value);
    // After a login of its own, a refusal is about that session, not the given cookie.
    const relogged = lowcoder({ baseUrl: mock.baseUrl, sessionCookie: '0123456789abcdef0123456789abcdef' });
    expect((await relogged.profile().catch((e) => e)).message).toMatch(/sessionCookie/);
    await relogged.login(ADA);
    mock.state.sessions.clear();
    const dropped = await relogged.profile().catch((e) => e);
    expect(dropped.message).not.toMatch(/sessionCookie/);
  });
});

describe('Lowcoder passwords', () => {
  it('changePassword checks the old password and changes the caller’s; with an API key the key owner’s', async () => {
    const mock = setup();
    const client = lowcoder({ baseUrl: mock.baseUrl });
    await client.login(ADA);
    const wrong = await client.changePassword({ oldPassword: 'not-it', newPassword: 'n3w-Passw0rd!' }).catch((e) => e);
    expect(wrong).toBeInstanceOf(InvalidCredentialsError);
    expect(wrong).toMatchObject({ code: 5608, status: 403, operation: 'changePassword' });
    expect(JSON.stringify(wrong)).not.toContain('n3w-Passw0rd!');
    expect(await client.changePassword({ oldPassword: ADA.password, newPassword: 'n3w-Passw0rd!' })).toBeUndefined();
    const key = await client.createApiKey({ name: 'bot' });
    const bot = lowcoder({ baseUrl: mock.baseUrl, apiKey: key.token });
    await bot.changePassword({ oldPassword: 'n3w-Passw0rd!', newPassword: 'k3y-Passw0rd!' });
    expect((await lowcoder({ baseUrl: mock.baseUrl }).login({ ...ADA, password: 'k3y-Passw0rd!' })).signedIn).toBe(true);
    const empty = await client.changePassword({ oldPassword: '', newPassword: 'x' }).catch((e) => e);
    expect(empty).toBeInstanceOf(ConfigurationError);
  });

  it('requestPasswordReset always resolves; resetPassword sets the password with the mailed token', async () => {
    const mock = setup();
    const { sent, fetch } = recording();
    const client = lowcoder({ baseUrl: mock.baseUrl, fetch });
    expect(await client.requestPasswordReset({ email: 'nobody@example.com' })).toBeUndefined();
    expect(await client.requestPasswordReset({ email: ADA.email })).toBeUndefined();
    expect(sent.every((r) => r.headers.get('cookie') === null && r.headers.get('authorization') === null)).toBe(true);
    const token = mock.state.mailbox.get(ADA.email)!;
    const wrong = await client.resetPassword({ email: ADA.email, token: 'wrong-token', newPassword: 'r3set-Passw0rd' }).catch((e) => e);
    expect(wrong).toBeInstanceOf(InvalidCredentialsError);
    expect(wrong).toMatchObject({ code: 5002, message: 'Invalid token received for password reset request' });
    const unknown = await client.resetPassword({ email: 'nobody@example.com', token, newPassword: 'r3set-Passw0rd' }).catch((e) => e);
    expect(unknown).toBeInstanceOf(ApiError);
    expect(unknown.message).toMatch(/nothing changed/);
    expect(JSON.stringify([wrong, unknown])).not.toContain(token);
    expect(await client.resetPassword({ email: ADA.email, token, newPassword: 'r3set-Passw0rd' })).toBeUndefined();
    expect((await client.login({ ...ADA, password: 'r3set-Passw0rd' })).signedIn).toBe(true);
  });
});

describe('Lowcoder serverInfo', () => {
  it('reads GET /api/configs without sending any credential', async () => {
    const mock = setup({ registration: false });
    const { sent, fetch } = recording();
    const client = lowcoder({ baseUrl: mock.baseUrl, fetch });
    await client.login(ADA);
    const info = await client.serverInfo();
    expect(info).toMatchObject({ cookieName: 'LOWCODER_CE_SELFHOST_TOKEN', workspaceMode: 'ENTERPRISE' });
    expect(info.authConfigs).toEqual([{ id: 'EMAIL', source: 'EMAIL', sourceName: 'EMAIL', enable: true, enableRegister: false, authType: 'FORM' }]);
    expect(sent.at(-1)!.headers.get('cookie')).toBeNull();
  });
});

describe('Lowcoder sessionCookie then login()', () => {
  it('a client handed a cookie that logs in first keeps the new session, not the handed-in cookie', async () => {
    const mock = setup();
    const client = lowcoder({ baseUrl: mock.baseUrl, sessionCookie: 'stale-cookie-value-0000' });
    const session = await client.login({ email: 'ada@example.com', password: 's3cret-Passw0rd' });
    expect(session.signedIn).toBe(true);
    expect((await client.profile()).email).toBe('ada@example.com');
    expect(await client.credential()).not.toContain('stale-cookie-value-0000');
  });
});

describe('Lowcoder answers the contract does not allow', () => {
  it.each([[{}], [[]], ['EMAIL']])('a user whose userAuth is %j is an InvalidResponseError, not a user', async (userAuth) => {
    const { fetch } = recording(() => Response.json({ code: 1, message: '', data: { id: 'u1', name: 'Ada', userAuth }, success: true }));
    const error = await lowcoder({ baseUrl: 'https://lc.test', apiKey: 'key-123456', fetch }).profile().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidResponseError);
  });
});
