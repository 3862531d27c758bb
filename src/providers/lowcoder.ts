import type { components, paths } from '../../generated/lowcoder.js';
import { bearerKey } from '../auth/api-key.js';
import { createEngine, type CallOptions, type ClientOptions, type PlatformSpec, type SessionInfo } from '../client/engine.js';
import { requireText } from '../client/input.js';
import { rateLimited } from '../client/rate-limit.js';
import { arr, bool, expect, isRecord, nullable, num, obj, opt, record, str, type Check } from '../client/shape.js';
import type { AuthClient } from '../client/types.js';
import {
  ApiError,
  ConfigurationError,
  ForbiddenError,
  InvalidCredentialsError,
  NotAuthenticatedError,
} from '../errors.js';
import { setCookieExpiry } from '../session/expiry.js';

type Schemas = components['schemas'];
export type LowcoderPaths = paths;
export type LowcoderUser = Schemas['LowcoderUserDetail'];
/** A new API key; `token` is shown this once. */
export type LowcoderApiKey = Schemas['LowcoderApiKey'];
/** A listed API key; `token` is masked. */
export type LowcoderApiKeySummary = Schemas['LowcoderApiKeySummary'];

export interface LowcoderLogin {
  email: string;
  password: string;
  /** Auth config id; `EMAIL` (the built-in email login) by default. */
  authId?: string;
  /** Org whose auth configs apply (SAAS mode) and to join or switch to. */
  orgId?: string;
  /** Join through this invitation after logging in. */
  invitationId?: string;
}

export interface LowcoderOptions extends ClientOptions {
  /** Use this API key (`Authorization: Bearer`); the session cookie is then never sent with it. */
  apiKey?: string;
  /** An existing session cookie value, e.g. copied from a signed-in browser (Node only). */
  sessionCookie?: string;
  /** The session cookie's name (`LOWCODER_COOKIE_NAME`; `GET /api/configs` tells). */
  cookieName?: string;
  /** Called for a fresh login when the session expires or is refused; never store passwords instead. */
  getCredentials?: () => LowcoderLogin | Promise<LowcoderLogin>;
}

export interface LowcoderClient extends AuthClient<LowcoderUser, LowcoderLogin, LowcoderPaths> {
  /** Creates an API key with all of the caller's rights and no expiry; its token is shown once. */
  createApiKey(input: { name: string; description?: string }, options?: CallOptions): Promise<LowcoderApiKey>;
  listApiKeys(options?: CallOptions): Promise<LowcoderApiKeySummary[]>;
  /** Revokes a key; unknown ids succeed too. */
  deleteApiKey(id: string, options?: CallOptions): Promise<void>;
}

const envelope = (data: Check): Check => obj({ code: num, message: str, success: bool, data });
const user = obj({
  id: str,
  name: str,
  avatarUrl: opt(nullable(str)),
  uiLanguage: opt(str),
  email: opt(nullable(str)),
  ip: opt(str),
  groups: opt(arr(obj({ groupId: str, groupName: str }))),
  extra: opt(record),
  userAuth: opt(nullable(obj({ provider: str, jwt: opt(str) }))),
});
const isAnonymous = (body: unknown) =>
  isRecord(body) && isRecord(body.data) && body.data.id === '' && body.success === true;

const spec: PlatformSpec = {
  platform: 'lowcoder',
  apiKey: bearerKey,
  rejected: ({ res }, body, req) =>
    (res.status === 401 && !(isRecord(body) && body.code === 5001)) ||
    (res.status === 200 && (body === undefined || (req.url.includes('/currentUser') && isAnonymous(body)))),
  toError({ res }, body, ctx) {
    const env = isRecord(body) ? body : {};
    const code = typeof env.code === 'number' ? env.code : undefined;
    const context = code === undefined ? ctx : { ...ctx, code };
    const message = typeof env.message === 'string' && env.message ? env.message : undefined;
    if (res.status === 200 && body === undefined)
      return new NotAuthenticatedError(
        'Empty 200: Lowcoder answers a deleted API key this way.',
        { ...ctx, reason: 'empty-response' },
      );
    if (res.status < 300 && env.success !== false) return undefined;
    if ((res.status === 401 && code !== 5001) || code === 5600 || code === 5616)
      return new NotAuthenticatedError(message ?? 'Not signed in, or the credential is no longer valid.', context);
    if (code === 5608) return new InvalidCredentialsError(message ?? 'Invalid email or password.', context);
    if (res.status === 429 || code === 5009) return rateLimited(res, message ?? 'Too many requests.', context);
    if (res.status === 403 || code === 5001) return new ForbiddenError(message ?? 'Forbidden.', context);
    return new ApiError(message ?? `HTTP ${res.status}`, context);
  },
};

/** A client for Lowcoder's api-service: cookie sessions from form login, or an API key. */
export function lowcoder(options: LowcoderOptions): LowcoderClient {
  const { apiKey, sessionCookie, getCredentials } = options;
  if (sessionCookie !== undefined && typeof options.cookies !== 'object')
    throw new ConfigurationError('`sessionCookie` needs a cookie jar (Node).', {
      platform: 'lowcoder',
      operation: 'configure',
    });
  const engine = createEngine<LowcoderUser, LowcoderLogin, LowcoderPaths>({
    spec,
    options,
    mode: 'cookie',
    initial: apiKey
      ? { mode: 'apiKey', secret: apiKey }
      : sessionCookie
        ? { mode: 'cookie', cookies: [`${options.cookieName ?? 'LOWCODER_CE_SELFHOST_TOKEN'}=${sessionCookie}; Path=/`] }
        : undefined,
    login: signIn,
    getCredentials,
  });

  const currentUser = (call: CallOptions | undefined, as?: { mode: 'cookie' }) =>
    engine.call('profile', 'GET', '/api/users/currentUser', as ? { as } : {}, call, (body, ctx) => {
      const data = expect<{ data: LowcoderUser }>(body, envelope(user), ctx).data;
      if (data.id === '')
        throw new NotAuthenticatedError('Not signed in (anonymous user).', {
          ...ctx,
          reason: 'anonymous',
        });
      return data;
    });

  async function signIn(input: LowcoderLogin, call: CallOptions | undefined, event: 'signedIn' | 'refreshed'): Promise<SessionInfo<LowcoderUser>> {
    requireText('lowcoder', 'login', { email: input?.email, password: input?.password });
    const expiresAt = await engine.call(
      'login',
      'POST',
      '/api/auth/form/login',
      {
        auth: false,
        query: { orgId: input.orgId, invitationId: input.invitationId },
        json: { loginId: input.email, password: input.password, register: false, source: 'EMAIL', authId: input.authId ?? 'EMAIL' },
        secrets: [input.password],
      },
      call,
      (body, ctx, r) => {
        expect(body, envelope(bool), ctx);
        return setCookieExpiry(r.res.headers.getSetCookie(), (options.now ?? Date.now)());
      },
    );
    let profile: LowcoderUser;
    try {
      profile = await currentUser(call, { mode: 'cookie' });
    } catch (error) {
      if (error instanceof NotAuthenticatedError)
        throw new NotAuthenticatedError(
          "Login succeeded but the session cookie did not come back: browsers drop Lowcoder's SameSite=Lax cookie cross-site over http. Use the same site, https, or an API key.",
          { platform: 'lowcoder', operation: 'login', reason: 'cookie-not-stored' },
        );
      throw error;
    }
    return engine.signIn({ mode: 'cookie', user: profile, ...(expiresAt ? { expiresAt } : {}) }, event);
  }

  return {
    ...engine.client((call) => currentUser(call)),
    logout: (call) =>
      engine.logout(
        (mode) => mode === 'cookie',
        () => engine.call('logout', 'POST', '/api/auth/logout', {}, call, (body, ctx) => expect(body, envelope(bool), ctx)),
      ),
    async createApiKey(input, call) {
      requireText('lowcoder', 'createApiKey', { name: input?.name });
      return engine.call('createApiKey', 'POST', '/api/auth/api-key', { json: input }, call, (body, ctx) =>
        expect<{ data: LowcoderApiKey }>(body, envelope(obj({ id: str, token: str })), ctx).data,
      );
    },
    listApiKeys: (call) =>
      engine.call('listApiKeys', 'GET', '/api/auth/api-keys', {}, call, (body, ctx) =>
        expect<{ data: LowcoderApiKeySummary[] }>(
          body,
          envelope(arr(obj({ id: str, token: str, name: opt(nullable(str)), description: opt(nullable(str)) }))),
          ctx,
        ).data,
      ),
    async deleteApiKey(id, call) {
      requireText('lowcoder', 'deleteApiKey', { id });
      await engine.call('deleteApiKey', 'DELETE', `/api/auth/api-key/${encodeURIComponent(id)}`, {}, call, (body, ctx) =>
        expect(body, obj({ code: num, success: bool }), ctx),
      );
    },
  };
}
