// Property tests: whatever a server (or a proxy in front of it) answers — any status, headers and
// body, shapes derived from openapi.yaml or not — every SDK operation either returns data of its
// documented type or throws an AuthwireError, and no error carries a secret. No network: a custom
// fetch serves the generated answers.
//
// Seeds: CI and plain `npm test` use the pinned SEED below, so a red run always means changed code.
// `AUTHWIRE_PROPERTY_SEED=random` draws a fresh seed (printed at the end, and in every failure);
// `AUTHWIRE_PROPERTY_SEED=<number>` replays one. `AUTHWIRE_PROPERTY_ROUNDS=<n>` repeats every property
// n times in one process, each round with its own seed (consecutive from a number, fresh if random):
//   AUTHWIRE_PROPERTY_SEED=random AUTHWIRE_PROPERTY_ROUNDS=200 npx vitest run test/hardening/property.test.ts
// A failure names the seed and fast-check's path; rerun with that seed to get the same counterexample.
import { inspect } from 'node:util';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import fc from 'fast-check';
import { Cookie, CookieJar } from 'tough-cookie';
import { afterAll, describe, expect, it } from 'vitest';
import { AuthwireError, apostrophe, coco, lowcoder, type LogoutResult, type SessionInfo } from '../../src/node.js';
import { createApi } from '../../src/api.js';
import { isJson, loadContract, resolve, type Json } from '../support/contract.js';
import { ENCODED, HEADER_SAFE, encodings, formEncode } from '../support/encodings.js';

/** Cases per property: 19 properties × 550 = 10,450 per run. */
const RUNS = 550;
const PROPERTIES = 19;

/** The pinned seed of CI runs. */
const SEED = 1_802_455_157;
const seedSetting = process.env.AUTHWIRE_PROPERTY_SEED?.trim() || String(SEED);
if (seedSetting !== 'random' && !/^-?\d+$/.test(seedSetting))
  throw new Error(`AUTHWIRE_PROPERTY_SEED must be "random" or an integer, not ${JSON.stringify(seedSetting)}`);
const ROUNDS = Number(process.env.AUTHWIRE_PROPERTY_ROUNDS ?? 1);
if (!Number.isInteger(ROUNDS) || ROUNDS < 1) throw new Error('AUTHWIRE_PROPERTY_ROUNDS must be a positive integer');
/** One seed per round, shared by every property: pinned or given seeds count up, random ones are drawn. */
const SEEDS = Array.from({ length: ROUNDS }, (_, round) =>
  seedSetting === 'random' ? Math.floor(Math.random() * 2 ** 31) : (Number(seedSetting) + round) | 0,
);

// Recognisable secrets, with characters that every encoding changes (a space, `+ / & = @`, `~ ( ! )`
// and, in the password, a non-ASCII letter; header and cookie credentials stay printable ASCII).
// Generated answers may echo the request they answer (servers and fetch errors that quote their
// input): an ECHO token in any generated string becomes the request's URL, credential headers and
// body, raw, percent-encoded or form-encoded, so a secret shows up wherever that request carried it,
// in whichever form a server would quote it.
const PASSWORD = `pw MARKER${ENCODED}7f3a`;
/** The credential handed to the client: API key, token or session cookie value. */
const INITIAL = `cred-MARKER${HEADER_SAFE}91bc`;
/** Strings the generated answers use, among others, as newly issued tokens and cookie values. */
const ISSUED = [`iss-MARKER${HEADER_SAFE}c0de`, `ck-MARKER${HEADER_SAFE}5e11`];
const MARKERS = [PASSWORD, INITIAL, ...ISSUED];
const ECHOES: Record<string, (echo: string) => string> = {
  '<<echo>>': (echo) => echo,
  '<<echo:uri>>': encodeURIComponent,
  '<<echo:form>>': formEncode,
};
/** `text` with every ECHO token replaced by the request's echo in that token's form, then `wrap`ped. */
const fillEchoes = (text: string, echo: string, wrap: (t: string) => string = (t) => t) =>
  Object.entries(ECHOES).reduce((t, [token, form]) => t.split(token).join(wrap(form(echo))), text);

const contract = loadContract();
const document = contract.document;

// Return values are checked against the contract's schemas, without `pattern`: the generated types
// (what the SDK promises) carry none.
const ajv = new Ajv2020({ strict: false, allErrors: true });
formats.default(ajv);
ajv.addFormat('password', true);
const withoutPatterns = (node: unknown): unknown =>
  Array.isArray(node)
    ? node.map(withoutPatterns)
    : isJson(node)
      ? Object.fromEntries(Object.entries(node).filter(([k, v]) => !(k === 'pattern' && typeof v === 'string')).map(([k, v]) => [k, withoutPatterns(v)]))
      : node;
ajv.addSchema(withoutPatterns(document) as Json, 'contract');

const operation = (id: string) => {
  const found = contract.operations.find((o) => o.operationId === id);
  if (!found) throw new Error(`no operation ${id} in openapi.yaml`);
  return found;
};

/** Validator for a part (`segments`) of an operation's 200 JSON answer, `$ref`s followed. */
function successSchema(operationId: string, ...segments: string[]): ValidateFunction {
  const declared = contract.response(operation(operationId), 200);
  if (!declared) throw new Error(`${operationId} declares no 200`);
  const media = (declared.response.content as Json)['application/json'] as Json;
  let at = resolve(document, media.schema, `${declared.pointer}/content/application~1json/schema`);
  for (const segment of segments) at = resolve(document, (at.node as Json)[segment], `${at.pointer}/${segment}`);
  const validate = ajv.getSchema(`contract${at.pointer}`);
  if (!validate) throw new Error(`no schema at ${at.pointer}`);
  return validate;
}

// ───────────────────────────── arbitraries ─────────────────────────────

const marker = fc.constantFrom(...ISSUED.flatMap(encodings), ...Object.keys(ECHOES));
/** Strings as servers send them: mostly arbitrary, some issued secrets or echoes, alone or in text. */
const text = fc.oneof(
  { weight: 6, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 8, unit: 'binary' }) },
  { weight: 2, arbitrary: marker },
  { weight: 2, arbitrary: fc.tuple(fc.string({ maxLength: 6 }), marker, fc.string({ maxLength: 6 })).map((parts) => parts.join(' ')) },
);
const KEYS = ['id', '_id', 'name', 'token', 'access_token', 'expire_in', 'code', 'message', 'success', 'data', 'error', 'reason', 'status', 'hits', 'total'];
const key = fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 6 }));
const number = fc.oneof(
  fc.integer(),
  fc.constantFrom(0, -1, 1, 1e9, 2e9, 1e12, 1e20, Number.MAX_SAFE_INTEGER, 1.5),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);
const { json: anyJson } = fc.letrec<{ json: unknown }>((tie) => ({
  json: fc.oneof(
    { depthSize: 'small', maxDepth: 3 },
    fc.constant(null),
    fc.boolean(),
    number,
    text,
    fc.array(tie('json'), { maxLength: 3 }),
    fc.dictionary(key, tie('json'), { maxKeys: 4 }),
  ),
}));

/**
 * Values of a contract schema. With `mutate`, any node may be replaced by arbitrary JSON and
 * required properties may go missing: near misses, which are what breaks parsers.
 */
function fromSchema(schema: unknown, mutate: boolean): fc.Arbitrary<unknown> {
  const base = build(schema, mutate);
  return mutate ? fc.oneof({ weight: 10, arbitrary: base }, { weight: 1, arbitrary: anyJson }) : base;
}

function build(schema: unknown, mutate: boolean): fc.Arbitrary<unknown> {
  if (!isJson(schema)) return anyJson;
  if (typeof schema.$ref === 'string') return fromSchema(resolve(document, schema, '#').node, mutate);
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum) && schema.enum.length) return fc.constantFrom(...(schema.enum as unknown[]));
  const choices = schema.oneOf ?? schema.anyOf;
  if (Array.isArray(choices) && choices.length) return fc.oneof(...choices.map((s) => fromSchema(s, mutate)));
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : typeof schema.type === 'string' ? [schema.type] : isJson(schema.properties) ? ['object'] : [];
  if (!types.length) return anyJson;
  return fc.oneof(...types.map((type) => byType(type, schema, mutate)));
}

function byType(type: string, schema: Json, mutate: boolean): fc.Arbitrary<unknown> {
  switch (type) {
    case 'string':
      return text;
    case 'integer':
      return fc.oneof(fc.integer(), fc.constantFrom(0, -1, 1e9, 2e9, 1e12, 1e20));
    case 'number':
      return number;
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(fromSchema(schema.items, mutate), { maxLength: 3 });
    case 'object': {
      if (schema.maxProperties === 0) return fc.constant({});
      const properties = isJson(schema.properties) ? schema.properties : {};
      const model = Object.fromEntries(Object.entries(properties).map(([name, s]) => [name, fromSchema(s, mutate)]));
      if (!Object.keys(model).length) return fc.dictionary(key, anyJson, { maxKeys: 3 });
      const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
      const complete = fc.record(model, { requiredKeys: required.filter((r) => r in model) });
      return mutate ? fc.oneof({ weight: 6, arbitrary: complete }, { weight: 1, arbitrary: fc.record(model, { requiredKeys: [] }) }) : complete;
    }
    default:
      return anyJson;
  }
}

/** One generated HTTP answer, or a fetch that throws. */
interface Answer {
  status: number;
  headers: [string, string][];
  body: string;
  /** The fetch rejects with this message instead of answering. */
  network?: string;
}

const COOKIE_NAMES = ['LOWCODER_CE_SELFHOST_TOKEN', 'apos.sid', 'apos.csrf', 'apos.loggedIn', 'INFINI-SESSION-csb7e0kq50k4c8o7rnb0'];
const cookieLine = fc
  .tuple(
    fc.oneof(fc.constantFrom(...COOKIE_NAMES), fc.string({ maxLength: 6 })),
    fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom(...ISSUED)),
    fc.subarray(['; Path=/', '; HttpOnly', '; Max-Age=0', '; Max-Age=86400', '; Max-Age=-1', '; Expires=Thu, 01 Jan 1970 00:00:00 GMT', '; Domain=other.example', '; Secure', '; SameSite=None', ';;=;']),
  )
  .map(([name, value, attributes]) => `${name}=${value}${attributes.join('')}`);

const printable = (t: string) => /^[\x20-\x7e]*$/.test(t);
const headers = (contentType: fc.Arbitrary<string | undefined>) =>
  fc
    .record({
      contentType: fc.oneof(
        { weight: 4, arbitrary: contentType },
        { weight: 1, arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain; charset=utf-8', 'text/html', 'application/xml', undefined) },
        { weight: 1, arbitrary: fc.string({ maxLength: 16 }) },
      ),
      retryAfter: fc.option(
        fc.oneof(fc.nat(200_000).map(String), fc.constantFrom('-1', '0', '1.5', 'soon', ''), fc.integer({ min: -1e6, max: 1e6 }).map((s) => new Date(Date.now() + s * 1000).toUTCString())),
        { nil: undefined },
      ),
      requestId: fc.option(fc.string({ maxLength: 24 }), { nil: undefined }),
      cookies: fc.array(cookieLine, { maxLength: 2 }),
    })
    .map(({ contentType: type, retryAfter, requestId, cookies }) => {
      const list: [string, string][] = [];
      if (type !== undefined && printable(type)) list.push(['content-type', type]);
      if (retryAfter !== undefined) list.push(['retry-after', retryAfter]);
      if (requestId !== undefined) list.push(['x-request-id', requestId]);
      for (const line of cookies) list.push(['set-cookie', line]);
      return list;
    });

const HTML = '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>';
const stringify = (v: unknown) => JSON.stringify(v) ?? '';

/** Bodies for a schema: conforming, near misses, other JSON, text, HTML, truncated, empty. */
function bodies(schema: unknown): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 5, arbitrary: fromSchema(schema, false).map(stringify) },
    { weight: 4, arbitrary: fromSchema(schema, true).map(stringify) },
    { weight: 2, arbitrary: anyJson.map(stringify) },
    { weight: 1, arbitrary: text },
    { weight: 1, arbitrary: fc.constantFrom('', HTML) },
    {
      weight: 1,
      arbitrary: fromSchema(schema, false)
        .map(stringify)
        .chain((t) => fc.nat(Math.max(0, t.length - 1)).map((n) => t.slice(0, n))),
    },
  );
}

const JSON_TYPE: [string, string] = ['content-type', 'application/json'];
const [TOKEN, COOKIE] = ISSUED as [string, string];
/** Successful logins carrying new credentials (token in the body, session in a cookie). */
const ISSUING: Record<string, fc.Arbitrary<Answer>> = {
  lowcoderFormLogin: fc.constant({
    status: 200,
    headers: [JSON_TYPE, ['set-cookie', `LOWCODER_CE_SELFHOST_TOKEN=${COOKIE}; Path=/; Max-Age=86400; HttpOnly`]],
    body: '{"code":1,"message":"","data":true,"success":true}',
  }),
  apostropheLogin: fc.constantFrom<Answer>(
    { status: 200, headers: [JSON_TYPE], body: JSON.stringify({ token: TOKEN }) },
    { status: 200, headers: [JSON_TYPE, ['set-cookie', `apos.sid=${COOKIE}; Path=/; HttpOnly`]], body: '{}' },
  ),
  cocoLogin: fc.integer({ min: 1, max: 2 ** 31 }).map((expireIn) => ({
    status: 200,
    headers: [JSON_TYPE, ['set-cookie', `INFINI-SESSION-csb7e0kq50k4c8o7rnb0=${COOKIE}; Path=/; HttpOnly`]],
    body: JSON.stringify({ access_token: TOKEN, expire_in: expireIn, status: 'ok' }),
  })),
};

const ERROR_SCHEMAS: Record<string, string[]> = {
  Lowcoder: ['LowcoderError'],
  ApostropheCMS: ['ApostropheError', 'ApostropheApiKeyError'],
  'Coco Server': ['CocoError', 'CocoPanicError'],
};

const STATUSES = [200, 201, 204, 205, 206, 301, 302, 303, 304, 307, 400, 401, 403, 404, 405, 409, 415, 422, 429, 431, 500, 501, 502, 503, 504];

/** Answers for one contract operation: documented statuses and shapes mostly, anything else too. */
function answers(operationId: string): fc.Arbitrary<Answer> {
  const op = operation(operationId);
  const responses = isJson(op.operation.responses) ? op.operation.responses : {};
  const documented = Object.keys(responses).flatMap((status) => {
    const declared = contract.response(op, Number(status));
    const content = declared && isJson(declared.response.content) ? declared.response.content : {};
    const media = Object.entries(content);
    if (!media.length) return [fc.record({ status: fc.constant(Number(status)), headers: headers(fc.constant(undefined)), body: fc.oneof({ weight: 4, arbitrary: fc.constant('') }, { weight: 1, arbitrary: bodies(undefined) }) })];
    return media.map(([type, m]) =>
      fc.record({ status: fc.constant(Number(status)), headers: headers(fc.constant(type)), body: bodies(isJson(m) ? m.schema : undefined) }),
    );
  });
  const schemas = [
    ...Object.keys(responses).flatMap((status) => {
      const content = contract.response(op, Number(status))?.response.content;
      return isJson(content) ? Object.values(content).map((m) => (isJson(m) ? m.schema : undefined)) : [];
    }),
    // Any status may come with the platform's error shapes, documented for this operation or not.
    ...(ERROR_SCHEMAS[op.tag] ?? []).map((name) => ({ $ref: `#/components/schemas/${name}` })),
  ];
  const random = fc.record({
    status: fc.oneof(
      // Refusals matter most to an auth SDK: they clear sessions and trigger re-logins.
      { weight: 3, arbitrary: fc.constantFrom(401, 403, 404, 429) },
      { weight: 3, arbitrary: fc.constantFrom(...STATUSES) },
      { weight: 1, arbitrary: fc.integer({ min: 200, max: 599 }) },
    ),
    headers: headers(fc.constantFrom('application/json', 'text/plain; charset=utf-8', undefined)),
    body: schemas.length ? fc.constantFrom(...schemas).chain(bodies) : bodies(undefined),
  });
  const network = text.map((message): Answer => ({ status: 0, headers: [], body: '', network: message }));
  const issuing = ISSUING[operationId];
  return fc.oneof(
    { weight: 6, arbitrary: fc.oneof(...documented) },
    { weight: 3, arbitrary: random },
    { weight: 1, arbitrary: network },
    // Logins that hand out a recognisable credential, so the steps after them are checked for it.
    ...(issuing ? [{ weight: 3, arbitrary: issuing }] : []),
  );
}

// ───────────────────────────── the SDK side ─────────────────────────────

type PlatformName = 'lowcoder' | 'apostrophe' | 'coco';
const BASE: Record<PlatformName, string> = {
  lowcoder: 'https://lowcoder.test',
  apostrophe: 'https://apostrophe.test',
  coco: 'https://coco.test',
};

/** How the client holds its credential: signed out (`bearer`/`cookie` login modes) or handed one. */
type Mode = 'bearer' | 'cookie' | 'apiKey' | 'apiKeyQuery' | 'token' | 'sessionCookie';

type Client = ReturnType<typeof lowcoder> | ReturnType<typeof apostrophe> | ReturnType<typeof coco>;

function client(platform: PlatformName, mode: Mode, fetch: typeof globalThis.fetch, relogin: boolean): Client {
  const common = { baseUrl: BASE[platform], fetch, maxRetries: 0 };
  if (platform === 'lowcoder')
    return lowcoder(<never>{
      ...common,
      ...(mode === 'apiKey' ? { apiKey: INITIAL } : mode === 'sessionCookie' ? { sessionCookie: INITIAL } : {}),
      ...(relogin && mode !== 'apiKey' ? { getCredentials: () => ({ email: 'fuzz@example.com', password: PASSWORD }) } : {}),
    });
  const credentials = relogin && mode !== 'apiKey' && mode !== 'apiKeyQuery' ? { getCredentials: () => ({ username: 'fuzz', email: 'fuzz@example.com', password: PASSWORD }) } : {};
  if (platform === 'apostrophe')
    return apostrophe(<never>{
      ...common,
      ...credentials,
      ...(mode === 'cookie' ? { mode: 'cookie' as const } : {}),
      ...(mode === 'token' ? { token: INITIAL } : mode === 'apiKey' || mode === 'apiKeyQuery' ? { apiKey: INITIAL } : {}),
      ...(mode === 'apiKeyQuery' ? { apiKeyIn: 'query' as const } : {}),
    });
  return coco(<never>{
    ...common,
    ...credentials,
    ...(mode === 'cookie' ? { mode: 'cookie' as const } : {}),
    ...(mode === 'token' ? { token: INITIAL } : mode === 'apiKey' ? { apiKey: INITIAL } : {}),
  });
}

/** Why a returned value is not what the operation promises; undefined when it is. */
type Check = (value: unknown) => string | undefined;

const validDate = (v: unknown) => v instanceof Date && !Number.isNaN(v.getTime());
const schemaCheck = (validate: ValidateFunction): Check => (value) =>
  validate(value) ? undefined : `does not match the contract: ${ajv.errorsText(validate.errors)}`;
const nothing: Check = (value) => (value === undefined ? undefined : `expected no value, got ${inspect(value)}`);

function sessionCheck(platform: PlatformName, user: Check): Check {
  return (value) => {
    if (!isJson(value)) return 'not an object';
    const info = value as unknown as SessionInfo<unknown>;
    if (info.platform !== platform) return `platform ${String(info.platform)}`;
    if (!['cookie', 'bearer', 'apiKey'].includes(info.mode)) return `mode ${String(info.mode)}`;
    if (typeof info.signedIn !== 'boolean') return 'signedIn is not a boolean';
    if ('expiresAt' in info && !validDate(info.expiresAt)) return `expiresAt is not a valid Date: ${String(info.expiresAt)}`;
    return info.user === undefined ? undefined : user(info.user);
  };
}

const signedIn = (platform: PlatformName, user: Check): Check => (value) =>
  sessionCheck(platform, user)(value) ?? ((value as SessionInfo<unknown>).signedIn ? undefined : 'login resolved signed out');

const logoutCheck: Check = (value) => {
  const result = value as LogoutResult;
  if (!isJson(value) || typeof result.serverRevoked !== 'boolean') return 'not a LogoutResult';
  if ('error' in result && !(result.error instanceof AuthwireError)) return `error is not an AuthwireError: ${inspect(result.error)}`;
  return undefined;
};

const apiCheck: Check = (value) =>
  isJson(value) && value.response instanceof Response ? undefined : `not an openapi-fetch result: ${inspect(value)}`;

const lowcoderUser = schemaCheck(successSchema('lowcoderCurrentUser', 'properties', 'data'));
const lowcoderProfile: Check = (v) => lowcoderUser(v) ?? ((v as { id: string }).id === '' ? 'the anonymous user returned as signed in' : undefined);
const apostropheUser = schemaCheck(successSchema('apostropheWhoamiGet'));
const cocoUser = schemaCheck(successSchema('cocoProfile'));

/** Coco's API-key methods return normalised shapes (documented TS types), not the wire JSON. */
const cocoKey: Check = (v) => {
  const key = v as Record<string, unknown>;
  if (!isJson(v) || typeof key.token !== 'string') return 'no token';
  if ('id' in key && typeof key.id !== 'string') return 'id is not a string';
  if ('expiresAt' in key && !validDate(key.expiresAt)) return `expiresAt is not a valid Date: ${String(key.expiresAt)}`;
  return Object.keys(key).every((k) => ['id', 'token', 'expiresAt'].includes(k)) ? undefined : `unexpected fields ${Object.keys(key).join(',')}`;
};
const cocoList: Check = (v) => {
  const list = v as { total: unknown; keys: unknown };
  if (!isJson(v) || typeof list.total !== 'number' || !Number.isFinite(list.total) || !Array.isArray(list.keys)) return 'not { total, keys }';
  for (const item of list.keys as Record<string, unknown>[]) {
    if (!isJson(item) || typeof item.id !== 'string') return 'a key without id';
    for (const field of ['name', 'description'] as const) if (field in item && typeof item[field] !== 'string') return `${field} is not a string`;
    if ('permissions' in item && !(Array.isArray(item.permissions) && item.permissions.every((p) => typeof p === 'string'))) return 'permissions is not string[]';
    if ('expiresAt' in item && !validDate(item.expiresAt)) return `expiresAt is not a valid Date: ${String(item.expiresAt)}`;
  }
  return undefined;
};

interface Property {
  platform: PlatformName;
  name: string;
  /** Contract operations the call may reach (the profile check after login included). */
  hits: string[];
  modes: Mode[];
  /** Whether the client may be given a credentials callback (re-login on rejection). */
  relogin: boolean;
  run(c: Client): Promise<unknown>;
  check: Check;
}

const LOWCODER_LOGIN = ['lowcoderFormLogin', 'lowcoderCurrentUser'];
const APOSTROPHE_LOGIN = ['apostropheLogin', 'apostropheWhoamiGet'];
const COCO_LOGIN = ['cocoLogin', 'cocoProfile'];
type L = ReturnType<typeof lowcoder>;
type A = ReturnType<typeof apostrophe>;
type C = ReturnType<typeof coco>;

const PROPERTY_LIST: Property[] = [
  { platform: 'lowcoder', name: 'login', hits: LOWCODER_LOGIN, modes: ['cookie'], relogin: false, run: (c) => (c as L).login({ email: 'fuzz@example.com', password: PASSWORD }), check: signedIn('lowcoder', lowcoderProfile) },
  { platform: 'lowcoder', name: 'profile', hits: ['lowcoderCurrentUser'], modes: ['apiKey', 'sessionCookie'], relogin: true, run: (c) => (c as L).profile(), check: lowcoderProfile },
  { platform: 'lowcoder', name: 'logout', hits: ['lowcoderLogout'], modes: ['apiKey', 'sessionCookie'], relogin: true, run: (c) => (c as L).logout(), check: logoutCheck },
  { platform: 'lowcoder', name: 'createApiKey', hits: ['lowcoderCreateApiKey'], modes: ['apiKey', 'sessionCookie'], relogin: true, run: (c) => (c as L).createApiKey({ name: 'fuzz' }), check: schemaCheck(successSchema('lowcoderCreateApiKey', 'properties', 'data')) },
  { platform: 'lowcoder', name: 'listApiKeys', hits: ['lowcoderListApiKeys'], modes: ['apiKey', 'sessionCookie'], relogin: true, run: (c) => (c as L).listApiKeys(), check: schemaCheck(successSchema('lowcoderListApiKeys', 'properties', 'data')) },
  { platform: 'lowcoder', name: 'deleteApiKey', hits: ['lowcoderDeleteApiKey'], modes: ['apiKey', 'sessionCookie'], relogin: true, run: (c) => (c as L).deleteApiKey('k1'), check: nothing },
  { platform: 'lowcoder', name: 'api GET /api/users/me', hits: ['lowcoderUserProfile'], modes: ['apiKey', 'sessionCookie'], relogin: true, run: (c) => createApi(c as L).GET('/api/users/me'), check: apiCheck },
  { platform: 'apostrophe', name: 'login', hits: APOSTROPHE_LOGIN, modes: ['bearer', 'cookie'], relogin: false, run: (c) => (c as A).login({ username: 'fuzz', password: PASSWORD }), check: signedIn('apostrophe', apostropheUser) },
  { platform: 'apostrophe', name: 'profile', hits: ['apostropheWhoamiGet'], modes: ['token', 'apiKey', 'apiKeyQuery'], relogin: true, run: (c) => (c as A).profile(), check: apostropheUser },
  { platform: 'apostrophe', name: 'logout', hits: ['apostropheLogout'], modes: ['token', 'apiKey', 'apiKeyQuery'], relogin: true, run: (c) => (c as A).logout(), check: logoutCheck },
  { platform: 'apostrophe', name: 'api GET whoami', hits: ['apostropheWhoamiGet'], modes: ['token', 'apiKey', 'apiKeyQuery'], relogin: true, run: (c) => createApi(c as A).GET('/api/v1/@apostrophecms/login/whoami'), check: apiCheck },
  { platform: 'coco', name: 'login', hits: COCO_LOGIN, modes: ['bearer', 'cookie'], relogin: false, run: (c) => (c as C).login({ email: 'fuzz@example.com', password: PASSWORD }), check: signedIn('coco', cocoUser) },
  { platform: 'coco', name: 'profile', hits: ['cocoProfile'], modes: ['token', 'apiKey'], relogin: true, run: (c) => (c as C).profile(), check: cocoUser },
  { platform: 'coco', name: 'logout', hits: ['cocoLogout'], modes: ['token', 'apiKey'], relogin: true, run: (c) => (c as C).logout(), check: logoutCheck },
  { platform: 'coco', name: 'createApiKey', hits: ['cocoCreateApiToken'], modes: ['token', 'apiKey'], relogin: true, run: (c) => (c as C).createApiKey({ name: 'fuzz' }), check: cocoKey },
  { platform: 'coco', name: 'listApiKeys', hits: ['cocoSearchApiTokens'], modes: ['token', 'apiKey'], relogin: true, run: (c) => (c as C).listApiKeys(), check: cocoList },
  { platform: 'coco', name: 'renameApiKey', hits: ['cocoUpdateApiToken'], modes: ['token', 'apiKey'], relogin: true, run: (c) => (c as C).renameApiKey('k1', 'renamed'), check: nothing },
  { platform: 'coco', name: 'deleteApiKey', hits: ['cocoDeleteApiToken'], modes: ['token', 'apiKey'], relogin: true, run: (c) => (c as C).deleteApiKey('k1'), check: nothing },
  { platform: 'coco', name: 'api GET /account/profile', hits: ['cocoProfile'], modes: ['token', 'apiKey'], relogin: true, run: (c) => createApi(c as C).GET('/account/profile'), check: apiCheck },
];

const LOGIN_HITS: Record<PlatformName, string[]> = { lowcoder: LOWCODER_LOGIN, apostrophe: APOSTROPHE_LOGIN, coco: COCO_LOGIN };
const LOGIN_IDS = new Set(['lowcoderFormLogin', 'apostropheLogin', 'cocoLogin']);

/**
 * Credentials a successful login answer hands out in the mode the client logs in with: the body's
 * token (bearer) or the cookies the jar keeps (cookie). What the SDK ignores is not its secret.
 */
function issuedBy(operationId: string, url: string, answer: Answer, loginMode: 'bearer' | 'cookie'): string[] {
  if (!LOGIN_IDS.has(operationId) || answer.status < 200 || answer.status > 299) return [];
  const found: string[] = [];
  if (loginMode === 'bearer')
    try {
      const body: unknown = JSON.parse(answer.body);
      if (isJson(body)) for (const field of ['token', 'access_token']) if (typeof body[field] === 'string') found.push(body[field] as string);
    } catch {
      // Not JSON: no token in it.
    }
  else found.push(...cookiesKept(url, answer.headers.filter(([name]) => name === 'set-cookie').map(([, line]) => line)));
  // Only credentials that carry a marker can be told apart from text that merely happens to match.
  return found.filter((s) => MARKERS.some((m) => encodings(m).some((form) => s.includes(form))));
}

/**
 * Values of the cookies an RFC 6265 jar keeps from `lines` set by `url`: tough-cookie (the jar the
 * Node entry uses) discards nameless and malformed lines, foreign domains and cookies already expired.
 */
function cookiesKept(url: string, lines: string[]): string[] {
  const jar = new CookieJar();
  for (const line of lines) jar.setCookieSync(line, url, { ignoreError: true });
  return jar.serializeSync()!.cookies.flatMap((c) => {
    const cookie = Cookie.fromJSON(c);
    return cookie && cookie.TTL() > 0 ? [cookie.value] : [];
  });
}

/** `text` holds `secret` raw, percent-encoded or form-encoded. */
const shows = (text: string, secret: string) => encodings(secret).some((form) => text.includes(form));

/** Everything an error exposes: message, stack, fields, JSON, String, and the cause chain. */
function exposed(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 10; depth++) {
    parts.push(String(current), inspect(current, { depth: 6 }));
    try {
      parts.push(JSON.stringify(current) ?? '');
    } catch {
      parts.push('[unserialisable]');
    }
    if (current instanceof Error) parts.push(current.message, current.stack ?? '');
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join('\n');
}

let executed = 0;
const started = performance.now();

async function runCase(property: Property, mode: Mode, relogin: boolean, served: Record<string, Answer[]>) {
  executed++;
  const counts = new Map<string, number>();
  const issued: string[] = [];
  // Lowcoder logs in with cookies only; the others as configured (bearer unless `mode: 'cookie'`).
  const loginMode = property.platform === 'lowcoder' || mode === 'cookie' ? 'cookie' : 'bearer';
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const id = contract.find(method, url.pathname)?.operation.operationId ?? 'other';
    const list = served[id] ?? served.other!;
    const n = counts.get(id) ?? 0;
    counts.set(id, n + 1);
    const answer = list[n % list.length]!;
    issued.push(...issuedBy(id, url.href, answer, loginMode));
    const sent = new Headers(init?.headers);
    const sentBody = typeof init?.body === 'string' ? init.body : '';
    const echo = [url.href, ...['authorization', 'cookie', 'x-api-token'].map((h) => sent.get(h) ?? ''), sentBody].join(' ');
    if (answer.network !== undefined) throw new TypeError(fillEchoes(answer.network, echo));
    const nullBody = [204, 205, 304].includes(answer.status);
    // Inside JSON the echo must stay valid JSON: quotes and backslashes of the request are escaped.
    const body = fillEchoes(answer.body, echo, (t) => JSON.stringify(t).slice(1, -1));
    return new Response(nullBody ? null : body, { status: answer.status, headers: answer.headers });
  };
  const c = client(property.platform, mode, fetch, relogin);
  const secrets = () => [
    ...(property.name === 'login' || relogin ? [PASSWORD] : []),
    ...(['bearer', 'cookie'].includes(mode) ? [] : [INITIAL]),
    ...issued,
  ];
  let value: unknown;
  try {
    value = await property.run(c);
  } catch (error) {
    if (!(error instanceof AuthwireError)) throw new Error(`raw error instead of an AuthwireError: ${inspect(error)}`);
    const text = exposed(error);
    const leaked = secrets().filter((s) => shows(text, s));
    if (leaked.length) throw new Error(`secret ${JSON.stringify(leaked)} in a thrown ${error.name}: ${text.slice(0, 600)}`);
    return;
  }
  const problem = property.check(value);
  if (problem) throw new Error(`${property.platform} ${property.name} returned ${inspect(value, { depth: 4 })}: ${problem}`);
  if (isJson(value) && value.error instanceof AuthwireError) {
    const leaked = secrets().filter((s) => shows(exposed(value.error), s));
    if (leaked.length) throw new Error(`secret ${JSON.stringify(leaked)} in LogoutResult.error`);
  }
  const info = await c.session();
  const infoProblem = sessionCheck(property.platform, () => undefined)(info);
  if (infoProblem) throw new Error(`session() after ${property.name}: ${infoProblem}`);
  // `user` is the server's data, whatever it holds; the rest is the SDK's own view.
  const view = JSON.stringify({ ...info, user: undefined });
  const inView = secrets().filter((s) => shows(view, s));
  if (inView.length) throw new Error(`secret ${JSON.stringify(inView)} in session(): ${view}`);
}

afterAll(() => {
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const seeds = SEEDS.length > 1 ? `${SEEDS.length} seeds (${seedSetting}): ${SEEDS.join(' ')}` : `seed ${SEEDS[0]}`;
  console.log(`property tests: ${executed} cases in ${seconds} s (${PROPERTIES} properties × ${RUNS} runs × ${ROUNDS} rounds planned), ${seeds}`);
});

describe('every operation on any answer: typed data or an AuthwireError, never a secret', () => {
  it('runs at least 10,000 cases per run', () => {
    expect(PROPERTY_LIST).toHaveLength(PROPERTIES);
    expect(PROPERTIES * RUNS).toBeGreaterThanOrEqual(10_000);
  });

  // The timeout is a safety net only: 550 cases take about a second alone, minutes on a loaded machine.
  for (const property of PROPERTY_LIST) it(`${property.platform} ${property.name}`, async () => {
    const hits = [...new Set([...property.hits, ...(property.relogin ? LOGIN_HITS[property.platform] : [])])];
    const served = fc.record(Object.fromEntries([...hits, 'other'].map((id) => [id, fc.array(id === 'other' ? answers(hits[0]!) : answers(id), { minLength: 1, maxLength: 2 })])));
    const check = fc.asyncProperty(fc.constantFrom(...property.modes), property.relogin ? fc.boolean() : fc.constant(false), served, (mode, relogin, answersById) =>
      runCase(property, mode, relogin, answersById),
    );
    for (const seed of SEEDS) {
      const details = await fc.check(check, { numRuns: RUNS, seed });
      if (details.failed)
        throw new Error(
          `${property.platform} ${property.name} failed with AUTHWIRE_PROPERTY_SEED=${seed} (path ${details.counterexamplePath}): ${String(details.errorInstance)}\n${fc.defaultReportMessage(details)}`,
        );
    }
  }, 180_000 * ROUNDS);
});
