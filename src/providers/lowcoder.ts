import * as check from '../../generated/lowcoder.checks.js';
import { bearerKey } from '../auth/api-key.js';
import { checkCredentials, configError, requireText } from '../client/config.js';
import { createCore } from '../client/core.js';
import type { PlatformDef } from '../client/platform.js';
import { AbortedError, NetworkError, NotAuthenticatedError, TimeoutError } from '../errors.js';
import { isRecord } from '../pipeline/check.js';
import { operations, type Verdict } from '../pipeline/operation.js';
import { setCookieExpiry } from '../session/expiry.js';
import type {
  LowcoderApiKey,
  LowcoderApiKeySummary,
  LowcoderClient,
  LowcoderLogin,
  LowcoderOptions,
  LowcoderPaths,
  LowcoderServerInfo,
  LowcoderUser,
} from '../types.js';

const ops = /* @__PURE__ */ operations<LowcoderPaths>()({
  login: ['post', '/api/auth/form/login', { auth: false, role: 'login', check: check.LowcoderBooleanResponse }],
  profile: ['get', '/api/users/currentUser', { role: 'profile', check: check.LowcoderCurrentUserResponse }],
  logout: ['post', '/api/auth/logout', { role: 'logout', check: check.LowcoderBooleanResponse }],
  createApiKey: ['post', '/api/auth/api-key', { check: check.LowcoderApiKeyCreatedResponse }],
  listApiKeys: ['get', '/api/auth/api-keys', { check: check.LowcoderApiKeyListResponse }],
  deleteApiKey: ['delete', '/api/auth/api-key/{id}', { check: check.LowcoderVoidResponse }],
  changePassword: ['put', '/api/users/password', { role: 'changePassword', check: check.LowcoderBooleanResponse }],
  requestPasswordReset: ['post', '/api/users/lost-password', { auth: false, role: 'passwordResetRequest' }],
  resetPassword: ['post', '/api/users/reset-lost-password', { auth: false, role: 'passwordReset', check: check.LowcoderBooleanResponse }],
  serverInfo: ['get', '/api/configs', { auth: false, check: check.LowcoderConfigsResponse }],
});
const DEFAULT_COOKIE = 'LOWCODER_CE_SELFHOST_TOKEN';
const BAD_COOKIE_NAME = /[\s;=,]/;

/** Lowcoder answers in an envelope `{code, message, success, data}`, errors often with status 200. */
function classify(status: number, body: unknown, role: string | undefined): Verdict | undefined {
  if (status === 200 && body === undefined) {
    // The reset mail's answer is always empty; a reset's is empty when no account has that email.
    if (role === 'passwordResetRequest') return undefined;
    if (role === 'passwordReset') return { kind: 'failed', message: 'No account has this email: nothing changed.' };
    // A deleted API key gets an empty 200: the server may have run the request, so it is not replayed.
    return { kind: 'refused', reason: 'empty-response', message: 'Empty 200: Lowcoder answers a deleted API key this way.' };
  }
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
  if (code === 5608) return { kind: 'credentials', message: role === 'changePassword' ? 'The old password is wrong.' : 'Invalid email or password.', ...said };
  // A reset token that is wrong or expired (`INVALID_PARAMETER`, which Lowcoder sends as HTTP 500).
  if (role === 'passwordReset' && code === 5002) return { kind: 'credentials', ...said };
  if (status === 429 || code === 5009) return { kind: 'throttled', message: 'Too many requests.', ...said };
  if (status === 403 || code === 5001) return { kind: 'forbidden', message: 'Forbidden.', ...said };
  return { kind: 'failed', ...said };
}

/** The user as kept: without `userAuth.jwt`, which is the user's OAuth access token at their provider. */
function user(body: unknown): LowcoderUser {
  const { userAuth, ...rest } = (body as { data: LowcoderUser & { userAuth?: { jwt?: string; provider: string } | null } }).data;
  return userAuth ? { ...rest, userAuth: { provider: userAuth.provider } } : userAuth === null ? { ...rest, userAuth } : rest;
}

/**
 * A client for Lowcoder's api-service: cookie sessions from form login, or an API key.
 *
 * @example
 * const client = lowcoder({ baseUrl: 'https://lowcoder.example.com' });
 * await client.login({ email: 'ada@example.com', password: process.env.LOWCODER_PASSWORD! });
 * const key = await client.createApiKey({ name: 'nightly-export' });
 * const bot = lowcoder({ baseUrl: 'https://lowcoder.example.com', apiKey: key.token });
 */
export function lowcoder(options: LowcoderOptions): LowcoderClient {
  checkCredentials('lowcoder', options);
  const { apiKey, sessionCookie, cookieName = DEFAULT_COOKIE } = options;
  if (sessionCookie !== undefined && typeof options.cookies !== 'object') throw configError('lowcoder', '`sessionCookie` needs a cookie jar (Node).');
  requireText('lowcoder', 'configure', { cookieName });
  if (BAD_COOKIE_NAME.test(cookieName) || /[\s;,]/.test(sessionCookie ?? '')) throw configError('lowcoder', '`cookieName` and `sessionCookie` cannot hold spaces, `;` or `,` (or `=` in the name).');

  // A copied cookie must travel under the server's name, which `GET /api/configs` tells.
  const learnName = sessionCookie !== undefined && options.cookieName === undefined;
  const named: { name: string; from: string } = { name: cookieName, from: learnName ? 'the name GET /api/configs gave' : 'the `cookieName` option' };
  /** Until a login of its own, a refusal is about the cookie the user gave. */
  let givenInUse = sessionCookie !== undefined;
  const explain = (verdict: Verdict | undefined): Verdict | undefined =>
    givenInUse && verdict?.kind === 'refused' && verdict.reason !== 'empty-response'
      ? {
          ...verdict,
          message: `${verdict.message ?? 'Not signed in.'} The session cookie given as \`sessionCookie\` was not recognised when sent as ${named.name} (${named.from}): it expired, was logged out, or belongs to another server.`,
        }
      : verdict;

  const def: PlatformDef<LowcoderUser, LowcoderLogin> = {
    platform: 'lowcoder',
    place: bearerKey,
    classify: (status, body, role) => explain(classify(status, body, role)),
    ops,
    loginRequest(input) {
      requireText('lowcoder', 'login', { email: input.email, password: input.password });
      givenInUse = false;
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
    ...(learnName && {
      async prepare(initial) {
        try {
          const { body } = await call<{ data: LowcoderServerInfo }>(ops.serverInfo, { detached: true });
          if (!BAD_COOKIE_NAME.test(body.data.cookieName) && body.data.cookieName) named.name = body.data.cookieName;
          else named.from = 'the default: GET /api/configs named none usable';
        } catch (error) {
          // No answer: try again on the next call. A useless answer: keep the default name.
          if (error instanceof NetworkError || error instanceof TimeoutError || error instanceof AbortedError) throw error;
          named.from = 'the default: GET /api/configs failed';
        }
        return { ...initial, cookies: [`${named.name}=${sessionCookie}; Path=/`] };
      },
    }),
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
    async changePassword(input, callOptions) {
      requireText('lowcoder', 'changePassword', { oldPassword: input?.oldPassword, newPassword: input?.newPassword });
      const { oldPassword, newPassword } = input;
      await call(ops.changePassword, { json: { oldPassword, newPassword }, secrets: [oldPassword, newPassword] }, callOptions);
    },
    async requestPasswordReset(input, callOptions) {
      requireText('lowcoder', 'requestPasswordReset', { email: input?.email });
      await call(ops.requestPasswordReset, { json: { userEmail: input.email } }, callOptions);
    },
    async resetPassword(input, callOptions) {
      requireText('lowcoder', 'resetPassword', { email: input?.email, token: input?.token, newPassword: input?.newPassword });
      const { email, token, newPassword } = input;
      await call(ops.resetPassword, { json: { token, userEmail: email, newPassword }, secrets: [token, newPassword] }, callOptions);
    },
    async serverInfo(callOptions) {
      return (await call<{ data: LowcoderServerInfo }>(ops.serverInfo, {}, callOptions)).body.data;
    },
  } satisfies Omit<LowcoderClient, keyof typeof members>);
}
