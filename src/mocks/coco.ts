import type { components } from '../../generated/coco.js';
import { empty, isRecord, json, randomAlnum, randomHex, readJson, type Incoming, type Route } from './http.js';
import { b64url, fromB64url, signJwt, verifyJwt } from './jwt.js';
import { defaultClock, defineMock, type CorsAnswer, type MockOptions, type PlatformMock } from './mock.js';

type Schemas = components['schemas'];

/** A seeded Coco account of the mock. */
export interface CocoMockUser {
  /** The login name. */
  email: string;
  /** Kept in clear: a mock, for tests only. */
  password: string;
  /** The display name; the email when absent. */
  name?: string;
  /** The user id; generated when absent. */
  id?: string;
  /** `admin` bypasses permission checks (except for API-token callers). */
  roles?: string[];
  /** Permission keys (`category#resource/action`); an admin's set, or search only, when absent. */
  permissions?: string[];
}

/** How `mockCoco` behaves: its accounts and node id. */
export interface CocoMockOptions extends MockOptions {
  /**
   * Seeded accounts.
   * @default [DEFAULT_COCO_USER] (the setup admin `admin@example.com` / `s3cret-Passw0rd!`)
   */
  users?: CocoMockUser[];
  /** The instance's node id, the suffix of its `INFINI-SESSION-` cookie. */
  nodeId?: string;
}

interface UserRecord {
  id: string;
  email: string;
  password: string;
  name: string;
  roles: string[];
  permissions: string[];
}

interface TokenRecord {
  id: string;
  token: string;
  userId: string;
  name: string;
  description: string;
  permissions: string[];
  expire_in: number;
  created: string;
  updated: string;
}

/** What a Coco mock holds, for tests to inspect or change. */
export interface CocoMockState {
  /** The session cookie's name, `INFINI-SESSION-<nodeId>`. */
  readonly cookieName: string;
  /** Accounts by id. */
  readonly users: Map<string, UserRecord>;
  /**
   * Cookie values issued so far → the JWT each seals. A record for tests only: the server keeps no
   * sessions (the cookie carries the JWT), so nothing here is consulted and logout deletes nothing.
   */
  readonly sessions: Map<string, string>;
  /** API token string → its record. */
  readonly tokens: Map<string, TokenRecord>;
}

/** The account a Coco mock has when `users` is not given: the admin `admin@example.com` / `s3cret-Passw0rd!`. */
export const DEFAULT_COCO_USER: CocoMockUser = {
  email: 'admin@example.com',
  password: 's3cret-Passw0rd!',
  name: 'admin',
  roles: ['admin'],
};

const TOKEN_PERMISSIONS = ['create', 'search', 'update', 'delete'].map((a) => `generic#security:auth:api-token/${a}`);
const ADMIN_PERMISSIONS = ['coco#document/read', 'coco#search/search', 'coco#system/update', ...TOKEN_PERMISSIONS];
const JSON_UTF8 = 'application/json; charset=utf-8';
const SECRET = 'authwire-mock-coco-jwt-secret';
const xid = () => randomAlnum(20, '0123456789abcdefghijklmnopqrstuv');
const writeError = (status: number, reason: string) =>
  json(status, { status, error: { reason } } satisfies Schemas['CocoError'], [], JSON_UTF8);
// Panic recovery writes JSON without setting a Content-Type; Go sniffs it as text/plain.
const panic = (status: number, reason: string) =>
  new Response(JSON.stringify({ error: { status, reason } } satisfies Schemas['CocoPanicError']), {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8' },
  });
const INVALID_LOGIN = () => writeError(401, 'invalid login');
// Go's `http.Error`, which the router uses for 404 and 405.
const goError = (status: number, text: string, headers: [string, string][] = []) =>
  new Response(`${text}\n`, { status, headers: [['content-type', 'text/plain; charset=utf-8'], ['x-content-type-options', 'nosniff'], ...headers] });

/** gorilla/securecookie seals the session (HMAC and AES); AES-GCM does both here. */
const cookieKey = crypto.subtle.importKey('raw', new TextEncoder().encode('authwire-mock-coco-cookie-key-32'), 'AES-GCM', false, ['encrypt', 'decrypt']);
async function seal(jwt: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, await cookieKey, new TextEncoder().encode(jwt)));
  return b64url(new Uint8Array([...iv, ...sealed]));
}
async function unseal(value: string | undefined): Promise<string | undefined> {
  if (!value) return undefined;
  try {
    const bytes = fromB64url(value);
    return new TextDecoder().decode(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: bytes.subarray(0, 12) }, await cookieKey, bytes.subarray(12)));
  } catch {
    return undefined;
  }
}

type Caller = { user: UserRecord; permissions: string[]; viaToken: boolean };

/**
 * Coco Server with the INFINI security module as `providers/coco.md` describes it: login by
 * Content-Type, `expire_in` as a Unix time, a stateless session cookie sealing the login JWT (logout
 * revokes nothing) checked before Bearer and `X-API-TOKEN`, both error shapes, owner-scoped API
 * tokens, the router's plain-text 404 and 405, and CORS only on a few routes.
 */
export function createCocoMock(options: CocoMockOptions = {}): PlatformMock<CocoMockState> {
  const clock = defaultClock(options);
  const cookieName = `INFINI-SESSION-${options.nodeId ?? 'csb7e0kq50k4c8o7rnb0'}`;
  const users = new Map<string, UserRecord>();
  for (const seed of options.users ?? [DEFAULT_COCO_USER]) {
    const id = seed.id ?? randomHex(32);
    const roles = seed.roles ?? [];
    users.set(id, {
      id,
      email: seed.email,
      password: seed.password,
      name: seed.name ?? seed.email,
      roles,
      permissions: seed.permissions ?? (roles.includes('admin') ? ADMIN_PERMISSIONS : ['coco#search/search']),
    });
  }
  const sessions = new Map<string, string>();
  const tokens = new Map<string, TokenRecord>();
  const seconds = () => Math.floor(clock.now() / 1000);

  async function fromJwt(jwt: string | undefined): Promise<Caller | undefined> {
    const claims = jwt ? await verifyJwt(jwt, SECRET) : undefined;
    const user = claims && typeof claims.exp === 'number' && claims.exp > seconds() ? users.get(String(claims.userid)) : undefined;
    return user && { user, permissions: user.permissions, viaToken: false };
  }

  /** `ValidateLogin`: session cookie, then Bearer JWT, then `X-API-TOKEN`; the first that yields a user. */
  async function caller({ request, cookies }: Incoming): Promise<Caller | undefined> {
    const viaCookie = await fromJwt(await unseal(cookies.get(cookieName)));
    if (viaCookie) return viaCookie;
    const fields = (request.headers.get('authorization') ?? '').trim().split(/\s+/);
    if (fields[0] === 'Bearer') {
      const viaBearer = await fromJwt(fields[1]);
      if (viaBearer) return viaBearer;
    }
    const record = tokens.get(request.headers.get('x-api-token') ?? '');
    const user = record && users.get(record.userId);
    if (!record || !user || (record.expire_in > 0 && seconds() > record.expire_in)) return undefined;
    return { user, permissions: record.permissions.filter((p) => user.permissions.includes(p)), viaToken: true };
  }

  const needs = (permission: string | undefined, handler: (i: Incoming, c: Caller) => Response | Promise<Response>) =>
    async (incoming: Incoming) => {
      const c = await caller(incoming);
      if (!c) return INVALID_LOGIN();
      const bypass = c.user.roles.includes('admin') && !c.viaToken;
      if (permission && !bypass && !c.permissions.includes(permission))
        return writeError(403, `permission [[${permission}]] not allowed`);
      return handler(incoming, c);
    };

  async function body(request: Request): Promise<{ value: unknown } | { error: string }> {
    try {
      return { value: await readJson(request) };
    } catch (error) {
      return { error: error instanceof Error ? error.message : 'invalid JSON' };
    }
  }

  const profile = (c: Caller): Schemas['CocoUserProfile'] => ({
    id: c.user.id,
    name: c.user.name,
    email: c.user.email,
    preferences: {},
    permissions: c.permissions,
  });

  // Only asks the client to drop its cookie: there is nothing on the server to revoke.
  const logout = (method: string): Route => ({
    method,
    path: '/account/logout',
    handler: () =>
      json(200, { status: 'ok' } satisfies Schemas['CocoStatusOk'], [
        ['set-cookie', `${cookieName}=; Path=/; Expires=Thu, 01 Jan 1970 00:00:01 GMT; Max-Age=0; HttpOnly`],
      ], JSON_UTF8),
  });

  const source = (t: TokenRecord): Schemas['CocoApiTokenSource'] => ({
    id: t.id,
    name: t.name,
    description: t.description,
    access_token: '***',
    type: 'general',
    permissions: t.permissions,
    expire_in: t.expire_in,
    created: t.created,
    updated: t.updated,
    _system: { owner_id: t.userId },
  });

  const owned = (id: string | undefined, c: Caller) =>
    [...tokens.values()].find((t) => t.id === id && (t.userId === c.user.id || (c.user.roles.includes('admin') && !c.viaToken)));

  const routes: Route[] = [
    {
      method: 'POST',
      path: '/account/login',
      async handler({ request }) {
        const type = request.headers.get('content-type') ?? '';
        if (type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data'))
          return panic(500, 'previous password was not set');
        if (!type.startsWith('application/json')) return writeError(415, 'unsupported content type');
        const parsed = await body(request);
        if ('error' in parsed) return writeError(500, 'invalid JSON format');
        const input = isRecord(parsed.value) ? parsed.value : {};
        if (typeof input.password !== 'string' || !input.password) return writeError(400, 'password is required');
        if (input.email === undefined) return panic(500, 'previous password was not set');
        const user = [...users.values()].find((u) => u.email === input.email);
        if (!user || user.password !== input.password) return writeError(403, 'failed to login');
        const exp = seconds() + 86400;
        const jwt = await signJwt(
          {
            provider: 'default_native_auth_backend',
            login: user.email,
            roles: user.roles,
            userid: user.id,
            last_login: { timestamp: new Date(clock.now()).toISOString() },
            Timestamp: '0001-01-01T00:00:00Z',
            exp,
          },
          SECRET,
        );
        const value = await seal(jwt);
        sessions.set(value, jwt);
        return json(200, { access_token: jwt, expire_in: exp, status: 'ok' } satisfies Schemas['CocoLoginResponse'], [
          ['set-cookie', `${cookieName}=${value}; Path=/; HttpOnly`],
        ], JSON_UTF8);
      },
    },
    logout('GET'),
    logout('POST'),
    { method: 'GET', path: '/account/profile', handler: needs(undefined, (_, c) => json(200, profile(c), [], JSON_UTF8)) },
    {
      method: 'PUT',
      path: '/account/password',
      handler: needs(undefined, async ({ request }, c) => {
        const parsed = await body(request);
        if ('error' in parsed) return writeError(500, parsed.error);
        const input = isRecord(parsed.value) ? parsed.value : {};
        if (input.old_password !== c.user.password || typeof input.new_password !== 'string')
          return writeError(403, 'failed to login');
        c.user.password = input.new_password;
        return json(200, { _id: c.user.id, result: 'updated' } satisfies Schemas['CocoCrudResult'], [], JSON_UTF8);
      }),
    },
    {
      method: 'POST',
      path: '/auth/access_token',
      handler: needs(TOKEN_PERMISSIONS[0], async ({ request }, c) => {
        const parsed = await body(request);
        if ('error' in parsed) return panic(400, `invalid token: ${parsed.error}`);
        const input = isRecord(parsed.value) ? parsed.value : {};
        const asked = Array.isArray(input.permissions) ? input.permissions.map(String) : undefined;
        if (asked?.some((p) => !c.permissions.includes(p))) return panic(500, 'panic called with nil argument');
        const id = xid();
        const now = new Date(clock.now()).toISOString();
        const record: TokenRecord = {
          id,
          token: `${xid()}${randomAlnum(64)}`,
          userId: c.user.id,
          name: typeof input.name === 'string' && input.name ? input.name : `token_${clock.now()}_${randomAlnum(8)}`,
          description: typeof input.description === 'string' ? input.description : '',
          permissions: asked ?? c.permissions,
          expire_in: seconds() + 365 * 86400,
          created: now,
          updated: now,
        };
        tokens.set(record.token, record);
        return json(200, { _id: id, access_token: record.token, expire_in: record.expire_in } satisfies Schemas['CocoApiTokenCreated'], [], JSON_UTF8);
      }),
    },
    {
      method: 'GET',
      path: '/auth/access_token/_search',
      handler: needs(TOKEN_PERMISSIONS[1], ({ url }, c) => {
        const query = url.searchParams.get('query') ?? '';
        const from = Number(url.searchParams.get('from') ?? 0) || 0;
        const size = Number(url.searchParams.get('size') ?? 20) || 20;
        const mine = [...tokens.values()].filter((t) => t.userId === c.user.id && t.name.includes(query));
        return json(
          200,
          {
            took: 1,
            timed_out: false,
            hits: {
              total: { value: mine.length, relation: 'eq' },
              max_score: mine.length ? 1 : null,
              hits: mine.slice(from, from + size).map((t) => ({ _index: 'coco_access_token', _id: t.id, _source: source(t) })),
            },
          } satisfies Schemas['CocoApiTokenSearchResult'],
          [],
          JSON_UTF8,
        );
      }),
    },
    {
      method: 'PUT',
      path: '/auth/access_token/{token_id}',
      handler: needs(TOKEN_PERMISSIONS[2], async ({ request, params }, c) => {
        const parsed = await body(request);
        if ('error' in parsed) return panic(500, parsed.error);
        const input = isRecord(parsed.value) ? parsed.value : {};
        if (typeof input.name !== 'string' || !input.name) return writeError(400, 'name is required');
        const record = owned(params.token_id, c);
        if (!record) return writeError(404, 'access token not found');
        record.name = input.name;
        if (typeof input.description === 'string') record.description = input.description;
        record.updated = new Date(clock.now()).toISOString();
        return json(200, { _id: record.id, result: 'updated' } satisfies Schemas['CocoCrudResult'], [], JSON_UTF8);
      }),
    },
    {
      method: 'DELETE',
      path: '/auth/access_token/{token_id}',
      handler: needs(TOKEN_PERMISSIONS[3], ({ params }, c) => {
        const record = owned(params.token_id, c);
        if (!record) return writeError(404, 'access token not found');
        tokens.delete(record.token);
        return json(200, { _id: record.id, result: 'deleted' } satisfies Schemas['CocoCrudResult'], [], JSON_UTF8);
      }),
    },
    {
      method: 'GET',
      path: '/setting/application',
      handler: () =>
        json(
          200,
          {
            auth_enabled: true,
            setup_required: false,
            security: { managed: false, auth: { native: true, static: false, access_token: true, http_basic: false, oauth: {} } },
          } satisfies Schemas['CocoApplicationSettings'],
          [],
          JSON_UTF8,
        ),
    },
    { method: 'POST', path: '/setup/_initialize', handler: () => panic(500, 'setup has already been completed') },
  ];

  const CORS_PATHS = ['/account/profile', '/account/logout', '/setting/application'];

  return defineMock({
    platform: 'coco',
    baseUrl: options.baseUrl ?? 'https://coco.test',
    clock,
    state: { cookieName, users, sessions, tokens },
    routes,
    // The router: OPTIONS answered with Allow, another method a 405, an unknown path Go's 404.
    notFound(request, _path, allowed) {
      if (!allowed.length) return goError(404, '404 page not found');
      const allow = [...new Set(allowed), 'OPTIONS'].join(', ');
      if (request.method === 'OPTIONS') return empty(200, [['allow', allow]]);
      return goError(405, 'Method Not Allowed', [['allow', allow]]);
    },
    // Only a few routes carry the CORS feature; even there only preflights are answered for ordinary
    // origins, so a cross-origin page cannot read Coco's answers.
    cors(request, path): CorsAnswer {
      if (request.method !== 'OPTIONS') return { headers: [] };
      const origin = request.headers.get('origin');
      if (CORS_PATHS.includes(path) && origin && request.headers.get('access-control-request-method'))
        return {
          headers: [],
          preflight: empty(200, [
            ['access-control-allow-origin', origin],
            ['access-control-allow-methods', 'GET, POST, PUT, DELETE, OPTIONS'],
            ['access-control-allow-headers', 'Authorization, Content-Type, X-API-TOKEN, X-SERVICE-ID, APP-INTEGRATION-ID, WEBSOCKET-SESSION-ID'],
            ['access-control-allow-credentials', 'true'],
          ]),
        };
      const allow = routes.filter((r) => r.path === path).map((r) => r.method);
      return allow.length ? { headers: [], preflight: empty(200, [['allow', [...allow, 'OPTIONS'].join(', ')]]) } : { headers: [] };
    },
  });
}
