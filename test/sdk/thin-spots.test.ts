// Second, independent tests for behaviour that had a single killing test each:
// - a cookie session that ends (logout, a failed logout, a session the server refused) leaves no
//   cookie behind: the next request on a real socket carries no `Cookie` header; a failed second
//   login leaves the first session's cookie in place;
// - the exact expiry boundary on each platform: at `expiresAt - 1` the credential is sent, at
//   `expiresAt` it is not (and `expired` fires);
// - `api` calls to look-alike origins (suffixes, prefixes, userinfo, a trailing dot, another scheme
//   or port) carry no credential, while the client's own origin does.
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, type Emulator } from '../../src/emulators/index.js';
import { mockApostrophe, mockCoco, mockLowcoder, type PlatformMock } from '../../src/mocks/index.js';
import { InvalidCredentialsError, NotAuthenticatedError, apostrophe, coco, lowcoder, type AuthEvent } from '../../src/node.js';
import { createApi } from '../../src/api.js';

const LOWCODER_USER = { email: 'ada@example.com', password: 's3cret-Passw0rd' };
const APOSTROPHE_USER = { username: 'admin', password: 's3cret-Passw0rd' };
const COCO_USER = { email: 'admin@example.com', password: 's3cret-Passw0rd!' };
const APOSTROPHE_KEY = 'thin-spots-key-31c9';

// ───────────────────────────── cookies after a session ends ─────────────────────────────

/** What the emulator's socket received: path and the raw `Cookie` header. */
interface Wire {
  path: string;
  cookie: string | undefined;
}

interface CookieSite {
  emulator: Emulator;
  wire: Wire[];
  mock: PlatformMock<unknown>;
}

async function cookieSite(mock: PlatformMock<unknown>): Promise<CookieSite> {
  const wire: Wire[] = [];
  const extra = (req: IncomingMessage) => {
    wire.push({ path: (req.url ?? '/').replace(/\?.*/, ''), cookie: req.headers.cookie });
    return false;
  };
  return { emulator: await serve(mock, { extra }), wire, mock };
}

interface CookiePlatform {
  /** A signed-in cookie-mode client on the emulator. */
  signIn(baseUrl: string): Promise<{ profile(): Promise<unknown>; logout(): Promise<{ serverRevoked: boolean; error?: unknown }>; credential(): Promise<string | undefined> }>;
  profilePath: string;
  logoutPath: string;
  /** The session cookie's name, seen on the wire while signed in. */
  cookie: RegExp;
  /** Ends every session on the server. */
  expire(mock: PlatformMock<unknown>): void;
  /** Logs the same client in again with `password`. */
  signInAgain(client: unknown, password: string): Promise<unknown>;
}

const COOKIE_PLATFORMS: Record<string, { make: () => PlatformMock<unknown>; platform: CookiePlatform }> = {
  lowcoder: {
    make: () => mockLowcoder() as PlatformMock<unknown>,
    platform: {
      async signIn(baseUrl) {
        const c = lowcoder({ baseUrl, maxRetries: 0 });
        await c.login(LOWCODER_USER);
        return c;
      },
      profilePath: '/api/users/currentUser',
      logoutPath: '/api/auth/logout',
      cookie: /LOWCODER_CE_SELFHOST_TOKEN=/,
      expire: (mock) => mock.clock.advance(86_400_000 + 1000),
      signInAgain: (client, password) => (client as ReturnType<typeof lowcoder>).login({ ...LOWCODER_USER, password }),
    },
  },
  apostrophe: {
    make: () => mockApostrophe() as PlatformMock<unknown>,
    platform: {
      async signIn(baseUrl) {
        const c = apostrophe({ baseUrl, mode: 'cookie', maxRetries: 0 });
        await c.login(APOSTROPHE_USER);
        return c;
      },
      profilePath: '/api/v1/@apostrophecms/login/whoami',
      logoutPath: '/api/v1/@apostrophecms/login/logout',
      cookie: /apos\.sid=/,
      expire: (mock) => (mock.state as { sessions: Map<string, unknown> }).sessions.clear(),
      signInAgain: (client, password) => (client as ReturnType<typeof apostrophe>).login({ ...APOSTROPHE_USER, password }),
    },
  },
  coco: {
    make: () => mockCoco() as PlatformMock<unknown>,
    platform: {
      async signIn(baseUrl) {
        const c = coco({ baseUrl, mode: 'cookie', maxRetries: 0 });
        await c.login(COCO_USER);
        return c;
      },
      profilePath: '/account/profile',
      logoutPath: '/account/logout',
      cookie: /INFINI-SESSION-\w+=/,
      expire: (mock) => mock.clock.advance(86_400_000 + 1000),
      signInAgain: (client, password) => (client as ReturnType<typeof coco>).login({ ...COCO_USER, password }),
    },
  },
};

describe.each(Object.keys(COOKIE_PLATFORMS))('%s cookie session in Node: no Cookie on the wire once it ended', (name) => {
  const { make, platform } = COOKIE_PLATFORMS[name]!;
  let site: CookieSite;
  beforeAll(async () => {
    site = await cookieSite(make());
  });
  afterAll(() => site?.emulator.close());

  /** The `Cookie` header of the last request to `path`. */
  const lastCookie = (path: string) => site.wire.filter((w) => w.path.endsWith(path)).at(-1)?.cookie;

  /** Signs in and checks the session cookie does travel, so its absence later means something. */
  async function signedIn() {
    const client = await platform.signIn(site.emulator.url);
    await client.profile();
    expect(lastCookie(platform.profilePath)).toMatch(platform.cookie);
    return client;
  }

  it('after logout()', async () => {
    const client = await signedIn();
    expect((await client.logout()).error).toBeUndefined();
    expect(lastCookie(platform.logoutPath)).toMatch(platform.cookie);
    const mark = site.wire.length;
    await expect(client.profile()).rejects.toBeInstanceOf(NotAuthenticatedError);
    expect(site.wire.slice(mark).map((w) => w.path)).toEqual([expect.stringMatching(new RegExp(`${platform.profilePath}$`))]);
    expect(lastCookie(platform.profilePath)).toBeUndefined();
    expect(await client.credential()).toBeUndefined();
  });

  it('after a logout whose server call failed', async () => {
    const client = await signedIn();
    site.mock.faults.inject({ path: platform.logoutPath, networkError: true, times: Infinity });
    try {
      expect((await client.logout()).error).toBeDefined();
    } finally {
      site.mock.faults.clear();
    }
    const mark = site.wire.length;
    await expect(client.profile()).rejects.toBeInstanceOf(NotAuthenticatedError);
    expect(site.wire.length).toBeGreaterThan(mark);
    expect(lastCookie(platform.profilePath)).toBeUndefined();
  });

  it('is still the first session after a second login that failed', async () => {
    const client = await signedIn();
    const before = lastCookie(platform.profilePath);
    await expect(platform.signInAgain(client, 'wrong-password')).rejects.toBeInstanceOf(InvalidCredentialsError);
    await client.profile();
    expect(lastCookie(platform.profilePath)).toBe(before);
    await client.logout();
  });

  it('after the server refused the session (expired)', async () => {
    const client = await signedIn();
    platform.expire(site.mock);
    await expect(client.profile()).rejects.toBeInstanceOf(NotAuthenticatedError);
    const mark = site.wire.length;
    await expect(client.profile()).rejects.toBeInstanceOf(NotAuthenticatedError);
    expect(site.wire.length).toBeGreaterThan(mark);
    expect(lastCookie(platform.profilePath)).toBeUndefined();
  });
});

describe('logout and a shared store', () => {
  it('erases the session from the store, so a client sharing it is not signed in either', async () => {
    const values = new Map<string, string>();
    const store = { get: (k: string) => values.get(k), set: (k: string, v: string) => void values.set(k, v), delete: (k: string) => void values.delete(k) };
    const mock = mockCoco();
    const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => mock.handle(new Request(input, init))) as typeof globalThis.fetch;
    const client = coco({ baseUrl: mock.baseUrl, fetch, store });
    await client.login(COCO_USER);
    expect(values.size).toBe(1);
    await client.logout();
    expect(values.size).toBe(0);
    expect((await coco({ baseUrl: mock.baseUrl, fetch, store }).session()).signedIn).toBe(false);
  });
});

// ───────────────────────────── the expiry boundary ─────────────────────────────

/** The credential a request carried, whatever the mode. */
const credentialOf = (request: Request) =>
  request.headers.get('authorization') ?? request.headers.get('x-api-token') ?? request.headers.get('cookie') ?? undefined;

interface Boundary {
  /** A signed-in client whose clock is `clock.now`, its requests recorded. */
  signIn(clock: { now: number }, sent: Request[]): Promise<{
    profile(): Promise<unknown>;
    session(): Promise<{ signedIn: boolean; expiresAt?: Date }>;
    on(event: AuthEvent, listener: () => void): () => void;
  }>;
}

/** A fetch that records each request and lets the mock answer it. */
const through = (mock: { handle(request: Request): Promise<Response> }, sent: Request[]) =>
  (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    sent.push(request.clone());
    return mock.handle(request);
  }) as typeof globalThis.fetch;

const BOUNDARIES: Record<string, Boundary> = {
  'lowcoder cookie (Max-Age)': {
    async signIn(clock, sent) {
      const mock = mockLowcoder();
      const c = lowcoder({ baseUrl: mock.baseUrl, fetch: through(mock, sent), now: () => clock.now, maxRetries: 0 });
      await c.login(LOWCODER_USER);
      return c;
    },
  },
  'apostrophe bearer (bearerLifetime)': {
    async signIn(clock, sent) {
      const mock = mockApostrophe();
      const c = apostrophe({ baseUrl: mock.baseUrl, fetch: through(mock, sent), now: () => clock.now, maxRetries: 0, bearerLifetime: 3600 });
      await c.login(APOSTROPHE_USER);
      return c;
    },
  },
  'coco bearer (expire_in)': {
    async signIn(clock, sent) {
      const mock = mockCoco();
      const c = coco({ baseUrl: mock.baseUrl, fetch: through(mock, sent), now: () => clock.now, maxRetries: 0 });
      await c.login(COCO_USER);
      return c;
    },
  },
  'coco cookie (expire_in)': {
    async signIn(clock, sent) {
      const mock = mockCoco();
      const c = coco({ baseUrl: mock.baseUrl, fetch: through(mock, sent), now: () => clock.now, maxRetries: 0, mode: 'cookie' });
      await c.login(COCO_USER);
      return c;
    },
  },
};

describe.each(Object.keys(BOUNDARIES))('expiry boundary: %s', (name) => {
  it('at expiresAt - 1 the credential is sent; at expiresAt it is not, and `expired` fires', async () => {
    // The mock servers' clocks stay put: only the client's clock moves, so the server would accept the credential.
    const clock = { now: Date.now() };
    const sent: Request[] = [];
    const client = await BOUNDARIES[name]!.signIn(clock, sent);
    const expiresAt = (await client.session()).expiresAt?.getTime();
    expect(expiresAt).toBeGreaterThan(clock.now);
    const events: string[] = [];
    client.on('expired', () => events.push('expired'));

    clock.now = expiresAt! - 1;
    await client.profile();
    expect(credentialOf(sent.at(-1)!)).toBeDefined();
    expect(events).toEqual([]);
    expect((await client.session()).signedIn).toBe(true);

    clock.now = expiresAt!;
    const mark = sent.length;
    await expect(client.profile()).rejects.toBeInstanceOf(NotAuthenticatedError);
    expect(sent.length).toBe(mark + 1);
    expect(credentialOf(sent.at(-1)!)).toBeUndefined();
    expect(events).toEqual(['expired']);
    expect((await client.session()).signedIn).toBe(false);
  });
});

// ───────────────────────────── look-alike origins ─────────────────────────────

const HOST = 'https://host.example';
const LOOK_ALIKES = [
  'https://host.evil.example',
  'https://host.example.evil',
  'https://host.example.evil.example',
  'https://evil-host.example',
  'https://evilhost.example',
  'https://host.example@evil.example',
  'https://host.example:443@evil.example',
  'https://user:pass@evil.example',
  'https://evil.example/https://host.example',
  'https://host.example.',
  'http://host.example',
  'https://host.example:8443',
];

interface Keyed {
  label: string;
  /** A client on HOST holding a credential; `own` is the mock answering HOST. */
  make(fetch: typeof globalThis.fetch): Promise<{ api(baseUrl?: string): Promise<unknown> }>;
  mock: { handle(request: Request): Promise<Response> };
}

const lookAlikeMocks = {
  lowcoder: mockLowcoder({ baseUrl: HOST }),
  apostrophe: mockApostrophe({ baseUrl: HOST, apiKeys: { [APOSTROPHE_KEY]: { role: 'admin' } } }),
  coco: mockCoco({ baseUrl: HOST }),
};

const KEYED: Keyed[] = [
  {
    label: 'lowcoder cookie',
    mock: lookAlikeMocks.lowcoder,
    async make(fetch) {
      const c = lowcoder({ baseUrl: HOST, fetch });
      await c.login(LOWCODER_USER);
      return { api: (baseUrl) => createApi(c).GET('/api/users/me', baseUrl ? { baseUrl } : {}) };
    },
  },
  {
    label: 'lowcoder API key',
    mock: lookAlikeMocks.lowcoder,
    async make(fetch) {
      const c = lowcoder({ baseUrl: HOST, fetch, apiKey: 'lowcoder-key-d00d' });
      return { api: (baseUrl) => createApi(c).GET('/api/users/me', baseUrl ? { baseUrl } : {}) };
    },
  },
  ...(['bearer', 'cookie'] as const).map(
    (mode): Keyed => ({
      label: `apostrophe ${mode}`,
      mock: lookAlikeMocks.apostrophe,
      async make(fetch) {
        const c = apostrophe({ baseUrl: HOST, fetch, mode });
        await c.login(APOSTROPHE_USER);
        return { api: (baseUrl) => createApi(c).GET('/api/v1/@apostrophecms/login/whoami', baseUrl ? { baseUrl } : {}) };
      },
    }),
  ),
  ...(['header', 'query'] as const).map(
    (apiKeyIn): Keyed => ({
      label: `apostrophe API key (${apiKeyIn})`,
      mock: lookAlikeMocks.apostrophe,
      async make(fetch) {
        const c = apostrophe({ baseUrl: HOST, fetch, apiKey: APOSTROPHE_KEY, apiKeyIn });
        return { api: (baseUrl) => createApi(c).GET('/api/v1/@apostrophecms/login/whoami', baseUrl ? { baseUrl } : {}) };
      },
    }),
  ),
  ...(['bearer', 'cookie'] as const).map(
    (mode): Keyed => ({
      label: `coco ${mode}`,
      mock: lookAlikeMocks.coco,
      async make(fetch) {
        const c = coco({ baseUrl: HOST, fetch, mode });
        await c.login(COCO_USER);
        return { api: (baseUrl) => createApi(c).GET('/account/profile', baseUrl ? { baseUrl } : {}) };
      },
    }),
  ),
  {
    label: 'coco API key',
    mock: lookAlikeMocks.coco,
    async make(fetch) {
      const c = coco({ baseUrl: HOST, fetch, apiKey: 'coco-token-beef' });
      return { api: (baseUrl) => createApi(c).GET('/account/profile', baseUrl ? { baseUrl } : {}) };
    },
  },
];

/** The credentials a request carries: headers and an `apikey` query. */
const credentialsIn = (request: Request) => [
  ...['authorization', 'cookie', 'x-api-token'].filter((h) => request.headers.has(h)),
  ...(new URL(request.url).searchParams.has('apikey') ? ['apikey'] : []),
];

describe.each(KEYED.map((k) => [k.label, k] as const))('%s: `api` to a look-alike origin carries no credential', (_, keyed) => {
  it.each(LOOK_ALIKES)('%s', async (other) => {
    const sent: Request[] = [];
    const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      sent.push(request.clone());
      return new URL(request.url).origin === HOST ? keyed.mock.handle(request) : Response.json({});
    }) as typeof globalThis.fetch;
    const client = await keyed.make(fetch);
    await client.api();
    // Control: the own origin gets the credential.
    expect(credentialsIn(sent.at(-1)!)).not.toEqual([]);
    const mark = sent.length;
    const outcome = await client.api(other).catch((error: unknown) => error);
    // fetch refuses a URL with userinfo: `api` says so with a typed error, and nothing leaves at all.
    const userinfo = new URL(other).username !== '';
    if (userinfo) expect(outcome).toMatchObject({ name: 'ConfigurationError', message: expect.stringMatching(/user name or password/) });
    expect(sent).toHaveLength(userinfo ? mark : mark + 1);
    for (const request of sent.slice(mark)) {
      expect(new URL(request.url).origin).not.toBe(HOST);
      expect(credentialsIn(request)).toEqual([]);
    }
  });
});
