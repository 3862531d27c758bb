import * as check from '../../generated/coco.checks.js';
import { tokenHeader } from '../auth/api-key.js';
import { checkCredentials, configError, requireText } from '../client/config.js';
import { createCore } from '../client/core.js';
import type { PlatformDef } from '../client/platform.js';
import { isRecord } from '../pipeline/check.js';
import { operations, type Verdict } from '../pipeline/operation.js';
import { expireInToEpochMs, jwtExpiry } from '../session/expiry.js';
import type { CocoApiKey, CocoApiKeySummary, CocoClient, CocoLogin, CocoOptions, CocoPaths, CocoServerInfo, CocoUser } from '../types.js';

const ops = /* @__PURE__ */ operations<CocoPaths>()({
  login: ['post', '/account/login', { auth: false, role: 'login', check: check.CocoLoginResponse }],
  profile: ['get', '/account/profile', { role: 'profile', check: check.CocoUserProfile }],
  logout: ['post', '/account/logout', { role: 'logout', check: check.CocoStatusOk }],
  createApiKey: ['post', '/auth/access_token', { check: check.CocoApiTokenCreated }],
  listApiKeys: ['get', '/auth/access_token/_search', { check: check.CocoApiTokenSearchResult }],
  renameApiKey: ['put', '/auth/access_token/{token_id}', { check: check.CocoCrudResult }],
  deleteApiKey: ['delete', '/auth/access_token/{token_id}', { check: check.CocoCrudResult }],
  changePassword: ['put', '/account/password', { role: 'changePassword', check: check.CocoCrudResult }],
  serverInfo: ['get', '/setting/application', { auth: false, check: check.CocoApplicationSettings }],
});

type Created = { _id?: string; access_token: string; expire_in: number };
type Hits = { hits: { total?: number | { value: number }; hits: { _id: string; _source: Record<string, unknown> }[] } };

/** Coco's two error shapes: `{status, error: {reason}}` and the panic `{error: {status, reason}}`. */
function classify(status: number, body: unknown, role: string | undefined): Verdict | undefined {
  if (status < 300) return undefined;
  const reason = isRecord(body) && isRecord(body.error) && typeof body.error.reason === 'string' ? body.error.reason : undefined;
  const said = reason ? { code: reason, message: reason } : {};
  if ((status === 401 || status === 403) && (role === 'login' || reason === 'failed to login'))
    return {
      kind: 'credentials',
      ...said,
      message: role === 'login' ? 'Invalid email or password.' : role === 'changePassword' ? 'The old password is wrong.' : reason!,
    };
  // Coco's auth filter answers 401 before any handler runs.
  if (status === 401) return { kind: 'refused', ...said, unrun: true };
  if (status === 403) return { kind: 'forbidden', ...said };
  if (status === 429) return { kind: 'throttled', ...said };
  return { kind: 'failed', ...said };
}

const def: PlatformDef<CocoUser, CocoLogin> = {
  platform: 'coco',
  place: tokenHeader,
  classify,
  ops,
  loginRequest(input) {
    requireText('coco', 'login', { email: input.email, password: input.password });
    return { json: { email: input.email, login: input.email, password: input.password }, secret: input.password };
  },
  credential(body, _answer, mode, now) {
    const login = body as Created;
    const expiresAt = expireInToEpochMs(login.expire_in, now) ?? jwtExpiry(login.access_token);
    // In cookie mode the cookie carries the same JWT; the body's copy is not kept.
    return { ...(mode === 'bearer' && { secret: login.access_token }), ...(expiresAt && { expiresAt }) };
  },
  user: (body) => body as CocoUser,
  // The cookie carries the login JWT itself, and JWTs live until `exp`: logout revokes nothing.
  revokes: () => false,
};

const expiryOf = (at: number | undefined) => (at === undefined ? {} : { expiresAt: at });

/**
 * A client for Coco Server: bearer JWTs or cookie sessions from login, or API tokens.
 *
 * @example
 * const client = coco({ baseUrl: 'https://coco.example.com' });
 * await client.login({ email: 'admin@example.com', password: process.env.COCO_PASSWORD! });
 * const token = await client.createApiKey({ name: 'ci', permissions: ['coco#search/search'] });
 * const bot = coco({ baseUrl: 'https://coco.example.com', apiKey: token.token });
 */
export function coco(options: CocoOptions): CocoClient {
  checkCredentials('coco', options);
  const { apiKey, token } = options;
  const mode = options.mode ?? 'bearer';
  const { call, members } = createCore({
    def,
    options,
    mode,
    initial: apiKey
      ? { mode: 'apiKey', secret: apiKey }
      : token
        ? { mode: 'bearer', secret: token, ...expiryOf(jwtExpiry(token)) }
        : undefined,
  });
  const now = options.now ?? Date.now;
  const expiry = (expireIn: unknown) => {
    const at = typeof expireIn === 'number' ? expireInToEpochMs(expireIn, now()) : undefined;
    return at ? { expiresAt: new Date(at) } : {};
  };

  return Object.assign(members as unknown as CocoClient, {
    async createApiKey(input = {}, callOptions) {
      if (!isRecord(input)) throw configError('coco', '`input` must be an object.', 'createApiKey');
      const created = (await call<Created>(ops.createApiKey, { json: input }, callOptions)).body;
      return { ...(created._id && { id: created._id }), token: created.access_token, ...expiry(created.expire_in) } satisfies CocoApiKey;
    },
    async listApiKeys(query = {}, callOptions) {
      const { from, size } = query;
      const { hits } = (await call<Hits>(ops.listApiKeys, { query: { query: query.query, from: from?.toString(), size: size?.toString() } }, callOptions)).body;
      const total = typeof hits.total === 'object' ? hits.total.value : hits.total;
      return {
        total: total ?? hits.hits.length,
        keys: hits.hits.map(({ _id, _source: s }): CocoApiKeySummary => ({
          id: _id,
          ...(typeof s.name === 'string' && { name: s.name }),
          ...(typeof s.description === 'string' && { description: s.description }),
          ...(Array.isArray(s.permissions) && { permissions: s.permissions as string[] }),
          ...expiry(s.expire_in),
        })),
      };
    },
    async renameApiKey(id, name, callOptions) {
      requireText('coco', 'renameApiKey', { name });
      await call(ops.renameApiKey, { params: { token_id: id }, json: { name } }, callOptions);
    },
    async deleteApiKey(id, callOptions) {
      await call(ops.deleteApiKey, { params: { token_id: id } }, callOptions);
    },
    async changePassword(input, callOptions) {
      requireText('coco', 'changePassword', { oldPassword: input?.oldPassword, newPassword: input?.newPassword });
      const { oldPassword, newPassword } = input;
      await call(ops.changePassword, { json: { old_password: oldPassword, new_password: newPassword }, secrets: [oldPassword, newPassword] }, callOptions);
    },
    async serverInfo(callOptions) {
      return (await call<CocoServerInfo>(ops.serverInfo, {}, callOptions)).body;
    },
  } satisfies Omit<CocoClient, keyof typeof members>);
}
