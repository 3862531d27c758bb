// Independent check of the SDK against openapi.yaml through Prism (issue 4, point 3): one `prism mock`
// process serves the contract's examples; every SDK operation of every platform and auth mode runs
// through it, Prism must see no request violation, and every documented answer of the operations
// the SDK wraps must come out as the right data or the right typed error.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { components as ApostropheSchemas } from '../../generated/apostrophe.js';
import type { components as CocoSchemas } from '../../generated/coco.js';
import {
  ApiError,
  apostrophe,
  AuthwireError,
  coco,
  ForbiddenError,
  InvalidCredentialsError,
  InvalidResponseError,
  lowcoder,
  NotAuthenticatedError,
  RateLimitedError,
  type ApostropheOptions,
  type CallOptions,
  type CocoOptions,
  type ErrorContext,
  type LogoutResult,
  type LowcoderOptions,
} from '../../src/node.js';
import { createApi } from '../../src/api.js';
import {
  SPEC_PATH,
  exampleBody,
  examplesOf,
  headerExample,
  operation,
  operations,
  requestExample,
  type ExampleCase,
} from './contract.js';
import { recorder, violation, type Exchange } from './recorder.js';
import { startPrism, type PrismServer } from './server.js';

// The contract's Coco examples are dated 24 h before the login JWT's `exp`; a fixed clock keeps the
// example credentials valid and the expiry figures exact.
const NOW = 1_763_862_400_000;
const DAY = 86_400_000;

const rec = recorder();
let prism: PrismServer;

beforeAll(async () => {
  prism = await startPrism(SPEC_PATH);
});
afterAll(() => prism?.stop());

// ── Violations ────────────────────────────────────────────────────────────────────────────────
// Two witnesses: each response (sl-violations header, or a Prism problem+json error) and Prism's
// own log, which says "Request did not pass the validation rules" for any violation.

const LOG_FAILED = /Request did not pass the validation rules/g;
// Every request ends with one of these lines, written after its validation lines.
const LOG_DONE = /> Responding with "|Request terminated with error/g;
let failedLines = 0;

/** New validation failures in Prism's log, once the log has caught up with every request sent. */
async function logFailures(): Promise<number> {
  for (let i = 0; (prism.log().match(LOG_DONE)?.length ?? 0) < rec.total(); i++) {
    if (i > 500) throw new Error(`Prism's log is missing requests:\n${prism.log().slice(-3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const now = prism.log().match(LOG_FAILED)?.length ?? 0;
  const fresh = now - failedLines;
  failedLines = now;
  return fresh;
}

const describeExchange = (e: Exchange) => `${e.method} ${e.path}${e.search} → ${e.status}`;

afterEach(async () => {
  const flagged = rec.take().flatMap((e) => {
    const found = violation(e);
    return found ? [`${describeExchange(e)}: ${found}`] : [];
  });
  // Read the log before asserting, so that one test's violation is never charged to the next.
  const logged = await logFailures();
  expect(flagged).toEqual([]);
  expect(logged).toBe(0);
});

// ── Clients and contract values ───────────────────────────────────────────────────────────────

const common = () => ({ baseUrl: prism.url, fetch: rec.fetch, now: () => NOW });
const lc = (extra: Partial<LowcoderOptions> = {}) => lowcoder({ ...common(), ...extra });
const ap = (extra: Partial<ApostropheOptions> = {}) => apostrophe({ ...common(), ...extra });
const cc = (extra: Partial<CocoOptions> = {}) => coco({ ...common(), ...extra });

const body = <T>(id: string, status: number, example?: string) => exampleBody(id, status, example) as T;
const cookiePair = (header: string) => headerExample(header).split(';')[0]!;

const LC_LOGIN = { email: 'ada@example.com', password: 's3cret-Passw0rd' };
const LC_COOKIE = cookiePair('LowcoderSessionSetCookie');
const LC_SESSION = LC_COOKIE.slice(LC_COOKIE.indexOf('=') + 1);
const LC_KEY = body<{ data: { id: string; token: string } }>('lowcoderCreateApiKey', 200).data;
/** A Lowcoder user as the SDK keeps it: `userAuth.jwt` (the user's OAuth token) dropped. */
const keptUser = (user: unknown) => {
  const { userAuth, ...rest } = user as { userAuth?: { provider: string } | null };
  return userAuth ? { ...rest, userAuth: { provider: userAuth.provider } } : user;
};
const lcUser = () => keptUser(body<{ data: unknown }>('lowcoderCurrentUser', 200, 'signedIn').data);

const AP_LOGIN = { username: 'admin', password: 's3cret-Passw0rd' };
const AP_TOKEN = body<{ token: string }>('apostropheLogin', 200, 'bearer').token;
const AP_SID = cookiePair('ApostropheSessionSetCookie');
const AP_KEY = 'k123456789';
const apUser = () => body('apostropheWhoamiGet', 200, 'user');

const CO_LOGIN = { email: 'admin@example.com', password: 's3cret-Passw0rd!' };
const CO_JWT = body<{ access_token: string; expire_in: number }>('cocoLogin', 200, 'current');
const CO_KEY = body<{ _id: string; access_token: string; expire_in: number }>('cocoCreateApiToken', 200);
const CO_SESSION = cookiePair('CocoSessionSetCookie');
const coUser = () => body('cocoProfile', 200);

/** Logout reports server failures in its result; the matrix treats them like thrown errors. */
async function loggedOut(client: { logout(options?: CallOptions): Promise<LogoutResult> }, call: CallOptions) {
  const result = await client.logout(call);
  if (result.error) {
    expect(result.serverRevoked).toBe(false);
    throw result.error;
  }
  return result;
}

/** Signs an Apostrophe cookie client in on the contract's session-mode answer. */
async function apostropheCookieSession(after: ExampleCase) {
  const client = ap({ mode: 'cookie' });
  rec.only(operation('apostropheLogin'));
  await client.login(AP_LOGIN, { headers: { Prefer: 'code=200, example=session' } });
  rec.only(after.operation, after.media);
  return client;
}

// ── The operations the SDK wraps, each driven for one documented answer ───────────────────────

type Driver = (call: CallOptions, c: ExampleCase) => Promise<unknown>;

const drivers: Record<string, Driver> = {
  async lowcoderFormLogin(call) {
    const client = lc();
    return { session: await client.login(LC_LOGIN, call), credential: await client.credential() };
  },
  lowcoderCurrentUser: (call) => lc({ sessionCookie: LC_SESSION }).profile(call),
  lowcoderLogout: (call) => loggedOut(lc({ sessionCookie: LC_SESSION }), call),
  lowcoderCreateApiKey: (call) =>
    lc({ sessionCookie: LC_SESSION }).createApiKey({ name: 'ci-bot', description: 'Nightly export job' }, call),
  lowcoderListApiKeys: (call) => lc({ sessionCookie: LC_SESSION }).listApiKeys(call),
  lowcoderDeleteApiKey: (call) => lc({ sessionCookie: LC_SESSION }).deleteApiKey(LC_KEY.id, call),

  async apostropheLogin(call, c) {
    const client = ap({ mode: c.example === 'session' ? 'cookie' : 'bearer' });
    return { session: await client.login(AP_LOGIN, call), credential: await client.credential() };
  },
  // The API-key answers (the synthetic user, the unknown-key 403) go to an API-key client.
  apostropheWhoamiGet: (call, c) =>
    (c.example === 'apiKey' || c.status === 403 ? ap({ apiKey: AP_KEY }) : ap({ token: AP_TOKEN })).profile(call),
  async apostropheLogout(call, c) {
    if (c.example === 'csrf') return loggedOut(await apostropheCookieSession(c), call);
    return loggedOut(c.example === 'invalidApiKey' ? ap({ apiKey: AP_KEY }) : ap({ token: AP_TOKEN }), call);
  },

  async cocoLogin(call) {
    const client = cc();
    return { session: await client.login(CO_LOGIN, call), credential: await client.credential() };
  },
  cocoProfile: (call) => cc({ token: CO_JWT.access_token }).profile(call),
  cocoLogout: (call) => loggedOut(cc({ token: CO_JWT.access_token }), call),
  cocoCreateApiToken: (call) =>
    cc({ token: CO_JWT.access_token }).createApiKey({ name: 'ci-bot', permissions: ['coco#document/read'] }, call),
  cocoSearchApiTokens: (call) => cc({ token: CO_JWT.access_token }).listApiKeys({ query: 'ci', from: 0, size: 10 }, call),
  cocoUpdateApiToken: (call) => cc({ token: CO_JWT.access_token }).renameApiKey(CO_KEY._id, 'ci-bot-renamed', call),
  cocoDeleteApiToken: (call) => cc({ token: CO_JWT.access_token }).deleteApiKey(CO_KEY._id, call),
};

/** Operations the SDK does not wrap; the `api` tests below call each of them. */
const API_ONLY = [
  'lowcoderUserProfile',
  'lowcoderConfigs',
  'apostropheWhoami',
  'apostropheContextGet',
  'apostropheContext',
  'apostropheRequirementProps',
  'apostropheRequirementVerify',
  'apostropheResetRequest',
  'apostropheResetCheck',
  'apostropheReset',
  'cocoLogoutGet',
  'cocoChangePassword',
  'cocoApplicationSettings',
  'cocoInitialize',
];

// ── Expected outcome of every documented answer ───────────────────────────────────────────────

type ErrorType = new (message: string, context: ErrorContext) => AuthwireError;
interface Failure {
  throws: ErrorType;
  code?: string | number;
  reason?: string;
  retryAfter?: number;
  /** The requests the call made, as `METHOD path status`, when their sequence matters. */
  requests?: string[];
}
interface Success {
  returns: (value: unknown, documented: unknown) => void;
}
type Outcome = Failure | Success;

const fails = (throws: ErrorType, extra: Omit<Failure, 'throws'> = {}): Failure => ({ throws, ...extra });
const dataOf = (documented: unknown) => (documented as { data: unknown }).data;

const lowcoderFailures = (id: string): Record<string, Outcome> => ({
  [`${id} 429`]: fails(RateLimitedError, { code: 5009, reason: 'throttled' }),
  [`${id} 500 internal`]: fails(ApiError, { code: 5000 }),
  [`${id} 500 invalidParameter`]: fails(ApiError, { code: 5002 }),
  [`${id} 500 banned`]: fails(ApiError, { code: 6201 }),
});
const cocoServerErrors = (id: string): Record<string, Outcome> => ({
  [`${id} 500 writeError`]: fails(ApiError, { code: 'invalid JSON format' }),
  [`${id} 500 panic`]: fails(ApiError, { code: 'previous password was not set' }),
  [`${id} 500 text/plain`]: fails(ApiError, { code: 'setup has already been completed' }),
});
const cocoAuthFailures = (id: string): Record<string, Outcome> => ({
  [`${id} 401`]: fails(NotAuthenticatedError, { code: 'invalid login' }),
  [`${id} 403`]: fails(ForbiddenError, { code: 'permission [[generic#security:auth:api-token/create]] not allowed' }),
});

const APOSTROPHE_LOGIN = 'POST /api/v1/@apostrophecms/login/login';
const APOSTROPHE_WHOAMI = 'GET /api/v1/@apostrophecms/login/whoami';
const APOSTROPHE_LOGOUT = 'POST /api/v1/@apostrophecms/login/logout';

const expected: Record<string, Outcome> = {
  // Lowcoder
  'lowcoderFormLogin 200': {
    returns(value) {
      expect(value).toEqual({
        session: { platform: 'lowcoder', mode: 'cookie', signedIn: true, expiresAt: new Date(NOW + DAY), user: lcUser() },
        credential: LC_COOKIE,
      });
    },
  },
  // A failed login never reaches the verification request.
  'lowcoderFormLogin 400 unsupported': fails(ApiError, { code: 5003, requests: ['POST /api/auth/form/login 400'] }),
  'lowcoderFormLogin 400 userNotExist': fails(ApiError, { code: 5618 }),
  'lowcoderFormLogin 400 authError': fails(ApiError, { code: 5614 }),
  'lowcoderFormLogin 403 invalidPassword': fails(InvalidCredentialsError, { code: 5608, requests: ['POST /api/auth/form/login 403'] }),
  'lowcoderFormLogin 403 loginIdExists': fails(ForbiddenError, { code: 5607 }),
  'lowcoderFormLogin 403 providerDisabled': fails(ForbiddenError, { code: 5622 }),
  'lowcoderFormLogin 403 sourceNotSupported': fails(ForbiddenError, { code: 5602 }),
  ...lowcoderFailures('lowcoderFormLogin'),
  'lowcoderCurrentUser 200 signedIn': { returns: (value, documented) => expect(value).toEqual(keptUser(dataOf(documented))) },
  'lowcoderCurrentUser 200 anonymous': fails(NotAuthenticatedError, { reason: 'anonymous' }),
  ...lowcoderFailures('lowcoderCurrentUser'),
  'lowcoderLogout 200': { returns: (value) => expect(value).toEqual({ serverRevoked: true }) },
  ...lowcoderFailures('lowcoderLogout'),
  'lowcoderCreateApiKey 200': { returns: (value, documented) => expect(value).toEqual(dataOf(documented)) },
  'lowcoderCreateApiKey 401': fails(NotAuthenticatedError),
  ...lowcoderFailures('lowcoderCreateApiKey'),
  'lowcoderListApiKeys 200': { returns: (value, documented) => expect(value).toEqual(dataOf(documented)) },
  'lowcoderListApiKeys 401': fails(NotAuthenticatedError),
  ...lowcoderFailures('lowcoderListApiKeys'),
  'lowcoderDeleteApiKey 200': { returns: (value) => expect(value).toBeUndefined() },
  'lowcoderDeleteApiKey 401': fails(NotAuthenticatedError),
  ...lowcoderFailures('lowcoderDeleteApiKey'),

  // ApostropheCMS
  'apostropheLogin 200 bearer': {
    returns(value, documented) {
      expect(value).toEqual({
        session: { platform: 'apostrophe', mode: 'bearer', signedIn: true, expiresAt: new Date(NOW + 14 * DAY), user: apUser() },
        credential: (documented as { token: string }).token,
      });
    },
  },
  'apostropheLogin 200 session': {
    returns(value) {
      expect(value).toEqual({
        session: { platform: 'apostrophe', mode: 'cookie', signedIn: true, user: apUser() },
        credential: expect.stringContaining(AP_SID),
      });
    },
  },
  'apostropheLogin 200 incomplete': fails(NotAuthenticatedError, { reason: 'requirements-pending', requests: [`${APOSTROPHE_LOGIN} 200`] }),
  'apostropheLogin 400 bothRequired': fails(InvalidCredentialsError, { code: 'invalid' }),
  'apostropheLogin 400 badCredentials': fails(InvalidCredentialsError, { code: 'invalid', requests: [`${APOSTROPHE_LOGIN} 400`] }),
  'apostropheLogin 400 throttled': fails(RateLimitedError, { code: 'invalid', reason: 'throttled', retryAfter: 60 }),
  'apostropheLogin 400 requirement': fails(ApiError, { code: 'invalid', reason: 'requirement' }),
  // Express's HTML error page for malformed JSON.
  'apostropheLogin 400 text/html': fails(ApiError),
  'apostropheLogin 401': fails(NotAuthenticatedError, { code: 'invalid', reason: 'invalid-token' }),
  'apostropheLogin 403 invalidApiKey': fails(NotAuthenticatedError, { reason: 'invalid-api-key' }),
  'apostropheLogin 403 requirementsPending': fails(ForbiddenError, { code: 'forbidden' }),
  'apostropheLogin 404': fails(ApiError, { code: 'notfound' }),
  'apostropheLogin 500': fails(ApiError, { code: 'error' }),
  'apostropheWhoamiGet 200 user': { returns: (value, documented) => expect(value).toEqual(documented) },
  'apostropheWhoamiGet 200 apiKey': { returns: (value) => expect(value).toEqual({ title: 'System Task' }) },
  'apostropheWhoamiGet 401': fails(NotAuthenticatedError, { reason: 'invalid-token' }),
  'apostropheWhoamiGet 403': fails(NotAuthenticatedError, { reason: 'invalid-api-key' }),
  'apostropheWhoamiGet 404': fails(NotAuthenticatedError, { code: 'notfound', reason: 'signed-out' }),
  'apostropheWhoamiGet 500': fails(ApiError, { code: 'error' }),
  'apostropheLogout 200': { returns: (value) => expect(value).toEqual({ serverRevoked: true }) },
  'apostropheLogout 400': fails(ApiError),
  'apostropheLogout 401': fails(NotAuthenticatedError, { reason: 'invalid-token' }),
  // "You were not logged in.": the request carried no valid login, which is NotAuthenticated, not Forbidden.
  'apostropheLogout 403 notLoggedIn': fails(NotAuthenticatedError),
  // A cookie client refused for CSRF fetches the cookie (GET whoami) and replays once.
  'apostropheLogout 403 csrf': fails(ForbiddenError, {
    code: 'forbidden',
    reason: 'csrf',
    requests: [`${APOSTROPHE_LOGIN} 200`, `${APOSTROPHE_WHOAMI} 200`, `${APOSTROPHE_LOGOUT} 403`, `${APOSTROPHE_WHOAMI} 200`, `${APOSTROPHE_LOGOUT} 403`],
  }),
  'apostropheLogout 403 invalidApiKey': fails(NotAuthenticatedError, { reason: 'invalid-api-key' }),
  'apostropheLogout 500': fails(ApiError, { code: 'error' }),

  // Coco Server
  'cocoLogin 200 current': {
    returns(value, documented) {
      const login = documented as { access_token: string; expire_in: number };
      expect(value).toEqual({
        session: { platform: 'coco', mode: 'bearer', signedIn: true, expiresAt: new Date(login.expire_in * 1000), user: coUser() },
        credential: login.access_token,
      });
    },
  },
  // The documented (older) reading: expire_in is a duration.
  'cocoLogin 200 docs': {
    returns(value, documented) {
      const login = documented as { access_token: string; expire_in: number };
      expect(value).toEqual({
        session: { platform: 'coco', mode: 'bearer', signedIn: true, expiresAt: new Date(NOW + login.expire_in * 1000), user: coUser() },
        credential: login.access_token,
      });
    },
  },
  // Form login's redirect: the SDK never follows redirects with credentials.
  'cocoLogin 303': fails(InvalidResponseError, { requests: ['POST /account/login 303'] }),
  'cocoLogin 400 passwordRequired': fails(ApiError, { code: 'password is required' }),
  'cocoLogin 401': fails(InvalidCredentialsError, { code: 'invalid login or password' }),
  'cocoLogin 403': fails(InvalidCredentialsError, { code: 'failed to login', requests: ['POST /account/login 403'] }),
  'cocoLogin 415': fails(ApiError, { code: 'unsupported content type' }),
  'cocoLogin 429': fails(RateLimitedError, { code: 'too many login attempts', reason: 'throttled' }),
  ...cocoServerErrors('cocoLogin'),
  'cocoProfile 200': { returns: (value, documented) => expect(value).toEqual(documented) },
  'cocoProfile 401 invalidLogin': fails(NotAuthenticatedError, { code: 'invalid login' }),
  'cocoProfile 401 guest': fails(NotAuthenticatedError, { code: 'no profile for guest user' }),
  'cocoProfile 401 userNotFound': fails(NotAuthenticatedError, { code: 'user not found' }),
  ...cocoServerErrors('cocoProfile'),
  // Bearer JWTs outlive logout.
  'cocoLogout 200': { returns: (value) => expect(value).toEqual({ serverRevoked: false }) },
  'cocoLogout 431 text/plain': fails(ApiError),
  'cocoCreateApiToken 200': {
    returns(value, documented) {
      const created = documented as { _id: string; access_token: string; expire_in: number };
      expect(value).toEqual({ id: created._id, token: created.access_token, expiresAt: new Date(created.expire_in * 1000) });
    },
  },
  // Malformed JSON, in the panic shape.
  'cocoCreateApiToken 400': fails(ApiError, { code: 'invalid token: unexpected end of JSON input' }),
  'cocoCreateApiToken 400 text/plain': fails(ApiError, { code: 'invalid token: unexpected end of JSON input' }),
  ...cocoAuthFailures('cocoCreateApiToken'),
  ...cocoServerErrors('cocoCreateApiToken'),
  'cocoSearchApiTokens 200': {
    returns(value, documented) {
      const hit = (documented as { hits: { hits: { _id: string; _source: Record<string, unknown> }[] } }).hits.hits[0]!;
      expect(value).toEqual({
        total: 1,
        keys: [
          {
            id: hit._id,
            name: hit._source.name,
            description: hit._source.description,
            permissions: hit._source.permissions,
            expiresAt: new Date((hit._source.expire_in as number) * 1000),
          },
        ],
      });
    },
  },
  ...cocoAuthFailures('cocoSearchApiTokens'),
  ...cocoServerErrors('cocoSearchApiTokens'),
  'cocoUpdateApiToken 200': { returns: (value) => expect(value).toBeUndefined() },
  'cocoUpdateApiToken 400': fails(ApiError, { code: 'name is required' }),
  ...cocoAuthFailures('cocoUpdateApiToken'),
  'cocoUpdateApiToken 404': fails(ApiError, { code: 'access token not found' }),
  ...cocoServerErrors('cocoUpdateApiToken'),
  'cocoDeleteApiToken 200': { returns: (value) => expect(value).toBeUndefined() },
  ...cocoAuthFailures('cocoDeleteApiToken'),
  'cocoDeleteApiToken 404': fails(ApiError, { code: 'access token not found' }),
  ...cocoServerErrors('cocoDeleteApiToken'),
};

const cases = operations.filter((op) => op.id in drivers).flatMap(examplesOf);
const requestsOf = (exchanges: Exchange[]) => exchanges.map((e) => `${e.method} ${e.path} ${e.status}`);

describe('the contract is covered', () => {
  it('drives every operation of openapi.yaml: SDK methods for the wrapped ones, `api` for the rest', () => {
    expect(operations.map((op) => op.id).sort()).toEqual([...Object.keys(drivers), ...API_ONLY].sort());
  });

  it('has an expectation for every documented answer of the wrapped operations, and none left over', () => {
    expect(Object.keys(expected).sort()).toEqual(cases.map((c) => c.key).sort());
  });

  it('flags a request that breaks the contract (the violation check can fail)', async () => {
    // No credential on an operation that needs one.
    const error = await lc()
      .listApiKeys({ maxRetries: 0 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotAuthenticatedError);
    const [exchange, ...more] = rec.take();
    expect(more).toEqual([]);
    expect(violation(exchange!)).toMatch(/Invalid security scheme/);
    expect(await logFailures()).toBe(1);
  });
});

describe('every documented answer of the wrapped operations', () => {
  it.for(cases)('$key', async (c) => {
    const outcome = expected[c.key];
    if (!outcome) throw new Error(`No expectation for the documented answer "${c.key}": add one to \`expected\`.`);
    rec.only(c.operation, c.media);
    // No retries: 429 and 5xx examples must be asked for once.
    const call: CallOptions = { headers: { Prefer: c.prefer }, maxRetries: 0 };
    const settled = await drivers[c.operation.id]!(call, c).then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );

    // Prism answered the operation under test with exactly the documented answer.
    const answers = rec.of(c.operation).filter((e) => e.request.has('prefer'));
    expect(answers.length).toBeGreaterThan(0);
    for (const answer of answers) {
      expect(answer.status).toBe(c.status);
      if (c.media) expect(answer.response.get('content-type')).toContain(c.media);
      if (c.body !== undefined)
        expect(c.media === 'application/json' ? JSON.parse(answer.body) : answer.body).toEqual(c.body);
      else expect(answer.body).toBe('');
    }
    if ('throws' in outcome && outcome.requests) expect(requestsOf(rec.seen())).toEqual(outcome.requests);

    if ('returns' in outcome) {
      if ('error' in settled) throw settled.error;
      outcome.returns(settled.value, c.body);
    } else {
      if (!('error' in settled)) throw new Error(`Expected ${outcome.throws.name}, got ${JSON.stringify(settled.value)}`);
      const error = settled.error as AuthwireError;
      expect(error.constructor).toBe(outcome.throws);
      expect(error.platform).toBe(c.operation.tag === 'Lowcoder' ? 'lowcoder' : c.operation.tag === 'ApostropheCMS' ? 'apostrophe' : 'coco');
      expect(error.status).toBe(c.status);
      if (outcome.code !== undefined) expect(error.code).toBe(outcome.code);
      if (outcome.reason !== undefined) expect(error.reason).toBe(outcome.reason);
      if (outcome.retryAfter !== undefined) expect((error as RateLimitedError).retryAfter).toBe(outcome.retryAfter);
    }
  });
});

// ── Whole flows per platform and auth mode, on Prism's default answers ────────────────────────

const headersOf = (name: string) => rec.seen().map((e) => e.request.get(name));
const all = <T>(values: T[], value: T) => values.map(() => value);

describe('Lowcoder', () => {
  it('cookie session: login stores the Set-Cookie, every later call sends it, logout forgets it', async () => {
    const client = lc();
    const session = await client.login(LC_LOGIN);
    expect(session).toMatchObject({ mode: 'cookie', signedIn: true, user: lcUser() });
    expect(await client.profile()).toEqual(lcUser());
    expect(await client.createApiKey({ name: 'ci-bot', description: 'Nightly export job' })).toEqual(LC_KEY);
    expect(await client.listApiKeys()).toEqual(body<{ data: unknown }>('lowcoderListApiKeys', 200).data);
    await client.deleteApiKey(LC_KEY.id);
    expect(await client.logout()).toEqual({ serverRevoked: true });
    expect(await client.credential()).toBeUndefined();

    const cookies = headersOf('cookie');
    expect(cookies[0]).toBeNull(); // login
    expect(cookies.slice(1)).toEqual(all(cookies.slice(1), LC_COOKIE));
    expect(headersOf('authorization')).toEqual(all(cookies, null));
    expect(requestsOf(rec.seen())).toEqual([
      'POST /api/auth/form/login 200',
      'GET /api/users/currentUser 200',
      'GET /api/users/currentUser 200',
      'POST /api/auth/api-key 200',
      'GET /api/auth/api-keys 200',
      `DELETE /api/auth/api-key/${LC_KEY.id} 200`,
      'POST /api/auth/logout 200',
    ]);
  });

  it('API key: Authorization: Bearer on every call, never a cookie', async () => {
    const client = lc({ apiKey: LC_KEY.token });
    expect(await client.profile()).toEqual(lcUser());
    expect((await client.createApiKey({ name: 'second' })).token).toBe(LC_KEY.token);
    expect(await client.listApiKeys()).toHaveLength(1);
    await client.deleteApiKey(LC_KEY.id);
    const auth = headersOf('authorization');
    expect(auth).toEqual(all(auth, `Bearer ${LC_KEY.token}`));
    expect(headersOf('cookie')).toEqual(all(auth, null));
  });

  // Lowcoder answers logout with only an API key (the contract says so), but the operation's
  // `security` lists only the session cookie and `{}`, and Prism's `{}` requires no Authorization.
  it('API key: logout is accepted with the key alone and leaves the key valid', async () => {
    const client = lc({ apiKey: LC_KEY.token });
    expect(await client.logout()).toEqual({ serverRevoked: false });
    expect(headersOf('authorization')).toEqual([`Bearer ${LC_KEY.token}`]);
  });

  it('login: a verification answered with the anonymous user means the cookie did not come back', async () => {
    rec.only(operation('lowcoderCurrentUser'));
    const error = await lc()
      .login(LC_LOGIN, { headers: { Prefer: 'code=200, example=anonymous' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotAuthenticatedError);
    expect((error as NotAuthenticatedError).reason).toBe('cookie-not-stored');
  });

  it('api: GET /api/configs anonymously and GET /api/users/me with the session; errors come back as data', async () => {
    const anonymous = lc();
    const configs = await createApi(anonymous).GET('/api/configs');
    expect(configs.response.status).toBe(200);
    expect(configs.data).toEqual(body('lowcoderConfigs', 200));

    const client = lc({ sessionCookie: LC_SESSION, maxRetries: 0 });
    const me = await createApi(client).GET('/api/users/me');
    expect(me.data).toEqual(body('lowcoderUserProfile', 200));
    expect(me.response.headers.get('content-type')).toContain('application/json');
    rec.only(operation('lowcoderUserProfile'));
    const throttled = await createApi(client).GET('/api/users/me', { headers: { Prefer: 'code=429' } });
    expect(throttled.response.status).toBe(429);
    expect(throttled.error).toEqual(body('lowcoderUserProfile', 429));
    expect(headersOf('cookie')).toEqual([null, LC_COOKIE, LC_COOKIE]);
  });
});

describe('ApostropheCMS', () => {
  it('bearer: login returns the token, every call sends it, logout revokes it', async () => {
    const client = ap();
    expect(await client.login(AP_LOGIN)).toMatchObject({ mode: 'bearer', signedIn: true, user: apUser() });
    expect(await client.profile()).toEqual(apUser());
    expect(await client.logout()).toEqual({ serverRevoked: true });
    const auth = headersOf('authorization');
    expect(auth).toEqual([null, `Bearer ${AP_TOKEN}`, `Bearer ${AP_TOKEN}`, `Bearer ${AP_TOKEN}`]);
    expect(headersOf('cookie')).toEqual(all(auth, null));
  });

  it('cookie: session cookie from login, CSRF cookie from whoami, both on logout', async () => {
    const client = ap({ mode: 'cookie' });
    rec.only(operation('apostropheLogin'));
    const session = await client.login(AP_LOGIN, { headers: { Prefer: 'code=200, example=session' } });
    expect(session).toEqual({ platform: 'apostrophe', mode: 'cookie', signedIn: true, user: apUser() });
    expect(await client.profile()).toEqual(apUser());
    expect(await client.logout()).toEqual({ serverRevoked: true });
    expect(await client.credential()).toBeUndefined();
    const cookies = headersOf('cookie');
    expect(cookies[0]).toBeNull();
    expect(cookies[1]).toBe(AP_SID);
    expect(cookies[3]).toContain(AP_SID);
    expect(cookies[3]).toContain('apos.csrf=csrf');
    expect(headersOf('authorization')).toEqual(all(cookies, null));
    expect(requestsOf(rec.seen())).toEqual([`${APOSTROPHE_LOGIN} 200`, `${APOSTROPHE_WHOAMI} 200`, `${APOSTROPHE_WHOAMI} 200`, `${APOSTROPHE_LOGOUT} 200`]);
  });

  it('API key in the header, and in the query when asked; logout leaves the key valid', async () => {
    const header = ap({ apiKey: AP_KEY });
    expect(await header.profile()).toEqual(apUser());
    expect(await header.logout()).toEqual({ serverRevoked: false });
    expect(headersOf('authorization')).toEqual([`ApiKey ${AP_KEY}`, `ApiKey ${AP_KEY}`]);

    const query = ap({ apiKey: AP_KEY, apiKeyIn: 'query' });
    expect(await query.profile()).toEqual(apUser());
    const exchange = rec.seen()[2]!;
    expect(exchange.search).toBe(`?apikey=${AP_KEY}`);
    expect(exchange.request.has('authorization')).toBe(false);
  });

  it('login: a bearer login stands without whoami (before 4.19), a cookie login does not', async () => {
    const whoami = operation('apostropheWhoamiGet');
    rec.only(whoami);
    const bearer = ap();
    expect(await bearer.login(AP_LOGIN, { headers: { Prefer: 'code=404' } })).toEqual({
      platform: 'apostrophe',
      mode: 'bearer',
      signedIn: true,
      expiresAt: new Date(NOW + 14 * DAY),
    });
    expect(await bearer.credential()).toBe(AP_TOKEN);

    // The cookie login needs the session-mode answer, and its verification the 404.
    rec.inject(operation('apostropheLogin'), 'code=200, example=session');
    const cookie = ap({ mode: 'cookie' });
    const error = await cookie.login(AP_LOGIN, { headers: { Prefer: 'code=404' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotAuthenticatedError);
    expect((error as NotAuthenticatedError).reason).toBe('signed-out');
    expect(requestsOf(rec.seen())).toEqual([`${APOSTROPHE_LOGIN} 200`, `${APOSTROPHE_WHOAMI} 404`, `${APOSTROPHE_LOGIN} 200`, `${APOSTROPHE_WHOAMI} 404`]);
  });

  it('api: the login page and 2FA/reset steps of an anonymous cookie client, all with the CSRF cookie', async () => {
    type Schemas = ApostropheSchemas['schemas'];
    const api = createApi(ap({ mode: 'cookie' }));
    const contextGet = await api.GET('/api/v1/@apostrophecms/login/context');
    expect(contextGet.data).toEqual(body('apostropheContextGet', 200));
    const context = await api.POST('/api/v1/@apostrophecms/login/context');
    expect(context.data).toEqual(body('apostropheContext', 200));
    const props = await api.POST('/api/v1/@apostrophecms/login/requirement-props', {
      body: requestExample('apostropheRequirementProps') as Schemas['ApostropheRequirementRequest'],
    });
    expect(props.data).toEqual(body('apostropheRequirementProps', 200));
    const verify = await api.POST('/api/v1/@apostrophecms/login/requirement-verify', {
      body: requestExample('apostropheRequirementVerify') as Schemas['ApostropheRequirementRequest'],
    });
    expect(verify.data).toEqual(body('apostropheRequirementVerify', 200));
    const resetRequest = await api.POST('/api/v1/@apostrophecms/login/reset-request', {
      body: requestExample('apostropheResetRequest') as Schemas['ApostropheResetRequest'],
    });
    expect(resetRequest.response.status).toBe(200);
    const resetCheck = await api.GET('/api/v1/@apostrophecms/login/reset', {
      params: { query: { email: 'admin@example.com', reset: 'k2j3h4g5f6d7' } },
    });
    expect(resetCheck.response.status).toBe(200);
    const reset = await api.POST('/api/v1/@apostrophecms/login/reset', {
      body: requestExample('apostropheReset') as Schemas['ApostrophePasswordReset'],
    });
    expect(reset.response.status).toBe(200);
    rec.only(operation('apostropheWhoami'));
    const signedOut = await api.POST('/api/v1/@apostrophecms/login/whoami', { headers: { Prefer: 'code=404' } });
    expect(signedOut.response.status).toBe(404);
    expect(signedOut.error).toEqual(body('apostropheWhoami', 404));

    const cookies = headersOf('cookie');
    expect(cookies[0]).toBeNull();
    expect(cookies.slice(1)).toEqual(all(cookies.slice(1), 'apos.csrf=csrf'));
  });
});

describe('Coco Server', () => {
  const keyFlow = async (client: ReturnType<typeof cc>) => {
    const created = await client.createApiKey({ name: 'ci-bot', permissions: ['coco#document/read'] });
    expect(created).toEqual({ id: CO_KEY._id, token: CO_KEY.access_token, expiresAt: new Date(CO_KEY.expire_in * 1000) });
    const listed = await client.listApiKeys({ query: 'ci-bot' });
    expect(listed.keys.map((k) => k.id)).toEqual([CO_KEY._id]);
    await client.renameApiKey(created.id!, 'ci-bot-renamed');
    await client.deleteApiKey(created.id!);
  };
  const KEY_CALLS = [
    'POST /auth/access_token 200',
    'GET /auth/access_token/_search 200',
    `PUT /auth/access_token/${CO_KEY._id} 200`,
    `DELETE /auth/access_token/${CO_KEY._id} 200`,
  ];

  it('bearer: the JWT on every call, expiry from expire_in; logout is local only', async () => {
    const client = cc();
    expect(await client.login(CO_LOGIN)).toEqual({
      platform: 'coco',
      mode: 'bearer',
      signedIn: true,
      expiresAt: new Date(CO_JWT.expire_in * 1000),
      user: coUser(),
    });
    expect(await client.profile()).toEqual(coUser());
    await keyFlow(client);
    expect(await client.logout()).toEqual({ serverRevoked: false });
    const auth = headersOf('authorization');
    expect(auth).toEqual([null, ...all(auth.slice(1), `Bearer ${CO_JWT.access_token}`)]);
    expect(headersOf('cookie')).toEqual(all(auth, null));
    expect(requestsOf(rec.seen())).toEqual([
      'POST /account/login 200',
      'GET /account/profile 200',
      'GET /account/profile 200',
      ...KEY_CALLS,
      'POST /account/logout 200',
    ]);
  });

  it('cookie: the INFINI-SESSION cookie from login on every call; logout expires it', async () => {
    const client = cc({ mode: 'cookie' });
    expect(await client.login(CO_LOGIN)).toMatchObject({ mode: 'cookie', signedIn: true, user: coUser() });
    expect(await client.profile()).toEqual(coUser());
    await keyFlow(client);
    expect(await client.logout()).toEqual({ serverRevoked: true });
    expect(await client.credential()).toBeUndefined();
    const cookies = headersOf('cookie');
    expect(cookies).toEqual([null, ...all(cookies.slice(1), CO_SESSION)]);
    expect(headersOf('authorization')).toEqual(all(cookies, null));
  });

  it('API token: X-API-TOKEN on every call, never Authorization', async () => {
    const client = cc({ apiKey: CO_KEY.access_token });
    expect(await client.profile()).toEqual(coUser());
    await keyFlow(client);
    expect(await client.logout()).toEqual({ serverRevoked: false });
    const tokens = headersOf('x-api-token');
    expect(tokens).toEqual(all(tokens, CO_KEY.access_token));
    expect(headersOf('authorization')).toEqual(all(tokens, null));
    expect(headersOf('cookie')).toEqual(all(tokens, null));
  });

  it('login: a profile refusal after a good login is NotAuthenticated', async () => {
    rec.only(operation('cocoProfile'));
    const error = await cc()
      .login(CO_LOGIN, { headers: { Prefer: 'code=401, example=invalidLogin' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotAuthenticatedError);
    expect(requestsOf(rec.seen())).toEqual(['POST /account/login 200', 'GET /account/profile 401']);
  });

  it('api: settings, setup, GET logout and password change; errors come back as data', async () => {
    type Schemas = CocoSchemas['schemas'];
    // Before login (the contract's `{}`-only operations take no Authorization under Prism).
    const anonymous = createApi(cc());
    const settings = await anonymous.GET('/setting/application');
    expect(settings.data).toEqual(body('cocoApplicationSettings', 200));
    const setup = await anonymous.POST('/setup/_initialize', { body: requestExample('cocoInitialize') as Schemas['CocoSetupRequest'] });
    expect(setup.data).toEqual(body('cocoInitialize', 200));

    const api = createApi(cc({ token: CO_JWT.access_token }));
    const logout = await api.GET('/account/logout');
    expect(logout.data).toEqual(body('cocoLogoutGet', 200));
    const password = requestExample('cocoChangePassword') as Schemas['CocoPasswordChange'];
    const changed = await api.PUT('/account/password', { body: password });
    expect(changed.data).toEqual(body('cocoChangePassword', 200));
    rec.only(operation('cocoChangePassword'));
    const refused = await api.PUT('/account/password', { body: password, headers: { Prefer: 'code=403' } });
    expect(refused.response.status).toBe(403);
    expect(refused.error).toEqual(body('cocoChangePassword', 403));
  });
});
