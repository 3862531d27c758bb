// The standing hostile-server suite, against the BUILT package (`authwire` and `authwire/api` by
// self-reference, i.e. dist/): loopback servers on raw `node:net` sockets that misbehave on purpose —
// redirects to other origins, cookies for other domains, endless, lying and compressed bodies (gzip
// and deflate bombs), slow, broken and odd status lines (statuses 0–999, reason phrases with bytes
// beyond ASCII or control characters), broken headers and header values with control characters, and
// every credential the request carried reflected into every header and body field. Every platform,
// mode (cookie, bearer, API key, Apostrophe's query key) and method, `createApi(client).GET/POST`
// included. Every outcome must be typed data or an AuthwireError, no call may outlive its timeout,
// and no credential may appear in anything returned, thrown, logged or emitted.
import type { Socket } from 'node:net';
import { inspect } from 'node:util';
import { deflateSync, gzipSync } from 'node:zlib';
import * as built from 'authwire';
import { createApi } from 'authwire/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialForms, leaksOf, rendered } from '../support/exposure.js';
import {
  MODES,
  caseId,
  clientFor,
  createLowcoderKey,
  credentialsOf,
  methodsOf,
  secretsIn,
  startWorld,
  type Mode,
  type Platform,
  type Sdk,
  type World,
} from '../support/hostile-worlds.js';
import type { Behaviour, RawRequest } from '../support/raw-server.js';

const sdk: Sdk = { ...built, createApi } as unknown as Sdk;
const PLATFORMS: Platform[] = ['lowcoder', 'apostrophe', 'coco'];
/** Per attempt; a call sends at most three requests (login and its check, or a CSRF priming GET and the replay). */
const TIMEOUT = 2000;
const LATEST = 3 * TIMEOUT + 3000;

// ───────────────────────────── raw answers ─────────────────────────────

const end = (socket: Socket, head: string, body: Buffer | string = '') =>
  socket.end(Buffer.concat([Buffer.from(head, 'latin1'), typeof body === 'string' ? Buffer.from(body) : body]));
/** A complete answer with these head lines and body. */
const answer = (status: string, headers: string[], body: Buffer | string = '') => {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  return (socket: Socket) => end(socket, `HTTP/1.1 ${status}\r\n${[...headers, `content-length: ${bytes.length}`, 'connection: close'].join('\r\n')}\r\n\r\n`, bytes);
};
const JSON_TYPE = 'content-type: application/json';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Writes `bytes` one at a time, `ms` apart, until done or the client hangs up. */
async function trickle(socket: Socket, bytes: Buffer, ms: number) {
  for (const byte of bytes) {
    if (socket.destroyed) return;
    socket.write(Buffer.from([byte]));
    await sleep(ms);
  }
}
/** Writes chunks until the client hangs up (or 64 MiB, a safety net). */
async function flood(socket: Socket, chunk: Buffer, chunked: boolean) {
  for (let sent = 0; sent < 64 << 20 && !socket.destroyed; sent += chunk.length) {
    const ok = socket.write(chunked ? Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]) : chunk);
    if (!ok) await new Promise((r) => socket.once('drain', r).once('close', r));
  }
  socket.destroy();
}

const BOMB_GZIP = gzipSync(Buffer.alloc(16 << 20));
const BOMB_DEFLATE = deflateSync(Buffer.alloc(16 << 20));
const LOWCODER_OK = JSON.stringify({ code: 1, success: true, data: true });

/** The credential headers, query key and password raw, and every carried secret in every form. */
const reflection = (request: RawRequest, world: World) =>
  [...credentialsOf(request), ...secretsIn(request, world.secrets()).flatMap((s) => credentialForms(s))].join(' ');

/** An error body in every platform's shape at once, each field holding `text`. */
const errorBody = (text: string, status: number) =>
  JSON.stringify({ code: text, message: text, success: false, name: text, data: { text }, status, error: { reason: text, type: text, root_cause: [{ reason: text }] }, reason: text });

type Scenario = (world: World, trap: string) => Behaviour;

const SCENARIOS: Record<string, Scenario> = {};

// Redirects to other origins (a trap on another port, and a remote name), with the request's URL along.
for (const [status, where] of [[301, 'trap'], [302, 'remote'], [303, 'trap'], [307, 'trap'], [308, 'remote']] as const)
  SCENARIOS[`${status} to ${where}`] = (_world, trap) => (request, socket) =>
    answer(`${status} Moved`, [`location: ${where === 'trap' ? trap : 'https://evil.example'}${request.target}`], '')(socket);

// Cookies for other domains, on an answer that is otherwise the mock's own.
SCENARIOS['cookies for other domains'] = (world) => async (request, socket) => {
  const real = await world.server.answer(request);
  const body = Buffer.from(await real.arrayBuffer());
  const headers = [JSON_TYPE, ...real.headers.getSetCookie().map((c) => `set-cookie: ${c}`)];
  for (const domain of ['evil.example', '127.0.0.2', 'localhost', '.0.0.1', 'example'])
    headers.push(`set-cookie: foreign-${domain.replace(/\W/g, '')}=x; Domain=${domain}; Path=/`);
  answer(`${real.status} X`, headers, body)(socket);
};

// Bodies: endless (fast and slow), lying lengths, declared too large, compression bombs.
SCENARIOS['endless chunked body'] = () => async (_r, socket) => {
  socket.write(`HTTP/1.1 200 OK\r\n${JSON_TYPE}\r\ntransfer-encoding: chunked\r\n\r\n`);
  await flood(socket, Buffer.alloc(64 << 10, 0x20), true);
};
SCENARIOS['endless body, no length'] = () => async (_r, socket) => {
  socket.write(`HTTP/1.1 500 Oops\r\n${JSON_TYPE}\r\nconnection: close\r\n\r\n`);
  await flood(socket, Buffer.alloc(64 << 10, 0x7b), false);
};
SCENARIOS['slow endless body'] = () => async (_r, socket) => {
  socket.write(`HTTP/1.1 200 OK\r\n${JSON_TYPE}\r\ncontent-length: 100000\r\n\r\n`);
  await trickle(socket, Buffer.alloc(100_000, 0x20), 40);
};
SCENARIOS['content-length larger than the body'] = () => (_r, socket) => end(socket, `HTTP/1.1 200 OK\r\n${JSON_TYPE}\r\ncontent-length: 5000\r\n\r\n`, '{"a":');
SCENARIOS['content-length over the limit'] = () => (_r, socket) => end(socket, `HTTP/1.1 200 OK\r\n${JSON_TYPE}\r\ncontent-length: 999999999\r\n\r\n`, '{}');
SCENARIOS['two different content-lengths'] = () => (_r, socket) => end(socket, `HTTP/1.1 200 OK\r\ncontent-length: 2\r\ncontent-length: 7\r\n\r\n`, '{}');
for (const [name, encoding, bytes] of [
  ['gzip bomb', 'gzip', BOMB_GZIP],
  ['deflate bomb', 'deflate', BOMB_DEFLATE],
] as const) {
  SCENARIOS[`${name}, 200`] = () => (_r, socket) => answer('200 OK', [JSON_TYPE, `content-encoding: ${encoding}`], bytes)(socket);
  SCENARIOS[`${name}, 500`] = () => (_r, socket) => answer('500 Oops', [JSON_TYPE, `content-encoding: ${encoding}`], bytes)(socket);
}
SCENARIOS['gzip claimed, not gzip'] = () => (_r, socket) => answer('200 OK', [JSON_TYPE, 'content-encoding: gzip'], 'not gzip at all')(socket);

// Status lines: slow, missing, broken, odd numbers, odd reason phrases.
SCENARIOS['slow status line'] = () => (_r, socket) => trickle(socket, Buffer.from(`HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}`), 150);
SCENARIOS['slow headers'] = () => async (_r, socket) => {
  socket.write('HTTP/1.1 200 OK\r\n');
  await trickle(socket, Buffer.from(`x-a: ${'a'.repeat(200)}\r\n\r\n`), 40);
};
SCENARIOS['never answers'] = () => () => undefined;
SCENARIOS['hangs up at once'] = () => (_r, socket) => void socket.destroy();
SCENARIOS['hangs up mid status line'] = () => (_r, socket) => void socket.end('HTTP/1.1 20');
for (const line of ['HELLO', 'HTTP/1.1 abc OK', 'HTTP/1.1 2000 OK', 'HTTP/1.1 -1 X', 'HTTP/2 200 OK', 'HTTP/1.1  200 OK', 'ICY 200 OK', 'HTTP/1.1 20x OK', 'HTTP/1.1'])
  SCENARIOS[`status line ${JSON.stringify(line)}`] = () => (_r, socket) => end(socket, `${line}\r\ncontent-length: 2\r\nconnection: close\r\n\r\n`, '{}');
// Statuses 0–999 in full are in fuzz.test.ts; here the edges of each class.
for (const status of [0, 42, 99, 100, 101, 103, 199, 204, 205, 299, 304, 399, 418, 599, 600, 999])
  SCENARIOS[`status ${status}`] = () => (_r, socket) => answer(`${String(status).padStart(3, '0')} Odd`, [JSON_TYPE], LOWCODER_OK)(socket);
for (const [name, reason] of [
  ['UTF-8 beyond Latin-1', Buffer.from('✓ fine — 好', 'utf8')],
  ['control characters', Buffer.from('OK\x01\x02\x7f\x1b[31m', 'latin1')],
  ['Latin-1 high bytes', Buffer.from([0x4f, 0xe9, 0xff, 0x80])],
  ['empty', Buffer.from('')],
] as const)
  for (const status of [200, 500])
    SCENARIOS[`${status} reason phrase: ${name}`] = () => (_r, socket) =>
      socket.end(Buffer.concat([Buffer.from(`HTTP/1.1 ${status} `), reason, Buffer.from(`\r\n${JSON_TYPE}\r\ncontent-length: ${LOWCODER_OK.length}\r\nconnection: close\r\n\r\n${LOWCODER_OK}`)]));

// Broken headers and header values with control characters.
for (const [name, head] of [
  ['a header without a colon', 'x-broken header\r\n'],
  ['NUL in a header value', 'x-a: a\0b\r\n'],
  ['control characters in a header value', 'x-request-id: id\x01\x7f\x1b[2J\r\n'],
  ['a bare LF', 'x-a: 1\n'],
  ['an obs-fold continuation', 'x-a: 1\r\n  folded\r\n'],
  ['a space before the colon', 'x-a : 1\r\n'],
  ['a 64 KiB header', `x-big: ${'b'.repeat(64 << 10)}\r\n`],
  ['5,000 headers', Array.from({ length: 5000 }, (_, i) => `x-h${i}: ${i}\r\n`).join('')],
  ['set-cookie with control characters', 'set-cookie: a=b\x01c; Path=/\r\n'],
  ['retry-after: Infinity on a 429', 'retry-after: Infinity\r\n'],
  ['retry-after far away on a 429', 'retry-after: 99999999999\r\n'],
] as const)
  SCENARIOS[`header: ${name}`] = () => (_r, socket) =>
    end(socket, `HTTP/1.1 ${name.includes('429') ? 429 : 200} OK\r\n${JSON_TYPE}\r\n${head}content-length: ${LOWCODER_OK.length}\r\nconnection: close\r\n\r\n`, LOWCODER_OK);

// Reflected credentials: in every header and body field, on errors, refusals and odd successes.
const REFLECTING_HEADERS = ['x-request-id', 'www-authenticate', 'location', 'retry-after', 'x-error', 'warning', 'content-type', 'link', 'x-amzn-requestid', 'traceparent'];
for (const status of [200, 400, 401, 403, 404, 409, 429, 500, 502, 503])
  SCENARIOS[`${status} reflecting credentials everywhere`] = (world) => (request, socket) => {
    const text = reflection(request, world);
    const headers = REFLECTING_HEADERS.map((h) => `${h}: ${h === 'content-type' ? `application/json; x=${text}` : text}`);
    headers.push(`set-cookie: echo=${encodeURIComponent(text)}; Path=/`);
    socket.end(
      Buffer.concat([
        Buffer.from(`HTTP/1.1 ${status} ${text}\r\n${headers.join('\r\n')}\r\nconnection: close\r\n`, 'latin1'),
        Buffer.from(`content-length: ${Buffer.byteLength(errorBody(text, status))}\r\n\r\n${errorBody(text, status)}`),
      ]),
    );
  };
SCENARIOS['200 not JSON, reflecting'] = (world) => (request, socket) => {
  const text = reflection(request, world);
  answer('200 OK', ['content-type: text/html', `x-request-id: ${credentialForms(text)[1]}`], `<html>${text}</html>`)(socket);
};

// ───────────────────────────── the run ─────────────────────────────

interface Outcome {
  label: string;
  kind: 'value' | 'error' | 'untyped';
  ms: number;
  leaks: string[];
  name: string;
  /** What an untyped outcome was. */
  detail?: string;
}

const worlds = {} as Record<Platform, World>;
let trap: Awaited<ReturnType<typeof startWorld>>;
/** Signed-in sessions per platform and mode, copied into each case's store (no login per case). */
const sessions = new Map<string, Map<string, string>>();

beforeAll(async () => {
  for (const platform of PLATFORMS) worlds[platform] = await startWorld(platform);
  trap = await startWorld('coco');
  await createLowcoderKey(sdk, worlds.lowcoder);
  for (const platform of PLATFORMS)
    for (const mode of MODES[platform]) {
      const values = new Map<string, string>();
      const store = { get: (k: string) => values.get(k), set: (k: string, v: string) => void values.set(k, v), delete: (k: string) => void values.delete(k) };
      const { ready } = clientFor(sdk, worlds[platform], mode, 'setup', { store });
      await ready();
      sessions.set(`${platform} ${mode}`, values);
    }
});
afterAll(async () => {
  await Promise.all([...Object.values(worlds), trap].map((w) => w?.close()));
});

/** True for data the SDK's types allow: anything from a high-level method (checked there), createApi's result, logout's. */
function typedValue(method: string, value: unknown): boolean {
  if (method.startsWith('createApi ')) return typeof value === 'object' && value !== null && (value as { response?: unknown }).response instanceof Response;
  if (method === 'logout') {
    const { serverRevoked, error } = value as { serverRevoked: unknown; error?: unknown };
    return typeof serverRevoked === 'boolean' && (error === undefined || built.isAuthwireError(error));
  }
  return true;
}

async function runCase(world: World, mode: Mode, method: string, scenario: string): Promise<Outcome> {
  const label = `${world.platform} ${mode} ${method} ← ${scenario}`;
  const id = caseId(label);
  const lines: string[] = [];
  const values = new Map(sessions.get(`${world.platform} ${mode}`));
  const store = { get: (k: string) => values.get(k), set: (k: string, v: string) => void values.set(k, v), delete: (k: string) => void values.delete(k) };
  const logger = { debug: (l: string) => lines.push(l), warn: (l: string) => lines.push(l) };
  const fresh = method === 'login';
  const { client } = clientFor(sdk, world, mode, id, { timeout: TIMEOUT, logger, ...(fresh ? {} : { store }) });
  const events: unknown[] = [];
  for (const event of ['signedIn', 'signedOut', 'expired', 'refreshed']) (client.on as unknown as (e: string, l: (s: unknown) => void) => void)(event, (s) => events.push(s));
  world.cases.set(id, SCENARIOS[scenario]!(world, trap.baseUrl));
  const started = performance.now();
  let kind: Outcome['kind'];
  let result: unknown;
  try {
    result = await methodsOf(sdk, world.platform, mode)[method]!(client);
    kind = typedValue(method, result) ? 'value' : 'untyped';
  } catch (error) {
    result = error;
    kind = error instanceof built.AuthwireError ? 'error' : 'untyped';
  }
  const ms = performance.now() - started;
  world.cases.delete(id);
  // createApi hands back the server's own answer (data, error, response): what the server chose to
  // send is not the SDK's to rewrite; createApiKey returns the new key, as asked. Everything else is scanned.
  const shown = (method.startsWith('createApi ') || method === 'createApiKey') && kind === 'value' ? [] : [result];
  const session = await (client.session as () => Promise<unknown>)();
  const stored = method === 'login' ? [] : [...values.values()].map((v) => JSON.parse(v) as Record<string, unknown>).map(({ secret: _s, cookies: _c, ...rest }) => rest);
  const text = [...shown, session, stored, events, lines].map(rendered).join('\n');
  const leaks = leaksOf(label, text, world.secrets());
  const name = kind === 'error' ? `${(result as Error).name}${(result as { reason?: string }).reason ? `/${(result as { reason?: string }).reason}` : ''}` : kind;
  return { label, kind, ms, leaks, name, ...(kind === 'untyped' && { detail: inspect(result, { depth: 3 }).slice(0, 600) }) };
}

/** Runs `jobs` with at most `width` at a time. */
async function pool<T>(jobs: (() => Promise<T>)[], width: number): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < jobs.length) {
        const i = next++;
        results[i] = await jobs[i]!();
      }
    }),
  );
  return results;
}

/** Scenarios every method meets; every other scenario meets one method of each mode, in rotation. */
const CORE = ['307 to trap', '500 reflecting credentials everywhere', '200 not JSON, reflecting', 'gzip bomb, 200', 'status 999'];

/** The cases of one platform: [mode, method, scenario]. */
function casesOf(platform: Platform): [Mode, string, string][] {
  const cases: [Mode, string, string][] = [];
  const scenarios = Object.keys(SCENARIOS);
  for (const mode of MODES[platform]) {
    const methods = Object.keys(methodsOf(sdk, platform, mode));
    scenarios.forEach((scenario, i) => {
      const chosen = CORE.includes(scenario) ? methods : [methods[i % methods.length]!];
      for (const method of chosen) cases.push([mode, method, scenario]);
    });
  }
  return cases;
}

describe.each(PLATFORMS)('%s behind a hostile server (built package)', (platform) => {
  it('every mode, method and misbehaviour: typed outcomes, in time, nothing leaked', async () => {
    const world = worlds[platform];
    const cases = casesOf(platform);
    // Every method of every mode meets the core scenarios, and every scenario meets every mode.
    for (const mode of MODES[platform]) {
      for (const method of Object.keys(methodsOf(sdk, platform, mode))) expect(cases.filter(([m, me]) => m === mode && me === method).length).toBeGreaterThanOrEqual(CORE.length);
      expect(new Set(cases.filter(([m]) => m === mode).map(([, , s]) => s)).size).toBe(Object.keys(SCENARIOS).length);
    }
    const before = world.server.requests.length;
    const outcomes = await pool(
      cases.map(([mode, method, scenario]) => () => runCase(world, mode, method, scenario)),
      16,
    );
    const summary = new Map<string, number>();
    for (const o of outcomes) summary.set(o.name, (summary.get(o.name) ?? 0) + 1);
    console.log(`${platform}: ${outcomes.length} cases, ${world.server.requests.length - before} requests, outcomes ${JSON.stringify(Object.fromEntries(summary))}`);
    expect(outcomes.filter((o) => o.kind === 'untyped').map((o) => `${o.label}: ${o.detail}`)).toEqual([]);
    expect(outcomes.filter((o) => o.ms > LATEST).map((o) => `${o.label}: ${Math.round(o.ms)} ms`)).toEqual([]);
    expect(outcomes.flatMap((o) => o.leaks)).toEqual([]);
    // Nothing was followed to the trap, and no foreign cookie came back.
    expect(trap.server.requests.filter((r) => r.headers['x-case']).map((r) => r.target)).toEqual([]);
    expect(world.server.requests.filter((r) => /foreign-/.test(r.headers.cookie ?? '')).map((r) => r.headers.cookie)).toEqual([]);
    expect(world.server.requests.length - before).toBeGreaterThanOrEqual(cases.length);
  }, 120_000);
});
