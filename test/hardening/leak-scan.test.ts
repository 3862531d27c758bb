// Secret-leak scan: every flow on every platform runs with recognisable secrets, and everything the
// SDK returns, throws, logs or emits is searched for them — and for every credential the server
// issued along the way. Only `createApiKey` (the new key) and `credential()` may hand a secret
// back, because the caller asked for exactly that.
import { describe, expect, it } from 'vitest';
import {
  AuthwireError,
  InvalidCredentialsError,
  NetworkError,
  NotAuthenticatedError,
  RateLimitedError,
  apostrophe,
  coco,
  lowcoder,
  type AuthEvent,
  type LogoutResult,
  type SessionInfo,
} from '../../src/node.js';
import { createApi } from '../../src/api.js';
import { ENCODED, HEADER_SAFE, encodings } from '../support/encodings.js';
import { credentialForms, rendered } from '../support/exposure.js';
import { LOGIN_NAMES, seededApostrophe, seededCoco, seededLowcoder } from '../support/seeded-mocks.js';

// Distinct markers, so a leak names its secret. Each holds characters that encoding changes (a space,
// `+ / & = @`, `~ ( ! )`, and in passwords a non-ASCII letter; header and cookie credentials stay
// printable ASCII without spaces), so a secret echoed percent- or form-encoded is still recognised.
const PASSWORD = `PASSWORD marker${ENCODED}4d1e`;
const WRONG_PASSWORD = `WRONGPASS marker${ENCODED}77ab`;
const API_KEY = `APIKEY-marker${HEADER_SAFE}2c9f`;
const TOKEN = `TOKEN-marker${HEADER_SAFE}e5a0`;
const COOKIE = `COOKIE-marker${HEADER_SAFE}b813`;
const MARKERS = [PASSWORD, WRONG_PASSWORD, API_KEY, TOKEN, COOKIE];

// ───────────────────────────── the scanner ─────────────────────────────

/**
 * `text` holds `secret` in any form: raw, percent-encoded both ways (and in lower-case hex),
 * form-encoded, base64 and base64url, or as a URL writes it in a path or query.
 */
const shows = (text: string, secret: string) => credentialForms(secret).some((form) => text.includes(form));

/**
 * Everything a value shows when printed, serialised or logged: `String`, `util.inspect`,
 * `JSON.stringify`, and for errors every own field (`requestId`, `code`, …), `toJSON()` and the
 * whole cause chain.
 */
const exposed = (value: unknown): string => rendered(value);

/** Records what the SDK hands out during a flow and the secrets in play; reports the leaks. */
function scanner() {
  const seen: { label: string; text: string }[] = [];
  const secrets = new Set<string>(MARKERS);
  const sources: (() => Iterable<string>)[] = [];
  // Sessions and tokens vanish from the server at logout: gather them after every step.
  const gather = () => {
    for (const source of sources) for (const secret of source()) if (secret.length > 3) secrets.add(secret);
  };
  const record = (label: string, value: unknown) => {
    gather();
    seen.push({ label, text: exposed(value) });
  };
  /** The store every client of the flow writes to: its values are scanned without `secret` and `cookies`. */
  const stored = new Map<string, string>();
  let clients = 0;
  const store = {
    get: (key: string) => stored.get(key),
    set: (key: string, value: string) => {
      stored.set(key, value);
      const { secret: _secret, cookies: _cookies, ...rest } = JSON.parse(value) as Record<string, unknown>;
      record(`store ${key}`, rest);
    },
    delete: (key: string) => void stored.delete(key),
  };
  return {
    logger: {
      debug: (line: string) => record('logger.debug', line),
      warn: (line: string) => record('logger.warn', line),
    },
    store,
    /** A storage key of its own per client: clients sharing a key would share their session. */
    key: () => `leak-scan:${++clients}`,
    record,
    /** Watches a server's credentials (sessions, tokens, keys) as secrets. */
    watch(source: () => Iterable<string>) {
      sources.push(source);
    },
    /** A secret the caller asked for (a new key, `credential()`): not scanned there, watched for everywhere else. */
    secret(value: string | undefined) {
      if (value) secrets.add(value);
    },
    /** Runs a step, records its value or error, and returns the outcome. */
    async step<T>(label: string, promise: Promise<T>): Promise<{ value?: T; error?: unknown }> {
      try {
        const value = await promise;
        record(label, value);
        return { value };
      } catch (error) {
        record(`${label} (thrown)`, error);
        return { error };
      }
    },
    /** `secret in label` for every secret found where the caller did not ask for it. */
    leaks() {
      gather();
      return seen.flatMap(({ label, text }) => [...secrets].filter((s) => shows(text, s)).map((s) => `${s} in ${label}`));
    },
    get steps() {
      return seen.map((s) => s.label);
    },
  };
}
type Scanner = ReturnType<typeof scanner>;

// ───────────────────────────── transport ─────────────────────────────

/**
 * What an echoing server or a chatty fetch error quotes: URL (and its decoded query values),
 * credential headers and body — raw, percent-encoded and form-encoded, as servers quote them.
 */
async function echoOf(request: Request) {
  const headers = ['authorization', 'cookie', 'x-api-token'].map((h) => `${h}=${request.headers.get(h) ?? ''}`);
  const query = [...new URL(request.url).searchParams.values()].join(' ');
  const body = await request.clone().text();
  const raw = `${request.method} ${request.url} ${query} ${headers.join(' ')} ${body}`;
  // Each credential value alone in every form too (base64 and lower-case hex of a whole line would not contain them).
  const values = [
    (request.headers.get('authorization') ?? '').replace(/^\S+\s+/, ''),
    request.headers.get('x-api-token') ?? '',
    ...(request.headers.get('cookie') ?? '').split(/;\s*/).map((pair) => pair.slice(pair.indexOf('=') + 1)),
    ...new URL(request.url).searchParams.values(),
    ...[...body.matchAll(/"password":"((?:[^"\\]|\\.)*)"/g)].map((m) => JSON.parse(`"${m[1]}"`) as string),
  ].filter((v) => v.length > 3);
  return [...encodings(raw), ...values.flatMap(credentialForms)].join(' | ');
}

/** The echo as a header value can carry it (Latin-1, no line breaks), for `x-request-id`. */
const asHeader = (echo: string) => echo.replace(/[^\x20-\xff]/g, '?');

/** Answers a request instead of the mock (or throws, as a failing fetch does); undefined passes it on. */
type Rule = (request: Request) => Promise<Response | undefined>;

/** A fetch in front of a mock that records every request and lets a flow replace answers. */
function transport(mock: { handle(request: Request): Promise<Response> }) {
  const requests: Request[] = [];
  const rules: Rule[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    requests.push(request.clone());
    for (const rule of rules) {
      const answer = await rule(request);
      if (answer) return answer;
    }
    return mock.handle(request);
  };
  return { fetch, requests, rules };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** A rule for the next request to `path` (and `method`); `answer` gets the request's echo. */
function once(path: string, answer: (echo: string) => Response, method?: string): Rule {
  let used = false;
  return async (request) => {
    if (used || !new URL(request.url).pathname.endsWith(path) || (method && request.method !== method)) return undefined;
    used = true;
    const echo = await echoOf(request);
    const response = answer(echo);
    // A proxy in front reflects the request into the request id as well.
    response.headers.set('x-request-id', asHeader(echo));
    return response;
  };
}

// ───────────────────────────── platforms ─────────────────────────────

type Mode = 'bearer' | 'cookie';
/** A credential handed to the client instead of a login. */
type Initial = 'apiKey' | 'apiKeyQuery' | 'token' | 'sessionCookie';

/** One platform's client, driven uniformly. */
interface Client {
  login(password: string): Promise<SessionInfo<unknown>>;
  profile(): Promise<unknown>;
  logout(): Promise<LogoutResult>;
  session(): Promise<SessionInfo<unknown>>;
  credential(): Promise<string | undefined>;
  /** `api` GET of a read-only path, at the client's base URL or another one. */
  api(baseUrl?: string): Promise<unknown>;
}

interface ClientOptions {
  mode?: Mode;
  initial?: Initial;
  /** A credentials callback for re-login, with the right or a wrong password. */
  relogin?: 'right' | 'wrong';
}

/** A platform mock, its transport, and clients wired to the scanner. */
interface World {
  baseUrl: string;
  transport: ReturnType<typeof transport>;
  paths: { login: string; profile: string; logout: string };
  modes: Mode[];
  initials: Initial[];
  client(options?: ClientOptions): Client;
  /** Every session issued so far expires on the server. */
  expire(): void;
  /** An error answer in the platform's shape carrying `text`. */
  error(status: number, text: string): Response;
  /** The platform's wrong-password answer, its message carrying `text`. */
  refusal(text: string): Response;
  /** The API-key flow where the platform has one: create, use from a second client, list, delete. */
  keys?(): Promise<void>;
}

const CALLBACK = (relogin: ClientOptions['relogin']) => (relogin === 'wrong' ? WRONG_PASSWORD : PASSWORD);

function lowcoderWorld(scan: Scanner): World {
  const { email } = LOGIN_NAMES.lowcoder;
  const { mock, issued } = seededLowcoder(PASSWORD);
  const t = transport(mock);
  // A session the user copied from a browser, under a recognisable value.
  mock.state.sessions.set(COOKIE, { userId: [...mock.state.users.keys()][0]!, expiresAt: mock.clock.now() + 86_400_000 });
  scan.watch(issued);
  const base = { baseUrl: mock.baseUrl, fetch: t.fetch, maxRetries: 0, logger: scan.logger, store: scan.store };
  const make = (options: ClientOptions = {}) => {
    const c = lowcoder({
      ...base,
      storageKey: scan.key(),
      ...(options.initial === 'sessionCookie' ? { sessionCookie: COOKIE } : {}),
      ...(options.relogin ? { getCredentials: () => ({ email, password: CALLBACK(options.relogin) }) } : {}),
    });
    for (const event of EVENTS) c.on(event, (info) => scan.record(`event ${event}`, info));
    return c;
  };
  return {
    baseUrl: mock.baseUrl,
    transport: t,
    paths: { login: '/api/auth/form/login', profile: '/api/users/currentUser', logout: '/api/auth/logout' },
    modes: ['cookie'],
    initials: ['sessionCookie'],
    client(options) {
      const c = make(options);
      return {
        login: (password) => c.login({ email, password }),
        profile: () => c.profile(),
        logout: () => c.logout(),
        session: () => c.session(),
        credential: () => c.credential(),
        api: async (baseUrl) => (await createApi(c).GET('/api/users/me', baseUrl ? { baseUrl } : {})).data,
      };
    },
    expire: () => mock.clock.advance(86_400_000 + 1000),
    error: (status, text) => json(status, { code: status === 401 ? 401 : 5000, message: text, success: false }),
    refusal: (text) => json(403, { code: 5608, message: text, success: false }),
    async keys() {
      const owner = make();
      await scan.step('owner.login', owner.login({ email, password: PASSWORD }));
      const created = await owner.createApiKey({ name: 'leak-scan', description: 'scan' });
      scan.secret(created.token);
      const second = lowcoder({ ...base, storageKey: scan.key(), apiKey: created.token });
      await scan.step('key.profile', second.profile());
      await scan.step('key.listApiKeys', second.listApiKeys());
      await scan.step('key.session', second.session());
      await scan.step('key.api', createApi(second).GET('/api/users/me').then((r) => r.data));
      await scan.step('owner.listApiKeys', owner.listApiKeys());
      await scan.step('owner.deleteApiKey', owner.deleteApiKey(created.id));
      // Lowcoder answers a deleted key with an empty 200.
      expect((await scan.step('key.profile after delete', second.profile())).error).toBeInstanceOf(NotAuthenticatedError);
      await scan.step('owner.logout', owner.logout());
    },
  };
}

function apostropheWorld(scan: Scanner): World {
  const { username } = LOGIN_NAMES.apostrophe;
  // Two failed logins lock the account: the third is throttled.
  const { mock, issued, sessionIds } = seededApostrophe(PASSWORD, [API_KEY], 2);
  const t = transport(mock);
  // A bearer token issued earlier, under a recognisable value.
  mock.state.tokens.set(TOKEN, { userId: [...mock.state.users.keys()][0]!, expires: mock.clock.now() + 86_400_000 });
  scan.watch(() => [...issued(), ...sessionIds()]);
  return {
    baseUrl: mock.baseUrl,
    transport: t,
    paths: {
      login: '/api/v1/@apostrophecms/login/login',
      profile: '/api/v1/@apostrophecms/login/whoami',
      logout: '/api/v1/@apostrophecms/login/logout',
    },
    modes: ['bearer', 'cookie'],
    initials: ['apiKey', 'apiKeyQuery', 'token'],
    client(options = {}) {
      const c = apostrophe(<never>{
        baseUrl: mock.baseUrl,
        fetch: t.fetch,
        maxRetries: 0,
        logger: scan.logger,
        store: scan.store,
        storageKey: scan.key(),
        ...(options.mode ? { mode: options.mode } : {}),
        ...(options.initial === 'token' ? { token: TOKEN } : {}),
        ...(options.initial === 'apiKey' || options.initial === 'apiKeyQuery' ? { apiKey: API_KEY } : {}),
        ...(options.initial === 'apiKeyQuery' ? { apiKeyIn: 'query' as const } : {}),
        ...(options.relogin ? { getCredentials: () => ({ username, password: CALLBACK(options.relogin) }) } : {}),
      });
      for (const event of EVENTS) c.on(event, (info) => scan.record(`event ${event}`, info));
      return {
        login: (password) => c.login({ username, password }),
        profile: () => c.profile(),
        logout: () => c.logout(),
        session: () => c.session(),
        credential: () => c.credential(),
        api: async (baseUrl) => (await createApi(c).GET('/api/v1/@apostrophecms/login/whoami', baseUrl ? { baseUrl } : {})).data,
      };
    },
    expire() {
      mock.clock.advance(15 * 86_400_000);
      // Cookie sessions have no expiry of their own in the mock: the session store forgets them.
      mock.state.sessions.clear();
    },
    error: (status, text) => json(status, { name: 'error', data: {}, message: text }),
    refusal: (text) => json(400, { name: 'invalid', data: {}, message: text }),
  };
}

function cocoWorld(scan: Scanner): World {
  const { email } = LOGIN_NAMES.coco;
  // An API token created earlier, under a recognisable value.
  const { mock, issued } = seededCoco(PASSWORD, API_KEY);
  const t = transport(mock);
  scan.watch(issued);
  const base = { baseUrl: mock.baseUrl, fetch: t.fetch, maxRetries: 0, logger: scan.logger, store: scan.store };
  const make = (options: ClientOptions = {}) => {
    const c = coco(<never>{
      ...base,
      storageKey: scan.key(),
      ...(options.mode ? { mode: options.mode } : {}),
      ...(options.initial === 'apiKey' ? { apiKey: API_KEY } : {}),
      ...(options.relogin ? { getCredentials: () => ({ email, password: CALLBACK(options.relogin) }) } : {}),
    });
    for (const event of EVENTS) c.on(event, (info) => scan.record(`event ${event}`, info));
    return c;
  };
  return {
    baseUrl: mock.baseUrl,
    transport: t,
    paths: { login: '/account/login', profile: '/account/profile', logout: '/account/logout' },
    modes: ['bearer', 'cookie'],
    initials: ['apiKey'],
    client(options) {
      const c = make(options);
      return {
        login: (password) => c.login({ email, password }),
        profile: () => c.profile(),
        logout: () => c.logout(),
        session: () => c.session(),
        credential: () => c.credential(),
        api: async (baseUrl) => (await createApi(c).GET('/account/profile', baseUrl ? { baseUrl } : {})).data,
      };
    },
    expire: () => mock.clock.advance(86_400_000 + 1000),
    error: (status, text) => json(status, { status, error: { reason: text } }),
    refusal: (text) => json(403, { status: 403, error: { reason: text } }),
    async keys() {
      for (const mode of ['bearer', 'cookie'] as const) {
        const owner = make({ mode });
        await scan.step(`owner.login (${mode})`, owner.login({ email, password: PASSWORD }));
        const created = await owner.createApiKey({ name: 'leak-scan', description: 'scan' });
        scan.secret(created.token);
        const second = coco({ ...base, storageKey: scan.key(), apiKey: created.token });
        await scan.step('key.profile', second.profile());
        await scan.step('key.session', second.session());
        await scan.step('key.api', createApi(second).GET('/account/profile').then((r) => r.data));
        await scan.step('owner.listApiKeys', owner.listApiKeys());
        await scan.step('owner.renameApiKey', owner.renameApiKey(created.id!, 'renamed'));
        await scan.step('owner.deleteApiKey', owner.deleteApiKey(created.id!));
        const after = await scan.step('key.profile after delete', second.profile());
        expect(after.error).toBeInstanceOf(NotAuthenticatedError);
        await scan.step('owner.logout', owner.logout());
      }
    },
  };
}

const EVENTS: AuthEvent[] = ['signedIn', 'signedOut', 'expired', 'refreshed'];
const WORLDS = { lowcoder: lowcoderWorld, apostrophe: apostropheWorld, coco: cocoWorld };

/** A fresh scanner and world for one flow. */
function start(name: keyof typeof WORLDS) {
  const scan = scanner();
  return { scan, world: WORLDS[name](scan) };
}

/** Signs a client in, asks for its credential (allowed, then watched), and checks session(). */
async function signIn(scan: Scanner, client: Client, label: string) {
  const login = await scan.step(`${label} login`, client.login(PASSWORD));
  expect(login.error).toBeUndefined();
  scan.secret(await client.credential());
  await sessionView(scan, client, label);
}

/** `session()` and its JSON never hold the credential. */
async function sessionView(scan: Scanner, client: Client, label: string) {
  const info = await client.session();
  scan.record(`${label} session()`, info);
  scan.record(`${label} JSON.stringify(session())`, JSON.stringify(info));
}

// ───────────────────────────── flows ─────────────────────────────

describe.each(Object.keys(WORLDS) as (keyof typeof WORLDS)[])('%s', (name) => {
  it('sign in, profile, api, API keys, logout: no secret outside createApiKey and credential()', async () => {
    const { scan, world } = start(name);
    for (const mode of world.modes) {
      const client = world.client({ mode });
      await signIn(scan, client, mode);
      await scan.step(`${mode} profile`, client.profile());
      await scan.step(`${mode} api`, client.api());
      await scan.step(`${mode} logout`, client.logout());
      await sessionView(scan, client, `${mode} after logout`);
    }
    await world.keys?.();
    expect(scan.steps.length).toBeGreaterThan(5);
    // The store's values (without the credential it must hold) are among what was scanned.
    expect(scan.steps.some((step) => step.startsWith('store '))).toBe(true);
    expect(scan.leaks()).toEqual([]);
  });

  it('handed-in credentials (API key, token, session cookie)', async () => {
    const { scan, world } = start(name);
    for (const initial of world.initials) {
      const client = world.client({ initial });
      const profile = await scan.step(`${initial} profile`, client.profile());
      expect(profile.error).toBeUndefined();
      scan.secret(await client.credential());
      await scan.step(`${initial} api`, client.api());
      await sessionView(scan, client, initial);
      await scan.step(`${initial} logout`, client.logout());
    }
    expect(scan.leaks()).toEqual([]);
  });

  it('failed logins', async () => {
    const { scan, world } = start(name);
    for (const mode of world.modes) {
      const client = world.client({ mode });
      const failed = await scan.step(`${mode} wrong password`, client.login(WRONG_PASSWORD));
      expect(failed.error).toBeInstanceOf(InvalidCredentialsError);
      await sessionView(scan, client, `${mode} after failure`);
    }
    if (name === 'apostrophe') {
      // The mock locks the account after two failures: the third is throttled.
      const throttled = await scan.step('throttled', world.client().login(WRONG_PASSWORD));
      expect(throttled.error).toBeInstanceOf(RateLimitedError);
    }
    expect(scan.leaks()).toEqual([]);
  });

  it('expired sessions: re-login through getCredentials, and a re-login that fails', async () => {
    const { scan, world } = start(name);
    for (const mode of world.modes) {
      const client = world.client({ mode, relogin: 'right' });
      await signIn(scan, client, mode);
      world.expire();
      const profile = await scan.step(`${mode} profile after expiry`, client.profile());
      expect(profile.error).toBeUndefined();
      await sessionView(scan, client, `${mode} refreshed`);

      const failing = world.client({ mode, relogin: 'wrong' });
      await signIn(scan, failing, `${mode} (failing re-login)`);
      world.expire();
      const refused = await scan.step(`${mode} profile with a failing re-login`, failing.profile());
      expect(refused.error).toBeInstanceOf(NotAuthenticatedError);
      expect((refused.error as NotAuthenticatedError).reason).toBe('relogin-failed');
    }
    expect(scan.steps).toContain('event refreshed');
    expect(scan.leaks()).toEqual([]);
  });

  it('network errors whose messages quote the request', async () => {
    const { scan, world } = start(name);
    const dropping: Rule = async (request) => {
      const path = new URL(request.url).pathname;
      if (path.endsWith(world.paths.profile) || path.endsWith(world.paths.login))
        throw new TypeError(`fetch failed: ${await echoOf(request)}`);
      return undefined;
    };
    for (const mode of world.modes) {
      const client = world.client({ mode });
      await signIn(scan, client, mode);
      world.transport.rules.push(dropping);
      expect((await scan.step(`${mode} profile, connection dropped`, client.profile())).error).toBeInstanceOf(NetworkError);
      expect((await scan.step(`${mode} login, connection dropped`, client.login(PASSWORD))).error).toBeInstanceOf(NetworkError);
      world.transport.rules.length = 0;
    }
    for (const initial of world.initials) {
      const client = world.client({ initial });
      world.transport.rules.push(dropping);
      expect((await scan.step(`${initial} profile, connection dropped`, client.profile())).error).toBeInstanceOf(NetworkError);
      world.transport.rules.length = 0;
    }
    expect(scan.leaks()).toEqual([]);
  });

  it('server errors that echo the request (login, profile, logout)', async () => {
    const { scan, world } = start(name);
    for (const mode of world.modes) {
      const client = world.client({ mode });
      world.transport.rules.push(once(world.paths.login, (echo) => world.refusal(echo)));
      const refused = await scan.step(`${mode} login refused with an echo`, client.login(PASSWORD));
      expect(refused.error).toBeInstanceOf(InvalidCredentialsError);
      await signIn(scan, client, mode);
      world.transport.rules.push(once(world.paths.profile, (echo) => world.error(500, echo)));
      expect((await scan.step(`${mode} profile 500 with an echo`, client.profile())).error).toBeInstanceOf(AuthwireError);
      world.transport.rules.push(once(world.paths.logout, (echo) => world.error(500, echo)));
      const logout = await scan.step(`${mode} logout 500 with an echo`, client.logout());
      expect(logout.value?.error).toBeInstanceOf(AuthwireError);
      world.transport.rules.length = 0;
    }
    for (const initial of world.initials) {
      const client = world.client({ initial });
      world.transport.rules.push(once(world.paths.profile, (echo) => world.error(500, echo)));
      expect((await scan.step(`${initial} profile 500 with an echo`, client.profile())).error).toBeInstanceOf(AuthwireError);
      world.transport.rules.length = 0;
    }
    expect(scan.leaks()).toEqual([]);
  });

  it('a 401 that echoes the rejected credential', async () => {
    const { scan, world } = start(name);
    for (const initial of world.initials) {
      const client = world.client({ initial });
      world.transport.rules.push(once(world.paths.profile, (echo) => world.error(401, echo)));
      expect((await scan.step(`${initial} profile 401 with an echo`, client.profile())).error).toBeInstanceOf(NotAuthenticatedError);
      world.transport.rules.length = 0;
    }
    for (const mode of world.modes) {
      const client = world.client({ mode });
      await signIn(scan, client, mode);
      world.transport.rules.push(once(world.paths.profile, (echo) => world.error(401, echo)));
      expect((await scan.step(`${mode} profile 401 with an echo`, client.profile())).error).toBeInstanceOf(NotAuthenticatedError);
      world.transport.rules.length = 0;
    }
    expect(scan.leaks()).toEqual([]);
  });

  it('the first request after a login echoes the credential it just issued', async () => {
    const { scan, world } = start(name);
    for (const mode of world.modes) {
      const client = world.client({ mode });
      world.transport.rules.push(once(world.paths.profile, (echo) => world.error(500, echo)));
      expect((await scan.step(`${mode} login whose profile check echoes`, client.login(PASSWORD))).error).toBeInstanceOf(AuthwireError);
      world.transport.rules.length = 0;
    }
    expect(scan.leaks()).toEqual([]);
  });
});

// ───────────────────────────── other origins ─────────────────────────────

const OTHER_ORIGINS = (own: string) => {
  const url = new URL(own);
  return ['https://evil.example', `https://${url.hostname}.evil.example`, `http://${url.hostname}`, `https://${url.hostname}:8443`];
};

describe.each(Object.keys(WORLDS) as (keyof typeof WORLDS)[])('%s: credentials stay on their origin', (name) => {
  it('an `api` call to another origin carries no Authorization, X-API-TOKEN, Cookie or key in the URL', async () => {
    const { scan, world } = start(name);
    const own = new URL(world.baseUrl).origin;
    world.transport.rules.push(async (request) => (new URL(request.url).origin === own ? undefined : json(200, { ok: true })));
    const setups: [string, ClientOptions][] = [...world.modes.map((m): [string, ClientOptions] => [m, { mode: m }]), ...world.initials.map((i): [string, ClientOptions] => [i, { initial: i }])];
    for (const [label, options] of setups) {
      const client = world.client(options);
      if (!options.initial) await signIn(scan, client, label);
      world.transport.requests.length = 0;
      // Sanity: the client's own origin does get the credential, so the check below can fail.
      await client.api();
      const home = world.transport.requests.at(-1)!;
      expect(
        ['authorization', 'cookie', 'x-api-token'].some((h) => home.headers.has(h)) || new URL(home.url).searchParams.has('apikey'),
        `${label}: own origin got no credential`,
      ).toBe(true);
      for (const other of OTHER_ORIGINS(world.baseUrl)) {
        world.transport.requests.length = 0;
        await scan.step(`${label} api at ${other}`, client.api(other));
        const sent = world.transport.requests;
        expect(sent.map((r) => new URL(r.url).origin)).toEqual([new URL(other).origin]);
        const request = sent[0]!;
        expect(['authorization', 'cookie', 'x-api-token'].filter((h) => request.headers.has(h)), `${label} → ${other}`).toEqual([]);
        expect([...new URL(request.url).searchParams.keys()], `${label} → ${other}`).toEqual([]);
        const echo = await echoOf(request);
        expect(MARKERS.filter((m) => shows(echo, m)), `${label} → ${other}`).toEqual([]);
      }
    }
    expect(scan.leaks()).toEqual([]);
  });
});
