import { describe, expect, it } from 'vitest';
import { mockCoco } from '../../src/mocks/index.js';
import { ApiError, ForbiddenError, InvalidCredentialsError, NotAuthenticatedError, coco } from '../../src/node.js';
import { recording } from '../support/fetch.js';
import { useMsw } from '../support/msw.js';

const server = useMsw();
const ADMIN = { email: 'admin@example.com', password: 's3cret-Passw0rd!' };

function setup(options: Parameters<typeof mockCoco>[0] = {}) {
  const mock = mockCoco(options);
  server.use(...mock.handlers);
  return mock;
}

/** A fetch answering every request with one canned response (no network). */
const answering = (body: unknown, init: ResponseInit = {}) =>
  (async () =>
    new Response(typeof body === 'string' ? body : JSON.stringify(body), {
      ...init,
      headers: { 'content-type': 'application/json; charset=utf-8', ...(init.headers as Record<string, string>) },
    })) as typeof fetch;

describe('Coco bearer mode', () => {
  it('logs in, keeps the JWT, and takes expiresAt from expire_in (a Unix time)', async () => {
    const mock = setup();
    const { sent, fetch } = recording();
    const client = coco({ baseUrl: mock.baseUrl, fetch, now: mock.clock.now });
    const session = await client.login(ADMIN);
    expect(session).toMatchObject({ mode: 'bearer', user: { email: ADMIN.email, name: 'admin' } });
    expect(session.expiresAt?.getTime()).toBe((Math.floor(mock.clock.now() / 1000) + 86400) * 1000);
    expect(await sent[0]!.json()).toEqual({ email: ADMIN.email, login: ADMIN.email, password: ADMIN.password });
    expect(sent[1]!.headers.get('authorization')).toMatch(/^Bearer ey/);
    expect(sent[1]!.headers.get('cookie')).toBeNull();
  });

  it('reads expire_in as a duration when a server sends one (older docs)', async () => {
    const now = Date.UTC(2026, 10, 23);
    const client = coco({
      baseUrl: 'https://coco.test',
      now: () => now,
      fetch: (async (input: RequestInfo | URL) =>
        String(input).endsWith('/account/login')
          ? Response.json({ access_token: 'opaque', expire_in: 86400, status: 'ok', id: 'u1', username: 'admin' })
          : Response.json({ id: 'u1' })) as typeof fetch,
    });
    expect((await client.login(ADMIN)).expiresAt?.getTime()).toBe(now + 86_400_000);
  });

  it('says the JWT stays valid after logout (logout is local for bearer clients)', async () => {
    const mock = setup();
    const client = coco({ baseUrl: mock.baseUrl });
    await client.login(ADMIN);
    const jwt = (await client.credential())!;
    expect(await client.logout()).toEqual({ serverRevoked: false });
    expect((await coco({ baseUrl: mock.baseUrl, token: jwt }).profile()).email).toBe(ADMIN.email);
  });

  it('maps the failed login (403 failed to login) to InvalidCredentialsError', async () => {
    const mock = setup();
    const error = await coco({ baseUrl: mock.baseUrl }).login({ ...ADMIN, password: 'nope-wrong' }).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidCredentialsError);
    expect(error).toMatchObject({ status: 403, code: 'failed to login' });
  });

  it('reads both error shapes: {status, error: {reason}} and the panic {error: {status, reason}}', async () => {
    const handler = coco({ baseUrl: 'https://coco.test', token: 't', fetch: answering({ status: 404, error: { reason: 'access token not found' } }, { status: 404 }) });
    expect(await handler.deleteApiKey('x').catch((e) => e)).toMatchObject({ name: 'ApiError', code: 'access token not found', status: 404 });
    const panic = coco({
      baseUrl: 'https://coco.test',
      token: 't',
      maxRetries: 0,
      fetch: answering('{"error":{"status":500,"reason":"invalid permissions"}}', { status: 500, headers: { 'content-type': 'text/plain; charset=utf-8' } }),
    });
    const error = await panic.renameApiKey('x', 'y').catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'invalid permissions', message: 'invalid permissions', status: 500 });
  });
});

describe('Coco cookie mode', () => {
  it('relies on the INFINI-SESSION cookie and does not keep the JWT', async () => {
    const mock = setup();
    const { sent, fetch } = recording();
    const client = coco({ baseUrl: mock.baseUrl, mode: 'cookie', fetch });
    await client.login(ADMIN);
    expect(await client.credential()).toMatch(/^INFINI-SESSION-csb7e0kq50k4c8o7rnb0=/);
    await client.profile();
    expect(sent.at(-1)!.headers.get('authorization')).toBeNull();
    expect(sent.at(-1)!.headers.get('cookie')).toMatch(/^INFINI-SESSION-/);
    const cookie = (await client.credential())!;
    // The cookie carries the JWT: logout only empties the jar.
    expect(await client.logout()).toEqual({ serverRevoked: false });
    // Coco revokes nothing: the cookie carries the JWT, so a copy still works.
    const copy = await mock.handle(new Request(`${mock.baseUrl}/account/profile`, { headers: { cookie } }));
    expect(copy.status).toBe(200);
  });
});

describe('Coco API tokens', () => {
  it('creates, lists (masked), renames and deletes tokens; a deleted token stops working at once', async () => {
    const mock = setup();
    const client = coco({ baseUrl: mock.baseUrl, now: mock.clock.now });
    await client.login(ADMIN);
    const created = await client.createApiKey({ name: 'ci', permissions: ['coco#search/search'] });
    expect(created.token).toHaveLength(84);
    expect(created.expiresAt?.getTime()).toBe((Math.floor(mock.clock.now() / 1000) + 365 * 86400) * 1000);
    const { sent, fetch } = recording();
    const bot = coco({ baseUrl: mock.baseUrl, apiKey: created.token, fetch });
    expect((await bot.profile()).permissions).toEqual(['coco#search/search']);
    expect(sent[0]!.headers.get('x-api-token')).toBe(created.token);
    expect(sent[0]!.headers.get('authorization')).toBeNull();
    expect(await client.listApiKeys({ query: 'ci' })).toEqual({
      total: 1,
      keys: [{ id: created.id, name: 'ci', description: '', permissions: ['coco#search/search'], expiresAt: created.expiresAt }],
    });
    await client.renameApiKey(created.id!, 'ci-renamed');
    expect((await client.listApiKeys()).keys[0]?.name).toBe('ci-renamed');
    await client.deleteApiKey(created.id!);
    await expect(bot.profile()).rejects.toBeInstanceOf(NotAuthenticatedError);
  });

  it('maps a missing permission (403) to ForbiddenError', async () => {
    const mock = setup();
    const owner = coco({ baseUrl: mock.baseUrl });
    await owner.login(ADMIN);
    const limited = await owner.createApiKey({ permissions: ['coco#search/search'] });
    const error = await coco({ baseUrl: mock.baseUrl, apiKey: limited.token }).createApiKey().catch((e) => e);
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(error.code).toBe('permission [[generic#security:auth:api-token/create]] not allowed');
  });

  it('a token past its 365 days is refused', async () => {
    const mock = setup();
    const owner = coco({ baseUrl: mock.baseUrl });
    await owner.login(ADMIN);
    const { token } = await owner.createApiKey();
    mock.clock.advance(366 * 86_400_000);
    await expect(coco({ baseUrl: mock.baseUrl, apiKey: token }).profile()).rejects.toBeInstanceOf(NotAuthenticatedError);
  });

  it('accepts servers before 0.11 that return no _id', async () => {
    const client = coco({ baseUrl: 'https://coco.test', token: 't', fetch: answering({ access_token: 'tok', expire_in: 1795484800 }) });
    expect(await client.createApiKey()).toEqual({ token: 'tok', expiresAt: new Date(1795484800_000) });
  });
});

describe('Coco passwords and server info', () => {
  it('changePassword checks the old password; with an API token it changes the owner’s; sessions stay valid', async () => {
    const mock = setup();
    const client = coco({ baseUrl: mock.baseUrl });
    await client.login(ADMIN);
    const wrong = await client.changePassword({ oldPassword: 'not-it', newPassword: 'n3w-Passw0rd!' }).catch((e) => e);
    expect(wrong).toBeInstanceOf(InvalidCredentialsError);
    expect(wrong).toMatchObject({ status: 403, code: 'failed to login', operation: 'changePassword' });
    expect(wrong.message).toMatch(/old password/);
    expect(await client.changePassword({ oldPassword: ADMIN.password, newPassword: 'n3w-Passw0rd!' })).toBeUndefined();
    expect((await client.profile()).email).toBe(ADMIN.email);
    const { token } = await client.createApiKey({ name: 'bot' });
    await coco({ baseUrl: mock.baseUrl, apiKey: token }).changePassword({ oldPassword: 'n3w-Passw0rd!', newPassword: 't0ken-Passw0rd!' });
    expect((await coco({ baseUrl: mock.baseUrl }).login({ ...ADMIN, password: 't0ken-Passw0rd!' })).signedIn).toBe(true);
  });

  it('serverInfo reads GET /setting/application without a credential', async () => {
    const mock = setup();
    const { sent, fetch } = recording();
    const client = coco({ baseUrl: mock.baseUrl, fetch });
    await client.login(ADMIN);
    const info = await client.serverInfo();
    expect(info).toMatchObject({ setup_required: false, security: { managed: false, auth: { native: true, access_token: true } } });
    expect(sent.at(-1)!.headers.get('authorization')).toBeNull();
  });
});

describe('the browser entry outside browsers (edge workers load it): cookie sessions', () => {
  it('keep their cookies in a jar from createCookieJar(), which brings the code driving it', async () => {
    const { coco: browserCoco } = await import('../../src/index.js');
    const { createCookieJar } = await import('../../src/cookie-jar.js');
    const mock = setup();
    const { sent, fetch } = recording();
    const client = browserCoco({ baseUrl: mock.baseUrl, mode: 'cookie', cookies: createCookieJar(), fetch });
    await client.login(ADMIN);
    expect(await client.profile()).toMatchObject({ email: ADMIN.email });
    expect(sent.at(-1)!.headers.get('cookie')).toMatch(/INFINI-SESSION/i);
    expect(await client.credential()).toMatch(/INFINI-SESSION/i);
  });

  it('with a jar of your own: a ConfigurationError that says what to pass', async () => {
    const { coco: browserCoco } = await import('../../src/index.js');
    const mock = setup();
    const own = { header: async () => '', store: async () => false, export: async () => [], load: async () => {}, clear: async () => {} };
    const error = await browserCoco({ baseUrl: mock.baseUrl, mode: 'cookie', cookies: own })
      .login(ADMIN)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ConfigurationError', message: expect.stringContaining('createCookieJar()') });
  });
});

describe('credentials the client was issued stay secret after it dropped them', () => {
  it('a token from a login whose check failed is scrubbed from a later error that echoes it', async () => {
    const { inspect } = await import('node:util');
    const TOKEN = 'iss-Tok+/&=@~ c0de';
    const answers: (() => Response)[] = [
      () => Response.json({ access_token: TOKEN, expire_in: 2_000_000_000, status: 'ok' }),
      () => Response.json({ status: 0, error: { reason: 'no' } }, { status: 401 }),
      () => {
        throw new TypeError(`socket hang up near ${TOKEN}`);
      },
    ];
    const fetch = (async () => answers.shift()!()) as typeof globalThis.fetch;
    const client = coco({ baseUrl: 'https://coco.test', fetch, maxRetries: 0, getCredentials: () => ADMIN });
    const failedLogin = await client.login(ADMIN).catch((e: unknown) => e);
    const failedCall = await client.profile().catch((e: unknown) => e);
    expect(answers).toEqual([]);
    expect(failedCall).toMatchObject({ name: 'NetworkError' });
    for (const error of [failedLogin, failedCall]) {
      expect(inspect(error, { depth: Infinity })).not.toContain(TOKEN);
      expect(JSON.stringify(error)).not.toContain(TOKEN);
    }
  });
});
