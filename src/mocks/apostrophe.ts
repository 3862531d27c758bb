import type { components } from '../../generated/apostrophe.js';
import { empty, httpDate, isRecord, json, parseCookies, randomAlnum, type Incoming, type Route } from './http.js';
import { base32, totpCode } from './totp.js';
import { defaultClock, defineMock, type CorsAnswer, type MockOptions, type PlatformMock } from './mock.js';

type Schemas = components['schemas'];

export interface ApostropheMockUser {
  username: string;
  password: string;
  email?: string;
  title?: string;
  _id?: string;
  disabled?: boolean;
}

export interface ApostropheMockOptions extends MockOptions {
  /** The site's `shortName` (cookie names `<shortName>.sid`, `.csrf`, `.loggedIn`); default `apos`. */
  shortName?: string;
  /** Seeded accounts; by default `admin` / `s3cret-Passw0rd`. */
  users?: ApostropheMockUser[];
  /** `@apostrophecms/express` `apiKeys`: key → role. */
  apiKeys?: Record<string, { role: string }>;
  /** `bearerTokens.lifetime` in seconds; default 14 days. */
  bearerLifetime?: number;
  /** Login throttle; default 3 failures per minute, locked for a minute. */
  throttle?: { allowedAttempts: number; perMinutes: number; lockoutMinutes: number };
  /** The real server waits about 1 s before refusing a password; 0 here unless set. */
  loginFailureDelay?: number;
  /** The login option `passwordReset`: adds the reset-request and reset routes (default false). */
  passwordReset?: boolean;
  /** Adds `@apostrophecms/login-totp` (requirement `AposTotp`, phase `afterPasswordVerified`). */
  totp?: boolean;
  /** The login option `incompleteLifetime` in ms: how long a multi-step login may take (default 1 h). */
  incompleteLifetime?: number;
}

interface UserRecord extends ApostropheMockUser {
  _id: string;
  title: string;
  /** login-totp's enrolment in the user's safe: the secret offered, and whether a code for it was verified. */
  totp?: { secret: string; activated: boolean };
}

interface TokenRecord {
  userId: string;
  expires: number;
  /** `requirementsToVerify` of an incomplete (multi-step) login; the token is no bearer while any remain. */
  pending?: string[];
}

export interface ApostropheMockState {
  readonly shortName: string;
  readonly users: Map<string, UserRecord>;
  /** `aposBearerTokens`: token → user, expiry and pending requirements. */
  readonly tokens: Map<string, TokenRecord>;
  /** express-session store: session id → user. */
  readonly sessions: Map<string, { userId?: string }>;
  /** `@apostrophecms/loginAttempt` cache (and `…/<requirement>`): namespace and username → failures. */
  readonly attempts: Map<string, { count: number; until: number }>;
  /** Reset codes that would have been emailed: user id → code. */
  readonly resets: Map<string, string>;
}

export const DEFAULT_APOSTROPHE_USER: ApostropheMockUser = {
  username: 'admin',
  password: 's3cret-Passw0rd',
  email: 'admin@example.com',
  title: 'Admin',
};

const JSON_UTF8 = 'application/json; charset=utf-8';
const LOGIN = '/api/v1/@apostrophecms/login';
const LOGIN_ATTEMPT = '@apostrophecms/loginAttempt';
const ROLES = ['admin', 'editor', 'contributor', 'guest'];
const cuid = () => randomAlnum(1, 'abcdefghijklmnopqrstuvwxyz') + randomAlnum(23, 'abcdefghijklmnopqrstuvwxyz0123456789');
const apiError = (status: number, name: string, message: string, data: Record<string, unknown> = {}) =>
  json(status, { name, data, message } satisfies Schemas['ApostropheError'], [], JSON_UTF8);

/** The user on a request after Apostrophe's middleware chain, or the answer that stopped it. */
type Who =
  | { stop: Response }
  | { stop?: undefined; user?: UserRecord | { title: 'System Task'; role: string }; exempt: boolean; bearer?: string; sid?: string; sidCookie?: string };

/**
 * ApostropheCMS 4.x as `providers/apostrophe.md` describes it: middleware order (API key, bearer,
 * CSRF, session), the constant CSRF cookie, `{name, data, message}` errors with their middleware
 * exceptions, login in bearer or session mode, the per-username throttle, and whoami's 404.
 */
export function createApostropheMock(options: ApostropheMockOptions = {}): PlatformMock<ApostropheMockState> {
  const clock = defaultClock(options);
  const shortName = options.shortName ?? 'apos';
  const sid = `${shortName}.sid`;
  const csrfName = `${shortName}.csrf`;
  const lifetime = options.bearerLifetime ?? 14 * 86400;
  const throttle = options.throttle ?? { allowedAttempts: 3, perMinutes: 1, lockoutMinutes: 1 };
  const apiKeys = options.apiKeys ?? {};
  const users = new Map<string, UserRecord>();
  for (const seed of options.users ?? [DEFAULT_APOSTROPHE_USER]) {
    const _id = seed._id ?? cuid();
    users.set(_id, { ...seed, _id, title: seed.title ?? seed.username });
  }
  const tokens = new Map<string, TokenRecord>();
  const incompleteLifetime = options.incompleteLifetime ?? 3600_000;
  const loggedIn = `${shortName}.loggedIn`;
  const sessions = new Map<string, { userId?: string }>();
  const attempts = new Map<string, { count: number; until: number }>();
  const resets = new Map<string, string>();
  const live = (id: string | undefined) => {
    const user = id === undefined ? undefined : users.get(id);
    return user && !user.disabled ? user : undefined;
  };

  function who({ request, url, path, cookies }: Incoming): Who {
    const cookieSid = cookies.get(sid);
    const sessionId = cookieSid ? /^s:([^.]+)\./.exec(decodeURIComponent(cookieSid))?.[1] : undefined;
    const keyHeader = /^ApiKey\s+(\S.*)$/i.exec(request.headers.get('authorization') ?? '')?.[1];
    const key = url.searchParams.get('apikey') ?? url.searchParams.get('apiKey') ?? keyHeader;
    if (key !== undefined && key !== null) {
      const config = apiKeys[key];
      if (!config) return { stop: json(403, { error: 'invalid api key' } satisfies Schemas['ApostropheApiKeyError'], [], JSON_UTF8) };
      return ROLES.includes(config.role) ? { user: { title: 'System Task', role: config.role }, exempt: true } : { exempt: true };
    }
    const parts = (request.headers.get('authorization') ?? '').split(' ');
    const headerToken = parts.length === 2 && parts[0] === 'Bearer' ? parts[1] : undefined;
    const queryToken = url.searchParams.get('access_token') ?? undefined;
    if (headerToken && queryToken) return { stop: empty(400) };
    const bearer = headerToken ?? queryToken;
    if (bearer) {
      const doc = tokens.get(bearer);
      const user = doc && doc.expires >= clock.now() && !doc.pending?.length ? live(doc.userId) : undefined;
      if (!user) return { stop: json(401, { name: 'invalid', message: 'bearer token invalid' } satisfies Schemas['ApostropheError'], [], JSON_UTF8) };
      return { user, exempt: true, bearer };
    }
    const session = sessionId === undefined ? undefined : sessions.get(sessionId);
    const safe = ['GET', 'HEAD', 'TRACE', 'OPTIONS'].includes(request.method);
    // express-session runs before the CSRF check: a refused write still re-sends a live session's cookie.
    // The exemption matches the whole URL: a query string on the login URL loses it (seen on 4.32.2).
    const exempt = path === `${LOGIN}/login` && url.search === '';
    if (!safe && !exempt && cookies.get(csrfName) !== 'csrf') {
      const stop = json(403, { name: 'forbidden', message: 'CSRF exception' } satisfies Schemas['ApostropheError'], [], JSON_UTF8);
      if (session && cookieSid) stop.headers.append('set-cookie', sidCookie(cookieSid));
      return { stop };
    }
    const user = live(session?.userId);
    return { exempt: false, ...(user ? { user } : {}), ...(session && sessionId && cookieSid ? { sid: sessionId, sidCookie: cookieSid } : {}) };
  }

  const csrfCookie = () =>
    `${csrfName}=csrf; Max-Age=31536; Path=/; Expires=${httpDate(clock.now() + 31536_000)}; HttpOnly; SameSite=Lax`;
  // express-session's `rolling: true`: the cookie of a live session goes back on every answer.
  const sidCookie = (value: string) => `${sid}=${encodeURIComponent(decodeURIComponent(value))}; Path=/; HttpOnly; SameSite=Lax`;

  type Handler = (i: Incoming, w: Exclude<Who, { stop: Response }>) => Response | Promise<Response>;
  /**
   * Runs the middleware, then the handler, and adds the cookies the middleware sets, in the server's
   * order: the CSRF cookie on safe requests that are not exempt, `<shortName>.loggedIn=true` for any
   * signed-in caller (bearer and API key too) that did not send it, the handler's own, and a live
   * session's cookie last. Logout replaces them all with its two clearing cookies.
   */
  async function respond(incoming: Incoming, handler: Handler): Promise<Response> {
    const w = who(incoming);
    if (w.stop) return w.stop;
    const answer = await handler(incoming, w);
    const own = answer.headers.getSetCookie();
    if (own.some((line) => line.startsWith(`${sid}=deleted;`))) return answer;
    const lines: string[] = [];
    if (incoming.request.method === 'GET' && !w.exempt) lines.push(csrfCookie());
    if (w.user && incoming.cookies.get(loggedIn) !== 'true') lines.push(`${loggedIn}=true; Path=/`);
    lines.push(...own);
    if (w.sid && w.sidCookie && sessions.has(w.sid) && !own.some((line) => line.startsWith(`${sid}=`))) lines.push(sidCookie(w.sidCookie));
    answer.headers.delete('set-cookie');
    for (const line of lines) answer.headers.append('set-cookie', line);
    return answer;
  }

  const route = (method: string, path: string, handler: Handler): Route => ({ method, path, handler: (incoming) => respond(incoming, handler) });

  const whoami = (get: boolean) =>
    route(get ? 'GET' : 'POST', `${LOGIN}/whoami`, (_, w) => {
      if (!w.user) return apiError(404, 'notfound', 'notfound');
      const user = w.user;
      const fields: Schemas['ApostropheWhoami'] =
        '_id' in user
          ? { _id: user._id, username: user.username, title: user.title, ...(user.email === undefined ? {} : { email: user.email }) }
          : { title: user.title };
      return json(200, fields, get ? [['cache-control', 'no-store']] : [], JSON_UTF8);
    });

  const context = (get: boolean) =>
    route(get ? 'GET' : 'POST', `${LOGIN}/context`, () =>
      json(200, { env: 'development', name: 'Apostrophe', version: '4.32.1', requirementProps: {} } satisfies Schemas['ApostropheContext'], [], JSON_UTF8),
    );

  /** `checkLoginAttempts`: true once the namespace's count for this username reached the limit. */
  const throttled = (key: string) => {
    const attempt = attempts.get(key);
    return !!attempt && attempt.until > clock.now() && attempt.count >= throttle.allowedAttempts;
  };
  /** `addLoginAttempt`: counts a failure; reaching the limit locks the username for `lockoutMinutes`. */
  const fail = (key: string) => {
    const attempt = attempts.get(key);
    const current = attempt && attempt.until > clock.now() ? attempt : { count: 0, until: clock.now() + throttle.perMinutes * 60_000 };
    current.count += 1;
    if (current.count >= throttle.allowedAttempts) current.until = clock.now() + throttle.lockoutMinutes * 60_000;
    attempts.set(key, current);
  };
  const tooMany = (data: Record<string, unknown> = {}) => apiError(400, 'invalid', 'Too many attempts. You may try again in a minute.', data);

  async function loginBody(request: Request): Promise<Record<string, unknown> | Response> {
    const text = await request.text();
    const type = request.headers.get('content-type') ?? '';
    if (type.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(text));
    if (!type.includes('application/json') || !text.trim()) return {};
    try {
      const parsed: unknown = JSON.parse(text);
      return isRecord(parsed) ? parsed : {};
    } catch (error) {
      return new Response(`<!DOCTYPE html>\n<html lang="en"><body><pre>${String(error)}</pre></body></html>`, {
        status: 400,
        headers: { 'content-type': 'text/html; charset=utf-8' },
      });
    }
  }

  const truthy = (v: unknown) => v === true || /^[ty1]/i.test(launder(v));

  /** Passport's login: `<shortName>.loggedIn=true` (unless sent), then the new session's cookie. */
  function sessionCookies(user: UserRecord, cookies: Map<string, string>): [string, string][] {
    const id = randomAlnum(32);
    sessions.set(id, { userId: user._id });
    const headers: [string, string][] = [];
    if (cookies.get(loggedIn) !== 'true') headers.push(['set-cookie', `${loggedIn}=true; Path=/`]);
    headers.push(['set-cookie', `${sid}=${encodeURIComponent(`s:${id}.${randomAlnum(43)}`)}; Path=/; HttpOnly; SameSite=Lax`]);
    return headers;
  }

  /** `findIncompleteTokenAndUser`: a live incomplete token with requirements still pending. */
  function incomplete(token: unknown) {
    const doc = typeof token === 'string' ? tokens.get(token) : undefined;
    const user = doc?.pending?.length && doc.expires >= clock.now() ? live(doc.userId) : undefined;
    return doc && user ? { doc, user } : undefined;
  }

  /**
   * `finalizeIncompleteLogin`. Session mode answers 200 with an empty body plus the session cookies.
   * Bearer mode answers the token *document* and stores a numeric expiry that the bearer check then
   * refuses (seen on 4.32.2): the finalised token is dead, as on the server.
   */
  function finalize(token: string, session: unknown, cookies: Map<string, string>): Response {
    const doc = tokens.get(token);
    if (!doc?.pending || doc.expires < clock.now()) return apiError(404, 'notfound', 'notfound');
    if (doc.pending.length) return apiError(403, 'forbidden', 'All requirements must be verified');
    const user = live(doc.userId);
    if (!user) return apiError(404, 'notfound', 'notfound');
    if (truthy(session)) {
      tokens.delete(token);
      return empty(200, sessionCookies(user, cookies));
    }
    const expires = new Date(doc.expires).toISOString();
    tokens.set(token, { userId: doc.userId, expires: Number.NaN });
    return json(200, { token: { userId: doc.userId, expires, _id: token } } satisfies Schemas['ApostropheFinalizedTokenDocument'], [], JSON_UTF8);
  }

  const launder = (v: unknown) => (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v).trim() : '');

  const routes: Route[] = [
    route('POST', `${LOGIN}/login`, async ({ request, cookies }) => {
      const body = await loginBody(request);
      if (body instanceof Response) return body;
      if (body.incompleteToken) return finalize(launder(body.incompleteToken), body.session, cookies);
      const username = launder(body.username);
      const password = launder(body.password);
      if (!username || !password) return apiError(400, 'invalid', 'Both the username and the password are required.');
      if (throttled(username)) return tooMany();
      const user = [...users.values()].find((u) => !u.disabled && (u.username === username || u.email === username));
      if (!user || user.password !== password) {
        if (options.loginFailureDelay) await new Promise((resolve) => setTimeout(resolve, options.loginFailureDelay));
        fail(username);
        return apiError(400, 'invalid', 'Your credentials are incorrect, or there is no such user');
      }
      attempts.delete(username);
      if (options.totp) {
        const token = cuid();
        tokens.set(token, { userId: user._id, expires: clock.now() + incompleteLifetime, pending: ['AposTotp'] });
        return json(200, { incompleteToken: token } satisfies Schemas['ApostropheIncompleteLogin'], [], JSON_UTF8);
      }
      if (!truthy(body.session)) {
        const token = cuid();
        tokens.set(token, { userId: user._id, expires: clock.now() + lifetime * 1000 });
        return json(200, { token } satisfies Schemas['ApostropheBearerLogin'], [], JSON_UTF8);
      }
      return json(200, {} satisfies Schemas['ApostropheSessionLogin'], sessionCookies(user, cookies), JSON_UTF8);
    }),
    route('POST', `${LOGIN}/logout`, (_, w) => {
      if (!w.user) return apiError(403, 'forbidden', 'You were not logged in.');
      if (w.bearer) tokens.delete(w.bearer);
      if (w.sid) sessions.delete(w.sid);
      return empty(200, [
        ['set-cookie', `${sid}=deleted; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax`],
        ['set-cookie', `${shortName}.loggedIn=false; Path=/`],
      ]);
    }),
    whoami(true),
    whoami(false),
    context(true),
    context(false),
    route('POST', `${LOGIN}/requirement-props`, async ({ request }) => {
      const body = await loginBody(request);
      if (body instanceof Response) return body;
      const found = incomplete(body.incompleteToken);
      if (!found || launder(body.name) !== 'AposTotp' || !options.totp) return apiError(404, 'notfound', 'notfound');
      if (found.user.totp?.activated) return json(200, {}, [], JSON_UTF8);
      // A new secret on every call until one is verified, as the plugin does.
      found.user.totp = { secret: base32(randomAlnum(20)), activated: false };
      return json(200, { token: found.user.totp.secret, identity: `${found.user.username}@${shortName}` } satisfies Schemas['ApostropheTotpProps'], [], JSON_UTF8);
    }),
    route('POST', `${LOGIN}/requirement-verify`, async ({ request }) => {
      const body = await loginBody(request);
      if (body instanceof Response) return body;
      const found = incomplete(body.incompleteToken);
      const name = launder(body.name);
      if (!found || name !== 'AposTotp' || !options.totp) return apiError(404, 'notfound', 'notfound');
      const key = `${LOGIN_ATTEMPT}/${name}:${found.user.username}`;
      if (throttled(key)) return tooMany();
      const code = launder(body.value);
      const secret = found.user.totp?.secret;
      if (!code || !secret || code !== (await totpCode(secret, clock.now()))) {
        fail(key);
        return apiError(400, 'invalid', 'Invalid code, try again.', { requirement: name });
      }
      found.user.totp = { secret, activated: true };
      found.doc.pending = found.doc.pending?.filter((pending) => pending !== name) ?? [];
      attempts.delete(key);
      return json(200, {} satisfies Schemas['ApostropheEmptyObject'], [], JSON_UTF8);
    }),
  ];
  const byLogin = (login: string) => [...users.values()].find((u) => u.username === login || u.email === login);
  const invalidLink = () => apiError(400, 'invalid', 'The password reset link is invalid or expired.');
  if (options.passwordReset)
    routes.push(
      route('POST', `${LOGIN}/reset-request`, async ({ request }) => {
        const body = await loginBody(request);
        if (body instanceof Response) return body;
        const email = launder(body.email);
        if (!email) return apiError(400, 'invalid', 'The email is required.');
        const user = byLogin(email);
        if (user) resets.set(user._id, randomAlnum(24));
        return empty(200);
      }),
      route('GET', `${LOGIN}/reset`, ({ url }) => {
        const user = byLogin(url.searchParams.get('email') ?? '');
        return user && resets.get(user._id) === url.searchParams.get('reset') ? empty(200) : invalidLink();
      }),
      route('POST', `${LOGIN}/reset`, async ({ request }) => {
        const body = await loginBody(request);
        if (body instanceof Response) return body;
        if (!launder(body.password)) return apiError(400, 'invalid', 'A new password is required.');
        const user = byLogin(launder(body.email));
        if (!user || resets.get(user._id) !== launder(body.reset)) return invalidLink();
        resets.delete(user._id);
        user.password = launder(body.password);
        return empty(200);
      }),
    );

  return defineMock({
    platform: 'apostrophe',
    baseUrl: options.baseUrl ?? 'https://apostrophe.test',
    clock,
    state: { shortName, users, tokens, sessions, attempts, resets },
    routes,
    // Unknown URLs pass the same middleware (bad bearer 401, bad key 403, CSRF, cookies) before
    // Apostrophe's HTML 404 page (GET) or Express's `Cannot POST` page.
    notFound: (request) => {
      const url = new URL(request.url);
      const base = new URL(options.baseUrl ?? 'https://apostrophe.test').pathname.replace(/\/$/, '');
      const path = url.pathname.startsWith(`${base}/`) ? url.pathname.slice(base.length) : url.pathname;
      const incoming: Incoming = { request, url, path, params: {}, cookies: parseCookies(request.headers.get('cookie')) };
      return respond(incoming, () =>
        request.method === 'GET'
          ? new Response('<!DOCTYPE html><html lang="en-US"><head><title>Not found</title></head><body><h1>404</h1></body></html>', {
              status: 404,
              headers: { 'content-type': 'text/html; charset=utf-8' },
            })
          : new Response(`<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n</head>\n<body>\n<pre>Cannot ${request.method} ${url.pathname}</pre>\n</body>\n</html>\n`, {
              status: 404,
              headers: { 'content-type': 'text/html; charset=utf-8' },
            }),
      );
    },
    // `cors()` with its defaults, on /api/v1 only: any origin, never credentials.
    cors(request, path): CorsAnswer {
      if (!path.startsWith('/api/v1/')) return { headers: [] };
      const headers: [string, string][] = [['access-control-allow-origin', '*']];
      if (request.method !== 'OPTIONS') return { headers };
      const asked = request.headers.get('access-control-request-headers');
      return {
        headers,
        preflight: empty(204, [
          ...headers,
          ['access-control-allow-methods', 'GET,HEAD,PUT,PATCH,POST,DELETE'],
          ...(asked ? [['access-control-allow-headers', asked] as [string, string], ['vary', 'Access-Control-Request-Headers'] as [string, string]] : []),
          ['content-length', '0'],
        ]),
      };
    },
  });
}
