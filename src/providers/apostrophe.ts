import * as check from '../../generated/apostrophe.checks.js';
import { apiKeyQuery, apiKeyScheme } from '../auth/api-key.js';
import { checkCredentials, configError, requireText } from '../client/config.js';
import { createCore } from '../client/core.js';
import type { PlatformDef } from '../client/platform.js';
import { NotAuthenticatedError } from '../errors.js';
import { expect, isRecord, obj, str } from '../pipeline/check.js';
import { operations, type Verdict } from '../pipeline/operation.js';
import { completeLogin, requirementAnswers, submittedRequirements } from './apostrophe-requirements.js';
import type { ApostropheClient, ApostropheLogin, ApostropheOptions, ApostrophePaths, ApostropheUser, AuthMode } from '../types.js';

const WHOAMI = '/api/v1/@apostrophecms/login/whoami';
const ops = /* @__PURE__ */ operations<ApostrophePaths>()({
  login: ['post', '/api/v1/@apostrophecms/login/login', { auth: false, role: 'login', check: check.ApostropheLoginResult }],
  profile: ['get', WHOAMI, { role: 'profile', check: check.ApostropheWhoami }],
  logout: ['post', '/api/v1/@apostrophecms/login/logout', { role: 'logout' }],
});
const TWO_WEEKS = 14 * 86400;
const ONE_HOUR = 3600;

const text = (body: unknown, key: string) => (isRecord(body) && typeof body[key] === 'string' ? (body[key] as string) : undefined);

function classify(status: number, body: unknown, role: string | undefined): Verdict | undefined {
  if (status < 300) return undefined;
  const name = text(body, 'name');
  const message = text(body, 'message');
  const said = { ...(name && { code: name }), ...(message && { message }) };
  // The bearer and API-key checks run in middleware, before any route: the request never ran.
  if (status === 401) return { kind: 'refused', reason: 'invalid-token', ...said, message: 'Bearer token invalid or expired.', unrun: true };
  // Apostrophe itself never answers 429, but a proxy or rate limiter in front of it may.
  if (status === 429) return { kind: 'throttled', ...said };
  if (text(body, 'error') === 'invalid api key') return { kind: 'refused', reason: 'invalid-api-key', message: 'Unknown API key.', unrun: true };
  if (status === 403 && message === 'CSRF exception') return { kind: 'csrf', reason: 'csrf', ...said, message: 'CSRF cookie refused.' };
  // Logout's 403 `forbidden` means nobody was logged in (its message is translated, so the role tells).
  if (status === 403 && role === 'logout') return { kind: 'refused', reason: 'signed-out', ...said };
  if (status === 403) return { kind: 'forbidden', ...said };
  // Throttling is a 400 like bad credentials; only its (English) message tells them apart.
  if (status === 400 && /too many attempts/i.test(message ?? '')) return { kind: 'throttled', ...said, retryAfter: 60 };
  if (status === 400 && role === 'login' && name === 'invalid') {
    const data = isRecord(body) ? body.data : undefined;
    return isRecord(data) && typeof data.requirement === 'string' ? { kind: 'failed', reason: 'requirement', ...said } : { kind: 'credentials', ...said };
  }
  if (status === 404 && role === 'profile') return { kind: 'refused', reason: 'signed-out', ...said, message: 'Not signed in.' };
  return { kind: 'failed', ...said };
}

/**
 * A client for an ApostropheCMS site: bearer tokens, cookie sessions with the CSRF cookie, or API keys.
 *
 * @example
 * const client = apostrophe({ baseUrl: 'https://cms.example.com' }); // or mode: 'cookie'
 * await client.login({ username: 'admin', password: process.env.APOS_PASSWORD! });
 * const task = apostrophe({ baseUrl: 'https://cms.example.com', apiKey: process.env.APOS_API_KEY! });
 */
export function apostrophe(options: ApostropheOptions): ApostropheClient {
  checkCredentials('apostrophe', options);
  const { apiKey, token, apiKeyIn, bearerLifetime = TWO_WEEKS } = options;
  const mode = options.mode ?? 'bearer';
  if (apiKeyIn !== undefined && apiKeyIn !== 'header' && apiKeyIn !== 'query') throw configError('apostrophe', '`apiKeyIn` must be "header" or "query".');
  if (!Number.isInteger(bearerLifetime) || bearerLifetime <= 0) throw configError('apostrophe', '`bearerLifetime` must be a positive whole number of seconds.');

  const def: PlatformDef<ApostropheUser, ApostropheLogin> = {
    platform: 'apostrophe',
    place: apiKeyIn === 'query' ? apiKeyQuery : apiKeyScheme,
    classify,
    csrfPrime: WHOAMI,
    ops,
    loginRequest(input, loginMode: AuthMode) {
      requireText('apostrophe', 'login', { username: input.username, password: input.password });
      return {
        json: { username: input.username, password: input.password, session: loginMode === 'cookie', requirements: submittedRequirements(input.requirements) },
        secret: input.password,
      };
    },
    async credential(body, _answer, loginMode, now, ctx, { input, post }) {
      if (isRecord(body) && typeof body.incompleteToken === 'string') {
        const answers = requirementAnswers(input.requirements);
        if (!answers.length)
          throw new NotAuthenticatedError(
            'Password accepted; the site requires more login steps (2FA): answer them with `requirements`, a function per requirement name.',
            { ...ctx, reason: 'requirements-pending' },
          );
        // A verified incomplete token lives for the site's `incompleteLifetime` (1 h by default).
        const secret = await completeLogin(post, body.incompleteToken, answers, loginMode === 'cookie' ? 'cookie' : 'bearer');
        return secret ? { secret, expiresAt: now + ONE_HOUR * 1000 } : {};
      }
      // Session mode answers `{}`: the credential is the cookie, whatever else the body holds.
      if (loginMode === 'cookie') return {};
      return { secret: expect<{ token: string }>(body, obj({ token: str }), ctx).token, expiresAt: now + bearerLifetime * 1000 };
    },
    user: (body) => body as ApostropheUser,
    unverified(error, loginMode) {
      // Before 4.19 there is no whoami: a bearer login still stands, without a user.
      if (!(error.reason === 'signed-out' && loginMode === 'bearer')) throw error;
    },
    revokes: (current) => current !== 'apiKey',
  };

  return createCore({
    def,
    options,
    mode,
    initial: apiKey ? { mode: 'apiKey', secret: apiKey } : token ? { mode: 'bearer', secret: token } : undefined,
  }).members as unknown as ApostropheClient;
}
