// The differential: the same raw request sequences (plain fetch, no SDK) replayed against each
// platform's emulator over loopback HTTP, each answer checked against the answer openapi.yaml
// documents for that step — status, media type, body (exactly for constant errors, by shape or by
// keys for the rest), Set-Cookie names and attributes, and the CORS headers of `x-authwire-cors`.
// Requests no operation describes are checked against `x-authwire-unrouted`. A mock that drifts
// from the contract fails here, whichever way it drifts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulators, type Emulators } from '../../src/emulators/index.js';
import { isJson, loadContract, resolve, validateExchange, type Json } from '../support/contract.js';

const ORIGIN = 'http://app.example';
type Tag = 'Lowcoder' | 'ApostropheCMS' | 'Coco Server';

let emulators: Emulators;
beforeAll(async () => {
  emulators = await startEmulators();
});
afterAll(() => emulators?.close());

// ── What the contract documents ───────────────────────────────────────────────────────────────

const contract = loadContract();
const doc = contract.document;
const extension = (name: string, tag: Tag) => (doc[name] as Record<Tag, unknown>)[tag];

/** The documented example body of an operation's answer (by example name when there are several). */
function documented(operationId: string, status: number, example?: string): { media: string; body: unknown } | undefined {
  const op = contract.operations.find((o) => o.operationId === operationId);
  if (!op) throw new Error(`No operation ${operationId}`);
  const declared = contract.response(op, status);
  if (!declared) throw new Error(`${operationId} declares no ${status}`);
  const content = isJson(declared.response.content) ? declared.response.content : {};
  const [media, entry] = Object.entries(content)[0] ?? [];
  if (!media || !isJson(entry)) return undefined;
  if (example === undefined) return { media, body: entry.example };
  const named = (entry.examples as Json | undefined)?.[example];
  if (!isJson(named)) throw new Error(`${operationId} ${status} has no example ${example}`);
  return { media, body: named.value };
}

/** `name=value; Attr=…` as a name and its attributes (names lower-cased, values kept). */
function parseSetCookie(line: string) {
  const [pair = '', ...attributes] = line.split(';').map((p) => p.trim());
  const at = pair.indexOf('=');
  return {
    name: pair.slice(0, at),
    value: pair.slice(at + 1),
    attributes: new Map(attributes.map((a) => [a.split('=')[0]!.toLowerCase(), a.includes('=') ? a.slice(a.indexOf('=') + 1) : true] as const)),
  };
}

/** The documented `Set-Cookie` of a component header. */
const cookieExample = (header: string) => parseSetCookie(String((resolve(doc, (doc.components as Json).headers, '').node as Record<string, Json>)[header]!.example));

// ── Checks ────────────────────────────────────────────────────────────────────────────────────

/** Same keys at every level (arrays: each item like the documented first one), same primitive types. */
function sameShape(actual: unknown, expected: unknown, at = ''): string[] {
  if (Array.isArray(expected))
    return Array.isArray(actual) ? (expected.length ? actual.flatMap((a, i) => sameShape(a, expected[0], `${at}[${i}]`)) : []) : [`${at}: not an array`];
  if (isJson(expected)) {
    if (!isJson(actual)) return [`${at}: not an object`];
    const keys = (o: Json) => Object.keys(o).sort().join(',');
    if (keys(actual) !== keys(expected)) return [`${at}: keys ${keys(actual)} instead of ${keys(expected)}`];
    return Object.keys(expected).flatMap((k) => sameShape(actual[k], expected[k], `${at}.${k}`));
  }
  if (expected === null || actual === null) return actual === expected ? [] : [`${at}: ${JSON.stringify(actual)} instead of ${JSON.stringify(expected)}`];
  return typeof actual === typeof expected ? [] : [`${at}: ${typeof actual} instead of ${typeof expected}`];
}

/** Every key of `actual` appears in the documented example (maps and lists may hold fewer). */
function keysWithin(actual: unknown, expected: unknown, at = ''): string[] {
  if (Array.isArray(actual)) return Array.isArray(expected) && expected.length ? actual.flatMap((a, i) => keysWithin(a, expected[0], `${at}[${i}]`)) : [];
  if (!isJson(actual) || !isJson(expected)) return [];
  return Object.keys(actual).flatMap((k) => (k in expected ? keysWithin(actual[k], expected[k], `${at}.${k}`) : [`${at}.${k}: not documented`]));
}

interface CorsRule {
  paths: 'all' | string | string[];
  actual: Record<string, string>;
  preflight: { status: number; headers: Record<string, string> };
}
const corsRule = (tag: Tag, path: string): CorsRule | undefined => {
  const rule = extension('x-authwire-cors', tag) as CorsRule;
  const covered = rule.paths === 'all' || (Array.isArray(rule.paths) ? rule.paths.includes(path) : path.startsWith(rule.paths));
  return covered ? rule : undefined;
};
const fill = (value: string, request: Headers) =>
  value
    .replace('{origin}', request.get('origin') ?? '')
    .replace('{method}', request.get('access-control-request-method') ?? '')
    .replace('{headers}', request.get('access-control-request-headers') ?? '');
const corsHeaders = (headers: Headers) =>
  Object.fromEntries([...headers].filter(([name]) => name.startsWith('access-control-')).sort(([a], [b]) => a.localeCompare(b)));
const expectedCors = (wanted: Record<string, string>, request: Headers) =>
  Object.fromEntries(Object.entries(wanted).map(([name, value]) => [name.toLowerCase(), fill(value, request)] as const).sort(([a], [b]) => a.localeCompare(b)));

interface Unrouted {
  when: string;
  status: number;
  headers?: Record<string, string>;
  content?: Record<string, { example: unknown }>;
}

/** The contract's methods for a path (what a router's `Allow` lists). */
const methodsOf = (path: string) => contract.operations.filter((op) => op.path === path).map((op) => op.method);

// ── Sequences ─────────────────────────────────────────────────────────────────────────────────

type Compare = 'exact' | 'shape' | 'keys';
interface Expectation {
  operation?: string;
  status: number;
  example?: string;
  /** How the body is compared with the documented example (default: shape). */
  compare?: Compare;
  /** A component header whose documented Set-Cookie the answer must send (name and attributes). */
  cookie?: string;
}

/** Runs steps against one emulator and collects every difference from the contract. */
function player(tag: Tag, baseUrl: () => string) {
  const problems: string[] = [];
  const send = async (label: string, method: string, path: string, init: { headers?: Record<string, string>; body?: unknown } = {}) => {
    const headers = new Headers({ origin: ORIGIN, ...init.headers });
    if (init.body !== undefined && !headers.has('content-type')) headers.set('content-type', 'application/json');
    const request = { method, url: baseUrl() + path };
    const response = await fetch(request.url, {
      method,
      headers,
      ...(init.body === undefined ? {} : { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }),
    });
    const text = await response.clone().text();
    const problem = (what: string) => problems.push(`${tag} — ${label} (${method} ${path} → ${response.status}): ${what}`);
    return { request, response, headers, text, problem, pathname: path.split('?')[0]! };
  };

  /** A step on a contract operation. */
  async function step(label: string, method: string, path: string, expected: Expectation, init: { headers?: Record<string, string>; body?: unknown } = {}) {
    const sent = await send(label, method, path, init);
    const { response, text, problem } = sent;
    const validation = await validateExchange(sent.request, withoutHopByHop(response, text), { baseUrl: baseUrl() });
    validation.problems.forEach(problem);
    if (expected.operation && validation.operation?.operationId !== expected.operation) problem(`reached ${validation.operation?.operationId} instead of ${expected.operation}`);
    if (response.status !== expected.status) problem(`status ${response.status} instead of the documented ${expected.status}`);
    else if (validation.operation) {
      const doc = documented(validation.operation.operationId, expected.status, expected.example);
      const media = response.headers.get('content-type')?.split(';')[0] ?? '';
      if (!doc) {
        if (text !== '') problem(`a body where the contract documents none: ${text.slice(0, 80)}`);
      } else if (text === '' && expected.compare !== undefined) {
        problem('an empty body where the contract documents one');
      } else if (text !== '') {
        if (media !== doc.media) problem(`media type ${media} instead of ${doc.media}`);
        const body: unknown = media.endsWith('json') ? JSON.parse(text) : text;
        const compare = expected.compare ?? 'shape';
        const found =
          compare === 'exact'
            ? JSON.stringify(body) === JSON.stringify(doc.body) || isDeepEqual(body, doc.body)
              ? []
              : [`${JSON.stringify(body)} instead of ${JSON.stringify(doc.body)}`]
            : compare === 'keys'
              ? keysWithin(body, doc.body)
              : sameShape(body, doc.body);
        found.forEach((f) => problem(`body ${f}`));
      }
    }
    const cookies = response.headers.getSetCookie().map(parseSetCookie);
    if (expected.cookie) {
      const wanted = cookieExample(expected.cookie);
      const got = cookies.find((c) => c.name === wanted.name);
      if (!got) problem(`no Set-Cookie ${wanted.name} (got ${cookies.map((c) => c.name).join(', ') || 'none'})`);
      else {
        const names = (c: typeof got) => [...c.attributes.keys()].sort().join('; ');
        if (names(got) !== names(wanted)) problem(`cookie attributes ${names(got)} instead of ${names(wanted)}`);
        for (const fixed of ['path', 'samesite', 'httponly', 'max-age'])
          if (wanted.attributes.get(fixed) === true || (fixed !== 'max-age' && wanted.attributes.has(fixed)) || (fixed === 'max-age' && wanted.attributes.get(fixed) === '0'))
            if (got.attributes.get(fixed) !== wanted.attributes.get(fixed)) problem(`cookie ${fixed}=${String(got.attributes.get(fixed))} instead of ${String(wanted.attributes.get(fixed))}`);
        if ((wanted.value === '') !== (got.value === '')) problem(`cookie value ${got.value === '' ? 'empty' : 'set'}, documented ${wanted.value === '' ? 'empty' : 'set'}`);
      }
    }
    checkCors(sent);
    return { response, body: text && response.headers.get('content-type')?.includes('json') ? (JSON.parse(text) as Json) : undefined, cookies };
  }

  function checkCors({ response, headers, pathname, problem }: Awaited<ReturnType<typeof send>>) {
    const rule = corsRule(tag, pathname);
    const want = expectedCors(rule?.actual ?? {}, headers);
    const got = corsHeaders(response.headers);
    if (JSON.stringify(got) !== JSON.stringify(want)) problem(`CORS headers ${JSON.stringify(got)} instead of ${JSON.stringify(want)}`);
  }

  /** A request no operation describes, against `x-authwire-unrouted`. */
  async function unrouted(label: string, method: string, path: string, when: string, init: { headers?: Record<string, string> } = {}) {
    const sent = await send(label, method, path, init);
    const { response, text, problem } = sent;
    if (contract.find(method, sent.pathname)) problem('a contract operation describes this request: not an unrouted step');
    const documentedCase = (extension('x-authwire-unrouted', tag) as Unrouted[]).find((c) => c.when === when);
    if (!documentedCase) throw new Error(`x-authwire-unrouted has no ${tag} case ${when}`);
    if (response.status !== documentedCase.status) problem(`status ${response.status} instead of the documented ${documentedCase.status}`);
    const [media, entry] = Object.entries(documentedCase.content ?? {})[0] ?? [];
    const type = response.headers.get('content-type')?.split(';')[0] ?? '';
    if (!media) {
      if (text !== '' || type) problem(`a body (${type || 'no type'}: ${text.slice(0, 60)}) where the contract documents none`);
    } else {
      if (type !== media) problem(`media type ${type || '(none)'} instead of ${media}`);
      // HTML pages are site-specific; other bodies are constant.
      else if (media !== 'text/html') {
        const body: unknown = media.endsWith('json') ? JSON.parse(text) : text;
        if (!isDeepEqual(body, entry!.example)) problem(`body ${JSON.stringify(body)} instead of ${JSON.stringify(entry!.example)}`);
      }
    }
    for (const [name, value] of Object.entries(documentedCase.headers ?? {})) {
      const got = response.headers.get(name);
      if (value.includes('{allowed}')) {
        const listed = (got ?? '').split(', ');
        const allowed = methodsOf(sent.pathname);
        if (listed.at(-1) !== 'OPTIONS' || listed.slice(0, -1).sort().join() !== allowed.sort().join()) problem(`${name}: ${got} instead of ${allowed.join(', ')} then OPTIONS`);
      } else if (got !== value) problem(`${name}: ${got} instead of ${value}`);
    }
    checkCors(sent);
    return response;
  }

  /** A CORS preflight, against `x-authwire-cors` (other paths: no CORS headers at all). */
  async function preflight(label: string, path: string, method = 'POST') {
    const sent = await send(label, 'OPTIONS', path, { headers: { 'access-control-request-method': method, 'access-control-request-headers': 'content-type,authorization' } });
    const rule = corsRule(tag, path);
    const got = corsHeaders(sent.response.headers);
    if (!rule) {
      if (Object.keys(got).length) sent.problem(`CORS headers ${JSON.stringify(got)} on a path without CORS`);
      return;
    }
    if (sent.response.status !== rule.preflight.status) sent.problem(`preflight status ${sent.response.status} instead of ${rule.preflight.status}`);
    const want = expectedCors(rule.preflight.headers, sent.headers);
    if (JSON.stringify(got) !== JSON.stringify(want)) sent.problem(`preflight headers ${JSON.stringify(got)} instead of ${JSON.stringify(want)}`);
  }

  return { step, unrouted, preflight, problems };
}

// Node's HTTP server adds these per connection; they belong to the transport, not to the answer.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding']);
const withoutHopByHop = (response: Response, text: string) => {
  const headers = new Headers();
  for (const [name, value] of response.headers) if (!HOP_BY_HOP.has(name) && name !== 'set-cookie') headers.append(name, value);
  for (const line of response.headers.getSetCookie()) headers.append('set-cookie', line);
  return new Response(text === '' ? null : text, { status: response.status, headers });
};

function isDeepEqual(a: unknown, b: unknown): boolean {
  try {
    expect(a).toEqual(b);
    return true;
  } catch {
    return false;
  }
}

const cookieOf = (cookies: { name: string; value: string }[], name: string) => {
  const found = cookies.find((c) => c.name === name);
  return found ? `${found.name}=${found.value}` : '';
};

// ── Lowcoder ──────────────────────────────────────────────────────────────────────────────────

async function lowcoderSequence(play: ReturnType<typeof player>) {
  const { step, unrouted, preflight } = play;
  const configs = await step('capability discovery', 'GET', '/api/configs', { operation: 'lowcoderConfigs', status: 200 });
  const cookieName = String((configs.body?.data as Json | undefined)?.cookieName);
  const form = (password: string) => ({ loginId: 'ada@example.com', password, register: false, source: 'EMAIL', authId: 'EMAIL' });
  await step('wrong password', 'POST', '/api/auth/form/login', { operation: 'lowcoderFormLogin', status: 403, example: 'invalidPassword', compare: 'exact' }, { body: form('wrong') });
  await step('login body that is not JSON', 'POST', '/api/auth/form/login', { operation: 'lowcoderFormLogin', status: 500, example: 'internal', compare: 'exact' }, {
    body: JSON.stringify(form('s3cret-Passw0rd')),
    headers: { 'content-type': 'text/plain;charset=UTF-8' },
  });
  const login = await step('login', 'POST', '/api/auth/form/login', { operation: 'lowcoderFormLogin', status: 200, compare: 'exact', cookie: 'LowcoderSessionSetCookie' }, { body: form('s3cret-Passw0rd') });
  const cookie = { cookie: cookieOf(login.cookies, cookieName) };
  await step('profile', 'GET', '/api/users/currentUser', { operation: 'lowcoderCurrentUser', status: 200, example: 'signedIn' }, { headers: cookie });
  const change = (oldPassword: string, newPassword: string) => ({ body: { oldPassword, newPassword }, headers: cookie });
  await step('password change, wrong old password', 'PUT', '/api/users/password', { operation: 'lowcoderChangePassword', status: 403, compare: 'exact' }, change('wrong', 'x'));
  await step('password change', 'PUT', '/api/users/password', { operation: 'lowcoderChangePassword', status: 200, compare: 'exact' }, change('s3cret-Passw0rd', 'n3w-Passw0rd!'));
  await step('password change back', 'PUT', '/api/users/password', { operation: 'lowcoderChangePassword', status: 200, compare: 'exact' }, change('n3w-Passw0rd!', 's3cret-Passw0rd'));
  await step('password reset mail', 'POST', '/api/users/lost-password', { operation: 'lowcoderRequestPasswordReset', status: 200 }, { body: { userEmail: 'ada@example.com' } });
  await step('logout', 'POST', '/api/auth/logout', { operation: 'lowcoderLogout', status: 200, compare: 'exact' }, { headers: cookie });
  await step('old cookie after logout: anonymous', 'GET', '/api/users/currentUser', { operation: 'lowcoderCurrentUser', status: 200, example: 'anonymous', compare: 'exact' }, { headers: cookie });
  await step('old cookie after logout: refused', 'GET', '/api/auth/api-keys', { operation: 'lowcoderListApiKeys', status: 401 }, { headers: cookie });
  await unrouted('unknown path', 'GET', '/api/nope', 'anonymous');
  await unrouted('wrong method', 'GET', '/api/auth/form/login', 'anonymous');
  await preflight('preflight', '/api/auth/form/login');
}

// ── ApostropheCMS (its mock is read here, never changed) ──────────────────────────────────────

async function apostropheSequence(play: ReturnType<typeof player>) {
  const { step, unrouted, preflight } = play;
  const LOGIN = '/api/v1/@apostrophecms/login';
  await step('capability discovery', 'GET', `${LOGIN}/context`, { operation: 'apostropheContextGet', status: 200, compare: 'keys', cookie: 'ApostropheCsrfSetCookie' });
  await step('wrong password', 'POST', `${LOGIN}/login`, { operation: 'apostropheLogin', status: 400, example: 'badCredentials', compare: 'exact' }, { body: { username: 'admin', password: 'wrong' } });
  const login = await step('login', 'POST', `${LOGIN}/login`, { operation: 'apostropheLogin', status: 200, example: 'bearer' }, { body: { username: 'admin', password: 's3cret-Passw0rd' } });
  const bearer = { authorization: `Bearer ${String(login.body?.token)}` };
  await step('profile', 'GET', `${LOGIN}/whoami`, { operation: 'apostropheWhoamiGet', status: 200, example: 'user', compare: 'keys' }, { headers: bearer });
  await step('password reset, not enabled on this site', 'POST', `${LOGIN}/reset-request`, { operation: 'apostropheResetRequest', status: 404 }, { body: { email: 'admin' }, headers: bearer });
  await step('logout', 'POST', `${LOGIN}/logout`, { operation: 'apostropheLogout', status: 200 }, { headers: bearer });
  await step('old token after logout', 'GET', `${LOGIN}/whoami`, { operation: 'apostropheWhoamiGet', status: 401, compare: 'exact' }, { headers: bearer });
  await unrouted('unknown path', 'GET', '/api/v1/nope', 'anonymous');
  await unrouted('wrong method', 'GET', `${LOGIN}/login`, 'anonymous');
  await preflight('preflight', `${LOGIN}/login`);
}

// ── Coco Server ───────────────────────────────────────────────────────────────────────────────

async function cocoSequence(play: ReturnType<typeof player>) {
  const { step, unrouted, preflight } = play;
  await step('capability discovery', 'GET', '/setting/application', { operation: 'cocoApplicationSettings', status: 200, compare: 'keys' });
  const credentials = (password: string) => ({ email: 'admin@example.com', login: 'admin@example.com', password });
  await step('wrong password', 'POST', '/account/login', { operation: 'cocoLogin', status: 403, compare: 'exact' }, { body: credentials('wrong') });
  const login = await step('login', 'POST', '/account/login', { operation: 'cocoLogin', status: 200, example: 'current', cookie: 'CocoSessionSetCookie' }, { body: credentials('s3cret-Passw0rd!') });
  const cookie = { cookie: cookieOf(login.cookies, cookieExample('CocoSessionSetCookie').name) };
  const bearer = { authorization: `Bearer ${String(login.body?.access_token)}` };
  await step('profile (cookie)', 'GET', '/account/profile', { operation: 'cocoProfile', status: 200 }, { headers: cookie });
  const change = (old_password: string, new_password: string) => ({ body: { old_password, new_password }, headers: bearer });
  await step('password change, wrong old password', 'PUT', '/account/password', { operation: 'cocoChangePassword', status: 403, compare: 'exact' }, change('wrong', 'x'));
  await step('password change', 'PUT', '/account/password', { operation: 'cocoChangePassword', status: 200 }, change('s3cret-Passw0rd!', 'n3w-Passw0rd!'));
  await step('password change back', 'PUT', '/account/password', { operation: 'cocoChangePassword', status: 200 }, change('n3w-Passw0rd!', 's3cret-Passw0rd!'));
  await step('logout', 'POST', '/account/logout', { operation: 'cocoLogout', status: 200, compare: 'exact', cookie: 'CocoSessionClearCookie' }, { headers: cookie });
  // The contract: logout revokes nothing, so the old cookie and the JWT still work.
  await step('old cookie after logout', 'GET', '/account/profile', { operation: 'cocoProfile', status: 200 }, { headers: cookie });
  await step('old JWT after logout', 'GET', '/account/profile', { operation: 'cocoProfile', status: 200 }, { headers: bearer });
  await step('no credential', 'GET', '/account/profile', { operation: 'cocoProfile', status: 401, example: 'invalidLogin', compare: 'exact' });
  await unrouted('unknown path', 'GET', '/account/nope', 'unknownPath');
  await unrouted('wrong method', 'POST', '/account/profile', 'wrongMethod', { headers: bearer });
  await preflight('preflight, CORS route', '/account/profile', 'GET');
  await preflight('preflight, route without CORS', '/account/login');
}

// ── The tests ─────────────────────────────────────────────────────────────────────────────────

const SEQUENCES: [Tag, keyof Omit<Emulators, 'clock' | 'close'>, (play: ReturnType<typeof player>) => Promise<void>][] = [
  ['Lowcoder', 'lowcoder', lowcoderSequence],
  ['ApostropheCMS', 'apostrophe', apostropheSequence],
  ['Coco Server', 'coco', cocoSequence],
];

describe('each emulator answers every step as the contract documents', () => {
  it.each(SEQUENCES)('%s', async (tag, key, sequence) => {
    const play = player(tag, () => emulators[key].url);
    await sequence(play);
    expect(play.problems).toEqual([]);
  });
});

describe('the differential can fail', () => {
  it('flags a body, a status, a cookie and a CORS header that drift from the contract', async () => {
    const play = player('Lowcoder', () => emulators.lowcoder.url);
    const { mock } = emulators.lowcoder;
    mock.faults.inject({ path: '/api/configs', body: { text: '{"code":1,"message":"","data":{"cookieName":"X","extra":1},"success":true}', contentType: 'application/json' } });
    await play.step('drifted keys', 'GET', '/api/configs', { status: 200 });
    mock.faults.inject({ path: '/api/auth/api-keys', status: 418 });
    await play.step('drifted status', 'GET', '/api/auth/api-keys', { status: 401 });
    await play.step('a cookie that is not sent', 'GET', '/api/configs', { status: 200, cookie: 'LowcoderSessionSetCookie' });
    const coco = player('Coco Server', () => emulators.coco.url);
    // Lowcoder's CORS answer, checked as if it came from Coco.
    await coco.preflight('Lowcoder CORS where Coco has none', '/account/login');
    expect(play.problems).toEqual([
      expect.stringMatching(/drifted keys .* body .data: keys cookieName,extra instead of authConfigs,cloudHosting,cookieName,selfDomain,workspaceMode/),
      expect.stringMatching(/drifted status .* status 418 is not declared/),
      expect.stringMatching(/drifted status .* status 418 instead of the documented 401/),
      expect.stringMatching(/a cookie that is not sent .* no Set-Cookie LOWCODER_CE_SELFHOST_TOKEN/),
    ]);
    expect(coco.problems).toEqual([]);
    const lowcoderAsCoco = player('Coco Server', () => emulators.lowcoder.url);
    await lowcoderAsCoco.preflight('Lowcoder CORS where Coco has none', '/account/login');
    expect(lowcoderAsCoco.problems).toEqual([expect.stringMatching(/CORS headers .*access-control-allow-origin.* on a path without CORS/)]);
  });
});
