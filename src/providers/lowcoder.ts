import * as check from '../../generated/lowcoder.checks.js';
import { bearerKey } from '../auth/api-key.js';
import { checkCredentials, configError, requireText } from '../client/config.js';
import { createCore } from '../client/core.js';
import type { PlatformDef } from '../client/platform.js';
import { NotAuthenticatedError } from '../errors.js';
import { isRecord } from '../pipeline/check.js';
import { operation, type Verdict } from '../pipeline/operation.js';
import { setCookieExpiry } from '../session/expiry.js';
import type { LowcoderApiKey, LowcoderApiKeySummary, LowcoderClient, LowcoderLogin, LowcoderOptions, LowcoderPaths, LowcoderUser } from '../types.js';

const op = operation<LowcoderPaths>();
const ops = {
  login: op('login', 'post', '/api/auth/form/login', { auth: false, role: 'login', check: check.LowcoderBooleanResponse }),
  profile: op('profile', 'get', '/api/users/currentUser', { role: 'profile', check: check.LowcoderCurrentUserResponse }),
  logout: op('logout', 'post', '/api/auth/logout', { role: 'logout', check: check.LowcoderBooleanResponse }),
  createApiKey: op('createApiKey', 'post', '/api/auth/api-key', { check: check.LowcoderApiKeyCreatedResponse }),
  listApiKeys: op('listApiKeys', 'get', '/api/auth/api-keys', { check: check.LowcoderApiKeyListResponse }),
  deleteApiKey: op('deleteApiKey', 'delete', '/api/auth/api-key/{id}', { check: check.LowcoderVoidResponse }),
};
const DEFAULT_COOKIE = 'LOWCODER_CE_SELFHOST_TOKEN';

/** Lowcoder answers in an envelope `{code, message, success, data}`, errors often with status 200. */
function classify(status: number, body: unknown, role: string | undefined): Verdict | undefined {
  // A deleted API key gets an empty 200: the server may have run the request, so it is not replayed.
  if (status === 200 && body === undefined)
    return { kind: 'refused', reason: 'empty-response', message: 'Empty 200: Lowcoder answers a deleted API key this way.' };
  const envelope = isRecord(body) ? body : {};
  const { code } = envelope;
  const said = { ...(typeof code === 'number' && { code }), ...(typeof envelope.message === 'string' && envelope.message && { message: envelope.message }) };
  if (status < 300 && envelope.success !== false) {
    const user = envelope.data;
    return role === 'profile' && isRecord(user) && user.id === ''
      ? { kind: 'refused', reason: 'anonymous', message: 'Not signed in (anonymous user).', unrun: true }
      : undefined;
  }
  // Its auth filter answers 401 (5001 is a permission refusal) before any handler runs.
  if (status === 401 && code !== 5001) return { kind: 'refused', message: 'Not signed in, or the credential is no longer valid.', ...said, unrun: true };
  if (code === 5600 || code === 5616) return { kind: 'refused', ...said };
  if (code === 5608) return { kind: 'credentials', message: 'Invalid email or password.', ...said };
  if (status === 429 || code === 5009) return { kind: 'throttled', message: 'Too many requests.', ...said };
  if (status === 403 || code === 5001) return { kind: 'forbidden', message: 'Forbidden.', ...said };
  return { kind: 'failed', ...said };
}

/** The user as kept: without `userAuth.jwt`, which is the user's OAuth access token at their provider. */
function user(body: unknown): LowcoderUser {
  const { userAuth, ...rest } = (body as { data: LowcoderUser & { userAuth?: { jwt?: string; provider: string } | null } }).data;
  return userAuth ? { ...rest, userAuth: { provider: userAuth.provider } } : userAuth === null ? { ...rest, userAuth } : rest;
}

/** A client for Lowcoder's api-service: cookie sessions from form login, or an API key. */
export function lowcoder(options: LowcoderOptions): LowcoderClient {
  checkCredentials('lowcoder', options);
  const { apiKey, sessionCookie, cookieName = DEFAULT_COOKIE } = options;
  if (sessionCookie !== undefined && typeof options.cookies !== 'object') throw configError('lowcoder', '`sessionCookie` needs a cookie jar (Node).');
  requireText('lowcoder', 'configure', { cookieName });
  if (/[\s;=,]/.test(cookieName) || /[\s;,]/.test(sessionCookie ?? '')) throw configError('lowcoder', '`cookieName` and `sessionCookie` cannot hold spaces, `;` or `,` (or `=` in the name).');

  const def: PlatformDef<LowcoderUser, LowcoderLogin> = {
    platform: 'lowcoder',
    place: bearerKey,
    classify,
    ops,
    loginRequest(input) {
      requireText('lowcoder', 'login', { email: input.email, password: input.password });
      return {
        query: { orgId: input.orgId, invitationId: input.invitationId },
        json: { loginId: input.email, password: input.password, register: false, source: 'EMAIL', authId: input.authId ?? 'EMAIL' },
        secret: input.password,
      };
    },
    credential: (_body, answer, _mode, now) => {
      const expiresAt = setCookieExpiry(answer.res.headers.getSetCookie(), now);
      return expiresAt ? { expiresAt } : {};
    },
    user,
    unverified(error) {
      throw new NotAuthenticatedError(
        "Login succeeded but the session cookie did not come back: browsers drop Lowcoder's SameSite=Lax cookie cross-site over http. Use the same site, https, or an API key.",
        { platform: 'lowcoder', operation: 'login', reason: 'cookie-not-stored', cause: error },
      );
    },
    revokes: (mode) => mode === 'cookie',
  };

  const { call, members } = createCore({
    def,
    options,
    mode: 'cookie',
    initial: apiKey
      ? { mode: 'apiKey', secret: apiKey }
      : sessionCookie
        ? { mode: 'cookie', cookies: [`${cookieName}=${sessionCookie}; Path=/`] }
        : undefined,
  });

  return Object.assign(members as unknown as LowcoderClient, {
    async createApiKey(input, callOptions) {
      requireText('lowcoder', 'createApiKey', { name: input?.name });
      return (await call<{ data: LowcoderApiKey }>(ops.createApiKey, { json: input }, callOptions)).body.data;
    },
    async listApiKeys(callOptions) {
      return (await call<{ data: LowcoderApiKeySummary[] }>(ops.listApiKeys, {}, callOptions)).body.data;
    },
    async deleteApiKey(id, callOptions) {
      await call(ops.deleteApiKey, { params: { id } }, callOptions);
    },
  } satisfies Omit<LowcoderClient, keyof typeof members>);
}
