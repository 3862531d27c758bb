import type { components, paths } from '../../generated/apostrophe.js';
import { apiKeyQuery, apiKeyScheme } from '../auth/api-key.js';
import { createEngine, type CallOptions, type ClientOptions, type PlatformSpec, type SessionInfo } from '../client/engine.js';
import { requireText } from '../client/input.js';
import { rateLimited } from '../client/rate-limit.js';
import { expect, isRecord, obj, opt, record, str } from '../client/shape.js';
import type { AuthClient } from '../client/types.js';
import { completeLogin, requirementAnswers, submittedRequirements, type ApostropheRequirements } from './apostrophe-requirements.js';
import {
  ApiError,
  ForbiddenError,
  InvalidCredentialsError,
  NotAuthenticatedError,
  RateLimitedError,
  type ErrorContext,
} from '../errors.js';

export type ApostrophePaths = paths;
/** whoami fields: `_id`, `username`, `title`, `email` when set, plus the site's `whoamiFields`. */
export type ApostropheUser = components['schemas']['ApostropheWhoami'];

export interface ApostropheLogin {
  /** Username or email. */
  username: string;
  password: string;
  /**
   * Login requirements by name: a value for `beforeSubmit`/`uponSubmit` ones (captcha…), a function
   * answering an `afterPasswordVerified` one (2FA) from its props, e.g. `AposTotp: (props) => code`.
   */
  requirements?: ApostropheRequirements;
}

export interface ApostropheOptions extends ClientOptions {
  /** What `login()` creates: a bearer token (default) or a cookie session (same-origin browsers, or Node). */
  mode?: 'bearer' | 'cookie';
  /** Use a key from the site's `apiKeys` config (`Authorization: ApiKey`). */
  apiKey?: string;
  /** `query` sends the key as `?apikey=`, which lands in access logs; only when the header is impossible. */
  apiKeyIn?: 'header' | 'query';
  /** An existing bearer token. */
  token?: string;
  /** The site's `bearerTokens.lifetime` in seconds (default 14 days), for `expiresAt`. */
  bearerLifetime?: number;
  /** Called for a fresh login when the session expires or is refused; never store passwords instead. */
  getCredentials?: () => ApostropheLogin | Promise<ApostropheLogin>;
}

/** Apostrophe has no API-key endpoints: keys live in the site's configuration. */
export type ApostropheClient = AuthClient<ApostropheUser, ApostropheLogin, ApostrophePaths>;

const LOGIN = '/api/v1/@apostrophecms/login';
const WHOAMI = '/api/v1/@apostrophecms/login/whoami';
const TWO_WEEKS = 14 * 86400;
const ONE_HOUR = 3600;
const whoami = obj({ _id: opt(str), username: opt(str), title: opt(str), email: opt(str) });

const errorName = (body: unknown) => (isRecord(body) && typeof body.name === 'string' ? body.name : undefined);
const messageOf = (body: unknown) => (isRecord(body) && typeof body.message === 'string' ? body.message : undefined);
const isBadKey = (body: unknown) => isRecord(body) && body.error === 'invalid api key';
const isCsrf = (status: number, body: unknown) => status === 403 && messageOf(body) === 'CSRF exception';

function toError(res: Response, body: unknown, ctx: ErrorContext) {
  if (res.status < 300) return undefined;
  const name = errorName(body);
  const context = name ? { ...ctx, code: name } : ctx;
  const message = messageOf(body) ?? `HTTP ${res.status}`;
  if (res.status === 401) return new NotAuthenticatedError('Bearer token invalid or expired.', { ...context, reason: 'invalid-token' });
  // Apostrophe itself never answers 429, but a proxy or rate limiter in front of it may.
  if (res.status === 429) return rateLimited(res, message, context);
  if (isBadKey(body)) return new NotAuthenticatedError('Unknown API key.', { ...ctx, reason: 'invalid-api-key' });
  if (isCsrf(res.status, body)) return new ForbiddenError('CSRF cookie refused.', { ...context, reason: 'csrf' });
  // Logout's 403 `forbidden` means nobody was logged in (its message is translated, so key on the operation).
  if (res.status === 403 && ctx.operation === 'logout')
    return new NotAuthenticatedError(message, { ...context, reason: 'signed-out' });
  if (res.status === 403) return new ForbiddenError(message, context);
  // Throttling is a 400 like bad credentials; only its (English) message tells them apart.
  if (res.status === 400 && /too many attempts/i.test(message))
    return new RateLimitedError(message, { ...context, reason: 'throttled', retryAfter: 60 });
  if (res.status === 400 && ctx.operation === 'login' && name === 'invalid') {
    const requirement = isRecord(body) && isRecord(body.data) ? body.data.requirement : undefined;
    if (typeof requirement === 'string') return new ApiError(message, { ...context, reason: 'requirement' });
    return new InvalidCredentialsError(message, context);
  }
  if (res.status === 404 && ctx.operation === 'profile')
    return new NotAuthenticatedError('Not signed in.', { ...context, reason: 'signed-out' });
  return new ApiError(message, context);
}

/** A client for an ApostropheCMS site: bearer tokens, cookie sessions with the CSRF cookie, or API keys. */
export function apostrophe(options: ApostropheOptions): ApostropheClient {
  const { apiKey, token, getCredentials } = options;
  const mode = options.mode ?? 'bearer';
  const now = options.now ?? Date.now;
  const spec: PlatformSpec = {
    platform: 'apostrophe',
    apiKey: options.apiKeyIn === 'query' ? apiKeyQuery : apiKeyScheme,
    rejected: ({ res }, body, req) =>
      res.status === 401 || isBadKey(body) || (res.status === 404 && req.url.includes(WHOAMI)),
    csrf: { refused: ({ res }, body) => isCsrf(res.status, body), prime: WHOAMI },
    toError: ({ res }, body, ctx) => toError(res, body, ctx),
  };
  const engine = createEngine<ApostropheUser, ApostropheLogin, ApostrophePaths>({
    spec,
    options,
    mode,
    initial: apiKey ? { mode: 'apiKey', secret: apiKey } : token ? { mode: 'bearer', secret: token } : undefined,
    login: signIn,
    getCredentials,
  });

  const readWhoami = (call: CallOptions | undefined, as?: { mode: 'bearer' | 'cookie'; secret?: string | undefined }) =>
    engine.call('profile', 'GET', WHOAMI, as ? { as } : {}, call, (body, ctx) => expect<ApostropheUser>(body, whoami, ctx));

  async function signIn(input: ApostropheLogin, call: CallOptions | undefined, event: 'signedIn' | 'refreshed'): Promise<SessionInfo<ApostropheUser>> {
    requireText('apostrophe', 'login', { username: input?.username, password: input?.password });
    const answers = requirementAnswers(input.requirements);
    const result = await engine.call(
      'login',
      'POST',
      `${LOGIN}/login`,
      {
        auth: false,
        json: { username: input.username, password: input.password, session: mode === 'cookie', requirements: submittedRequirements(input.requirements) },
        secrets: [input.password],
      },
      call,
      (body, ctx) => {
        const result = expect<{ token?: string; incompleteToken?: string }>(body, record, ctx);
        if (typeof result.incompleteToken === 'string' && answers.length) return { incomplete: result.incompleteToken };
        if (typeof result.incompleteToken === 'string')
          throw new NotAuthenticatedError(
            'Password accepted; the site requires more login steps (2FA): answer them with `requirements`, a function per requirement name.',
            { ...ctx, reason: 'requirements-pending' },
          );
        // Session mode answers `{}`: the credential is the cookie, whatever else the body holds.
        return mode === 'cookie' ? undefined : expect<{ token: string }>(result, obj({ token: str }), ctx).token;
      },
    );
    const post = (operation: string, path: string, json: Record<string, unknown>, secrets: string[]) =>
      engine.call(operation, 'POST', path, { as: { mode: 'cookie' }, json, secrets }, call, (body) => body);
    // The steps go through the site's cookies: their routes need the CSRF cookie even without a session.
    const secret = typeof result === 'object' ? await completeLogin(post, result.incomplete, answers, mode) : result;
    const as = { mode, secret };
    let user: ApostropheUser | undefined;
    try {
      user = await readWhoami(call, as);
    } catch (error) {
      // Before 4.19 there is no whoami: the login itself still stands.
      if (!(error instanceof NotAuthenticatedError && error.reason === 'signed-out' && mode === 'bearer')) throw error;
    }
    return engine.signIn(
      {
        mode,
        ...(secret ? { secret, expiresAt: now() + (typeof result === 'object' ? ONE_HOUR : options.bearerLifetime ?? TWO_WEEKS) * 1000 } : {}),
        ...(user ? { user } : {}),
      },
      event,
    );
  }

  return {
    ...engine.client((call) => readWhoami(call)),
    logout: (call) =>
      engine.logout(
        (current) => current !== 'apiKey',
        () => engine.call('logout', 'POST', `${LOGIN}/logout`, {}, call, () => undefined),
      ),
  };
}
