import type { components } from '../../generated/lowcoder.js';
import { empty, httpDate, isRecord, json, parseCookies, randomAlnum, randomHex, readJson, type Handler, type Incoming, type Route } from './http.js';
import { signJwt, verifyJwt } from './jwt.js';
import { defaultClock, defineMock, type CorsAnswer, type MockOptions, type PlatformMock } from './mock.js';

type Schemas = components['schemas'];

/** A seeded Lowcoder account of the mock. */
export interface LowcoderMockUser {
  /** The login name. */
  email: string;
  /** Kept in clear: a mock, for tests only; empty for an account without a password (an SSO user). */
  password: string;
  /** The display name; the email when absent. */
  name?: string;
  /** The user id; generated when absent. */
  id?: string;
}

/** How `mockLowcoder` behaves: its accounts, session cookie and registration. */
export interface LowcoderMockOptions extends MockOptions {
  /**
   * Seeded accounts.
   * @default [DEFAULT_LOWCODER_USER] (`ada@example.com` / `s3cret-Passw0rd`)
   */
  users?: LowcoderMockUser[];
  /**
   * The server's `LOWCODER_COOKIE_NAME`.
   * @default 'LOWCODER_CE_SELFHOST_TOKEN'
   */
  cookieName?: string;
  /**
   * The server's `LOWCODER_COOKIE_MAX_AGE` in seconds: the session's lifetime.
   * @default 86400
   */
  cookieMaxAge?: number;
  /**
   * Whether `register: true` may create accounts.
   * @default true
   */
  registration?: boolean;
}

interface UserRecord {
  id: string;
  email: string;
  /** Empty for an account without a password (an SSO user). */
  password: string;
  name: string;
  keys: Map<string, { id: string; name: string | null; description: string | null; token: string }>;
  /** The last password reset token mailed, and its expiry. */
  reset?: { token: string; expiresAt: number };
}

/** What a Lowcoder mock holds, for tests to inspect or change. */
export interface LowcoderMockState {
  /** The session cookie's name. */
  readonly cookieName: string;
  /** Accounts by id. */
  readonly users: Map<string, UserRecord>;
  /** Session token → user id and expiry (Redis in the real server). */
  readonly sessions: Map<string, { userId: string; expiresAt: number }>;
  /** What the reset mails would carry: email → the last token sent (the server sends mail; tests read it here). */
  readonly mailbox: Map<string, string>;
}

/** The account a Lowcoder mock has when `users` is not given: `ada@example.com` / `s3cret-Passw0rd`. */
export const DEFAULT_LOWCODER_USER: LowcoderMockUser = { email: 'ada@example.com', password: 's3cret-Passw0rd', name: 'Ada' };

const SECRET = 'authwire-mock-lowcoder-api-key-secret';
const RESET_LIFETIME = 12 * 3600_000;
const ok = <T>(data: T) => ({ code: 1 as const, message: '', data, success: true as const });
const fail = (status: number, code: number, message: string) =>
  json(status, { code, message, success: false } satisfies Schemas['LowcoderError']);
// `INVALID_PARAMETER` (5002) maps to HTTP 500; so does every unexpected error (5000).
const INTERNAL = () => fail(500, 5000, 'Oops! Service is busy, please try again later.');
const MALFORMED = () => fail(500, 5002, 'Sorry, an invalid parameter was passed, please check: body');
const PASSWORD_EMPTY = () => fail(500, 5002, 'Invalid parameter: the password is empty.');
const blank = (v: unknown) => typeof v !== 'string' || !v.trim();
// Opened to anonymous callers by `SecurityConfig`, but without a controller in the community edition.
const PERMITTED_UNMAPPED = new Set(['ldap', 'cas', 'phone', 'jwt'].map((p) => `POST /api/auth/${p}/login`).concat('POST /api/auth/otp/send'));

/**
 * A `@RequestBody` argument: Jackson reads only JSON, so any other Content-Type (or none) fails
 * argument resolution (500/5000), and malformed JSON is 500/5002.
 */
async function jsonArgument(request: Request): Promise<{ value: unknown } | Response> {
  const type = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase() ?? '';
  if (!/^application\/([\w.+-]+\+)?json$/.test(type)) return INTERNAL();
  try {
    return { value: await readJson(request) };
  } catch {
    return MALFORMED();
  }
}
const ANONYMOUS: Schemas['LowcoderUserDetail'] = {
  id: '',
  name: 'ANONYMOUS',
  avatarUrl: '',
  uiLanguage: 'en',
  email: '',
  ip: '',
  groups: [],
  extra: {},
  userAuth: null,
};

/**
 * Lowcoder's api-service as `providers/lowcoder.md` describes it: the `ResponseView` envelope, 401
 * with an empty body (also for unknown `/api` paths), the anonymous current user, a session cookie
 * that hides any API key, a deleted-but-signed key answered by an empty 200, cookie attributes chosen
 * by the Referer, JSON-only request bodies, and the password operations (change, set without the
 * old one, reset by mail).
 */
export function createLowcoderMock(options: LowcoderMockOptions = {}): PlatformMock<LowcoderMockState> {
  const clock = defaultClock(options);
  const cookieName = options.cookieName ?? 'LOWCODER_CE_SELFHOST_TOKEN';
  const maxAge = options.cookieMaxAge ?? 86400;
  const users = new Map<string, UserRecord>();
  for (const seed of options.users ?? [DEFAULT_LOWCODER_USER]) {
    const id = seed.id ?? randomHex(24);
    users.set(id, { id, email: seed.email, password: seed.password, name: seed.name ?? seed.email, keys: new Map() });
  }
  const sessions = new Map<string, { userId: string; expiresAt: number }>();
  const mailbox = new Map<string, string>();
  // The server looks accounts up by name, which is the email for email sign-ups; the mock by email.
  const byEmail = (email: unknown) => [...users.values()].find((u) => u.email === email);

  /** `APIKeyAuthFilter` and the session filter: who is calling, or `halt` for a deleted signed key. */
  async function principal({ request, cookies }: Incoming): Promise<UserRecord | 'anonymous' | 'halt'> {
    const token = cookies.get(cookieName);
    if (token) {
      const session = sessions.get(token);
      if (!session || session.expiresAt <= clock.now()) return 'anonymous';
      session.expiresAt = clock.now() + maxAge * 1000;
      return users.get(session.userId) ?? 'anonymous';
    }
    const header = request.headers.get('authorization');
    if (!header?.startsWith('Bearer ')) return 'anonymous';
    const key = header.slice(7);
    const claims = await verifyJwt(key, SECRET);
    if (!claims) return 'anonymous';
    const user = users.get(String(claims.userId));
    return user && [...user.keys.values()].some((k) => k.token === key) ? user : 'halt';
  }

  const route = (method: string, path: string, needsUser: boolean, handler: (i: Incoming, user: UserRecord | undefined) => Response | Promise<Response>): Route => ({
    method,
    path,
    handler: (async (incoming) => {
      const who = await principal(incoming);
      if (who === 'halt') return empty(200);
      if (needsUser && who === 'anonymous') return empty(401);
      return handler(incoming, who === 'anonymous' ? undefined : who);
    }) satisfies Handler,
  });

  const detail = (user: UserRecord): Schemas['LowcoderUserDetail'] => ({
    id: user.id,
    name: user.name || user.id,
    avatarUrl: null,
    uiLanguage: 'en',
    email: user.email,
    ip: '127.0.0.1',
    groups: [{ groupId: `${user.id.slice(0, 20)}9d01`, groupName: 'Developers' }],
    extra: {},
    userAuth: { jwt: '', provider: 'EMAIL' },
  });

  const routes: Route[] = [
    route('POST', '/api/auth/form/login', false, async ({ request }) => {
      const input = await jsonArgument(request);
      if (input instanceof Response) return input;
      const body = input.value;
      if (!isRecord(body)) return MALFORMED();
      const authId = typeof body.authId === 'string' && body.authId.trim() ? body.authId : undefined;
      if ((authId ?? body.source) !== 'EMAIL') return fail(403, 5602, 'Sorry, this log in channel is not supported.');
      let user = byEmail(body.loginId);
      if (body.register === true || body.register === 'true') {
        if (options.registration === false) return fail(400, 5003, 'Bad request.');
        if (user) return fail(403, 5607, 'Current email already used by another user.');
        if (typeof body.loginId !== 'string' || typeof body.password !== 'string') return fail(400, 5614, 'Authentication error, please contact system administrator.');
        const id = randomHex(24);
        user = { id, email: body.loginId, password: body.password, name: body.loginId, keys: new Map() };
        users.set(id, user);
      } else if (!user || user.password !== body.password) {
        return fail(403, 5608, 'Invalid email or password.');
      }
      const token = randomHex(32);
      const expiresAt = clock.now() + maxAge * 1000;
      sessions.set(token, { userId: user.id, expiresAt });
      const secure = request.headers.get('referer')?.startsWith('https://');
      const cookie = `${cookieName}=${token}; Path=/; Max-Age=${maxAge}; Expires=${httpDate(expiresAt)}; ${secure ? 'Secure; HttpOnly; SameSite=None' : 'HttpOnly; SameSite=Lax'}`;
      return json(200, ok(true) satisfies Schemas['LowcoderBooleanResponse'], [['set-cookie', cookie]]);
    }),
    route('POST', '/api/auth/logout', false, ({ cookies }) => {
      const token = cookies.get(cookieName);
      if (token) sessions.delete(token);
      return json(200, ok(true) satisfies Schemas['LowcoderBooleanResponse']);
    }),
    route('POST', '/api/auth/api-key', true, async ({ request }, user) => {
      const body = await jsonArgument(request);
      if (body instanceof Response) return body;
      const input = isRecord(body.value) ? body.value : {};
      const id = typeof input.id === 'string' && input.id ? input.id : randomHex(32);
      const token = await signJwt(
        { sub: user!.id, iat: Math.floor(clock.now() / 1000), userId: user!.id, createdBy: user!.name },
        SECRET,
      );
      const text = (v: unknown) => (typeof v === 'string' ? v : null);
      user!.keys.set(id, { id, name: text(input.name), description: text(input.description), token });
      return json(200, ok({ id, token }) satisfies Schemas['LowcoderApiKeyCreatedResponse']);
    }),
    route('GET', '/api/auth/api-keys', true, (_, user) =>
      json(
        200,
        ok(
          [...user!.keys.values()].map((k) => ({ ...k, token: `${k.token.slice(0, 6)}*************${k.token.slice(-6)}` })),
        ) satisfies Schemas['LowcoderApiKeyListResponse'],
      ),
    ),
    route('DELETE', '/api/auth/api-key/{id}', true, ({ params }, user) => {
      user!.keys.delete(params.id ?? '');
      return json(200, { code: 1 as const, message: '', success: true as const } satisfies Schemas['LowcoderVoidResponse']);
    }),
    route('GET', '/api/users/currentUser', false, (_, user) =>
      json(200, ok(user ? detail(user) : ANONYMOUS) satisfies Schemas['LowcoderCurrentUserResponse']),
    ),
    route('GET', '/api/users/me', false, (_, user) =>
      json(
        200,
        ok(
          user
            ? { id: user.id, username: user.name, isAnonymous: false, isEnabled: true, uiLanguage: 'en', hasPassword: true, ip: '127.0.0.1' }
            : { isAnonymous: true, username: 'anonymous', ip: '127.0.0.1', uiLanguage: 'en' },
        ) satisfies Schemas['LowcoderUserProfileResponse'],
      ),
    ),
    route('GET', '/api/configs', false, () =>
      json(
        200,
        ok({
          cloudHosting: false,
          authConfigs: [
            { id: 'EMAIL', source: 'EMAIL', sourceName: 'EMAIL', enable: true, enableRegister: options.registration !== false, authType: 'FORM' },
          ],
          workspaceMode: 'ENTERPRISE',
          selfDomain: false,
          cookieName,
        }) satisfies Schemas['LowcoderConfigsResponse'],
      ),
    ),
    // `updatePassword`: the caller's password (the key owner's with an API key), old one checked.
    route('PUT', '/api/users/password', true, async ({ request }, user) => {
      const body = await jsonArgument(request);
      if (body instanceof Response) return body;
      const input = isRecord(body.value) ? body.value : {};
      if (blank(input.oldPassword) || blank(input.newPassword)) return PASSWORD_EMPTY();
      if (!user!.password || user!.password !== input.oldPassword) return fail(403, 5608, 'Sorry, passwords do not match.');
      user!.password = String(input.newPassword);
      return json(200, ok(true) satisfies Schemas['LowcoderBooleanResponse']);
    }),
    // `setPassword`: no old-password check; a `@RequestParam`, which WebFlux binds from the query only.
    route('POST', '/api/users/password', true, ({ url }, user) => {
      const password = url.searchParams.get('password');
      if (password === null) return fail(500, 5002, "Sorry, an invalid parameter was passed, please check: password' : UserController.setPassword.");
      if (blank(password)) return PASSWORD_EMPTY();
      user!.password = password;
      return json(200, ok(true) satisfies Schemas['LowcoderBooleanResponse']);
    }),
    // `lostPassword`: the service always ends empty, so the answer never tells whether a mail left.
    route('POST', '/api/users/lost-password', false, async ({ request }) => {
      const body = await jsonArgument(request);
      if (body instanceof Response) return body;
      const email = isRecord(body.value) ? body.value.userEmail : undefined;
      const user = blank(email) ? undefined : byEmail(email);
      if (user) {
        const token = randomAlnum(12, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789~`!@#$%^&*()-_=+[{]}<>?');
        user.reset = { token, expiresAt: clock.now() + RESET_LIFETIME };
        mailbox.set(user.email, token);
      }
      return empty(200);
    }),
    // `resetLostPassword`: an unknown email ends empty (200, nothing changed); refusals are 500/5002.
    route('POST', '/api/users/reset-lost-password', false, async ({ request }) => {
      const body = await jsonArgument(request);
      if (body instanceof Response) return body;
      const input = isRecord(body.value) ? body.value : {};
      if (blank(input.userEmail) || blank(input.token) || blank(input.newPassword))
        return fail(500, 5002, 'Invalid parameter found: {0}, please check and try again.');
      const user = byEmail(input.userEmail);
      if (!user) return empty(200);
      // No expiry stored: the server's date arithmetic throws.
      if (!user.reset) return INTERNAL();
      if (user.reset.expiresAt - clock.now() < 60_000) return fail(500, 5002, 'Token to reset the password has expired');
      if (user.reset.token !== input.token) return fail(500, 5002, 'Invalid token received for password reset request');
      user.password = String(input.newPassword);
      user.reset = { token: '', expiresAt: clock.now() };
      return json(200, ok(true) satisfies Schemas['LowcoderBooleanResponse']);
    }),
  ];

  return defineMock({
    platform: 'lowcoder',
    baseUrl: options.baseUrl ?? 'https://lowcoder.test',
    clock,
    state: { cookieName, users, sessions, mailbox },
    routes,
    // Spring Security's `/api/**` rule runs before routing: anonymous callers get its empty 401 on
    // any path it does not open, whether or not a route exists there. Past it, Spring's own 404/405.
    async notFound(request, path, allowed) {
      const url = new URL(request.url);
      const opened = path === undefined || !path.startsWith('/api/') || PERMITTED_UNMAPPED.has(`${request.method} ${path}`);
      if (!opened) {
        const who = await principal({ request, url, path, params: {}, cookies: parseCookies(request.headers.get('cookie')) });
        if (who === 'halt') return empty(200);
        if (who === 'anonymous') return empty(401);
      }
      return allowed.length
        ? json(405, { code: 405, message: 'Method Not Allowed', success: false })
        : json(404, { code: 404, message: 'Not Found', success: false });
    },
    // Spring CorsConfiguration with the default `*` pattern: the Origin is echoed, with credentials.
    cors(request): CorsAnswer {
      const origin = request.headers.get('origin');
      if (!origin) return { headers: [] };
      const headers: [string, string][] = [
        ['access-control-allow-origin', origin],
        ['access-control-allow-credentials', 'true'],
        ['vary', 'Origin'],
      ];
      const method = request.headers.get('access-control-request-method');
      if (request.method !== 'OPTIONS' || !method) return { headers };
      const asked = request.headers.get('access-control-request-headers');
      return {
        headers,
        preflight: empty(200, [
          ...headers,
          ['access-control-allow-methods', method],
          ...(asked ? [['access-control-allow-headers', asked] as [string, string]] : []),
          ['access-control-max-age', '1800'],
        ]),
      };
    },
  });
}
