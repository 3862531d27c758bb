// Fuzzing `createApi` and every high-level method with odd status lines: statuses 0–999, reason
// phrases beyond Latin-1 or with control characters, header values with control characters, bodies
// of any kind, each possibly reflecting the request's credentials. Every outcome must be typed data
// or an AuthwireError and carry no credential. In process (a fetch that answers with the generated
// response, as a broken proxy or a fetch polyfill could), plus statuses 0–999 in full on raw sockets.
//
// Seeds follow test/hardening/property.test.ts: a pinned SEED in CI; AUTHWIRE_PROPERTY_SEED=random
// or =<n> for another; a failure names its seed and fast-check's path.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthwireError, apostrophe, coco, isAuthwireError, lowcoder } from '../../src/node.js';
import { createApi } from '../../src/api.js';
import { mockApostrophe, mockCoco, mockLowcoder } from '../../src/mocks/index.js';
import { credentialForms, leaksOf, rendered } from '../support/exposure.js';
import { API_PATHS, APOS_KEY, APOS_QUERY_KEY, COCO_KEY, MODES, PASSWORD, USERS, methodsOf, startWorld, type Mode, type Platform, type Sdk, type World } from '../support/hostile-worlds.js';

const sdk: Sdk = { lowcoder, apostrophe, coco, createApi, AuthwireError } as unknown as Sdk;
const PLATFORMS: Platform[] = ['lowcoder', 'apostrophe', 'coco'];
/**
 * Cases: 3 platforms × 2,000 fuzzed in process, plus statuses 0–999 in process for createApi (3 × 1,000)
 * and profile (every third: 3 × 334), plus 100 statuses on raw sockets (2 calls each): 10,202.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 2_000);
const SEED = 1_118_034_093;
const seedSetting = process.env.AUTHWIRE_PROPERTY_SEED?.trim() || String(SEED);
const seed = seedSetting === 'random' ? Math.floor(Math.random() * 2 ** 31) : Number(seedSetting);
if (!Number.isInteger(seed)) throw new Error(`AUTHWIRE_PROPERTY_SEED must be "random" or an integer, not ${JSON.stringify(seedSetting)}`);

const BASE = 'http://127.0.0.1:9';
const TOKEN = 'fuzz-token-HOSTILE+/&=@~(!)-6d0e';
/** Placeholder in generated text for the credentials of the request being answered, in every form. */
const ECHO = '<<echo>>';

// ───────────────────────────── sessions to start from ─────────────────────────────

/** A signed-in session per platform and mode, made against the mock once, copied into each case's store. */
const sessions = new Map<string, Map<string, string>>();
/** Credentials the mocks issued while making them. */
const issued = new Set<string>();

const MOCKS = {
  lowcoder: () => mockLowcoder({ baseUrl: BASE, users: [{ ...USERS.lowcoder }] }),
  apostrophe: () => mockApostrophe({ baseUrl: BASE, users: [{ ...USERS.apostrophe }] }),
  coco: () => mockCoco({ baseUrl: BASE, users: [{ ...USERS.coco, name: 'admin', roles: ['admin'] }] }),
};

beforeAll(async () => {
  for (const platform of PLATFORMS)
    for (const mode of ['cookie', 'bearer'] as const) {
      if (!MODES[platform].includes(mode)) continue;
      const mock = MOCKS[platform]();
      const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
        const answer = await mock.handle(new Request(input, init));
        for (const line of answer.headers.getSetCookie()) issued.add(line.slice(line.indexOf('=') + 1).split(';')[0]!);
        return answer;
      };
      const values = new Map<string, string>();
      const store = { get: (k: string) => values.get(k), set: (k: string, v: string) => void values.set(k, v), delete: (k: string) => void values.delete(k) };
      const client = (sdk[platform] as (o: unknown) => { login(i: unknown): Promise<unknown>; credential(): Promise<string | undefined> })({
        baseUrl: BASE,
        fetch,
        store,
        ...(mode === 'cookie' && platform !== 'lowcoder' ? { mode } : {}),
      });
      await client.login(USERS[platform]);
      const secret = await client.credential();
      if (secret) issued.add(secret);
      sessions.set(`${platform} ${mode}`, values);
    }
});

const secretsOf = () => [PASSWORD, TOKEN, APOS_KEY, APOS_QUERY_KEY, COCO_KEY, ...[...issued].filter((v) => v.length > 8)];

/** The modes a fuzzed client may hold: a fixed credential, or a session from beforeAll. */
const FUZZ_MODES: Record<Platform, (Mode | 'token')[]> = {
  lowcoder: ['cookie', 'apiKey'],
  apostrophe: ['bearer', 'cookie', 'apiKey', 'apiKeyQuery', 'token'],
  coco: ['bearer', 'cookie', 'apiKey', 'token'],
};

function makeClient(platform: Platform, mode: Mode | 'token', fetch: typeof globalThis.fetch, fresh: boolean) {
  const options: Record<string, unknown> = { baseUrl: BASE, fetch, maxRetries: 0, timeout: 5000 };
  if (mode === 'cookie' && platform !== 'lowcoder') options.mode = 'cookie';
  if (mode === 'apiKey') options.apiKey = platform === 'lowcoder' ? TOKEN : platform === 'apostrophe' ? APOS_KEY : COCO_KEY;
  if (mode === 'apiKeyQuery') Object.assign(options, { apiKey: APOS_QUERY_KEY, apiKeyIn: 'query' });
  if (mode === 'token') options.token = TOKEN;
  if ((mode === 'cookie' || mode === 'bearer') && !fresh) {
    const values = new Map(sessions.get(`${platform} ${mode}`));
    options.store = { get: (k: string) => values.get(k), set: (k: string, v: string) => void values.set(k, v), delete: (k: string) => void values.delete(k) };
  }
  return (sdk[platform] as (o: unknown) => Record<string, (...a: unknown[]) => Promise<unknown>>)(options);
}

// ───────────────────────────── answers ─────────────────────────────

interface Answer {
  status: number;
  statusText: string;
  headers: [string, string][];
  body: string;
}

/** Header values a fetch can deliver: any Latin-1 byte but NUL, CR and LF, no surrounding white space. */
const headerValue = fc
  .oneof(
    fc.string({ maxLength: 16, unit: fc.integer({ min: 1, max: 255 }).map((c) => String.fromCharCode(c)) }),
    fc.constantFrom(ECHO, `id-${ECHO}`, '\x01\x1b[31m', 'a\x7fb', '\tx', 'Infinity', '-1', '99999999999', 'gzip'),
  )
  .map((v) => v.replace(/[\0\r\n]/g, '').trim());
const headerName = fc.constantFrom('x-request-id', 'retry-after', 'set-cookie', 'content-type', 'location', 'www-authenticate', 'content-encoding', 'x-error', 'warning');
/** Reason phrases of any kind: beyond Latin-1, control characters, reflections. */
const statusText = fc.oneof(
  fc.string({ maxLength: 12, unit: 'binary' }),
  fc.constantFrom('', 'OK', '✓ fine — 好', 'OK\x01\x7f', ECHO, `bad ${ECHO}`, '\r\n', '\0'),
);
const status = fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 0, max: 999 }) }, { weight: 2, arbitrary: fc.constantFrom(200, 201, 204, 302, 400, 401, 403, 404, 429, 500, 503) });
const jsonish = fc.oneof(
  fc.json({ maxDepth: 3 }),
  fc.constantFrom(
    '{"code":1,"success":true,"data":true}',
    '{"code":5608,"message":"<<echo>>","success":false}',
    '{"name":"invalid","message":"<<echo>>","data":{}}',
    '{"status":401,"error":{"reason":"<<echo>>"}}',
    '{"token":"<<echo>>"}',
    '{"code":1,"success":true,"data":{"id":"","name":"ANONYMOUS"}}',
  ),
);
const body = fc.oneof({ weight: 3, arbitrary: jsonish }, { weight: 1, arbitrary: fc.string({ maxLength: 40, unit: 'binary' }) }, { weight: 1, arbitrary: fc.constant('') });
const answer: fc.Arbitrary<Answer> = fc.record({ status, statusText, headers: fc.array(fc.tuple(headerName, headerValue), { maxLength: 4 }), body });

/** What a reflecting server puts for ECHO: the request's credentials, raw and in every form. */
function echoOf(request: Request, bodyText: string): string {
  const carried = secretsOf().filter((s) => credentialForms(s).some((f) => request.url.includes(f) || bodyText.includes(f) || [...request.headers.values()].some((v) => v.includes(f))));
  return carried.flatMap((s) => credentialForms(s)).join(' ');
}

/** A fetch that answers every request with the next generated answer (cycling), status and reason as generated. */
function fetchOf(answers: Answer[]) {
  let i = 0;
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const bodyText = await request.clone().text();
    const a = answers[i++ % answers.length]!;
    const echo = echoOf(request, bodyText);
    const fill = (t: string) => t.split(ECHO).join(echo);
    const headers = new Headers();
    for (const [name, value] of a.headers) {
      try {
        headers.append(name, fill(value).replace(/[^\x01-\xff]/g, '?').replace(/[\r\n]/g, ''));
      } catch {
        // A value Headers refuses is one no fetch can deliver.
      }
    }
    const empty = [101, 204, 205, 304].includes(a.status);
    const response = new Response(empty ? null : fill(a.body), { status: 200, headers });
    // A broken proxy or a fetch polyfill may hand over any status number and reason phrase.
    Object.defineProperty(response, 'status', { value: a.status });
    Object.defineProperty(response, 'ok', { value: a.status >= 200 && a.status < 300 });
    Object.defineProperty(response, 'statusText', { value: fill(a.statusText) });
    return response;
  }) as typeof globalThis.fetch;
}

// ───────────────────────────── the properties ─────────────────────────────

const tally = { cases: 0, untyped: [] as string[], leaks: [] as string[], api: 0 };
const started = performance.now();

function typed(method: string, value: unknown) {
  if (method.startsWith('createApi ')) return typeof value === 'object' && value !== null && 'response' in value;
  if (method === 'logout') return typeof (value as { serverRevoked?: unknown }).serverRevoked === 'boolean' && ((value as { error?: unknown }).error === undefined || isAuthwireError((value as { error?: unknown }).error));
  return true;
}

describe.each(PLATFORMS)('%s: fuzzed answers', (platform) => {
  const choices = FUZZ_MODES[platform].flatMap((mode) =>
    Object.keys(methodsOf(sdk, platform, mode === 'token' ? 'apiKey' : mode)).map((method) => [mode, method] as const),
  );
  it(`${RUNS} cases: typed outcomes without credentials, createApi included`, async () => {
    const property = fc.asyncProperty(fc.constantFrom(...choices), fc.array(answer, { minLength: 1, maxLength: 3 }), async ([mode, method], answers) => {
      tally.cases++;
      if (method.startsWith('createApi ')) tally.api++;
      const client = makeClient(platform, mode, fetchOf(answers), method === 'login');
      const run = methodsOf(sdk, platform, mode === 'token' ? 'apiKey' : mode)[method]!;
      let outcome: unknown;
      let ok: boolean;
      try {
        outcome = await run(client);
        ok = typed(method, outcome);
      } catch (error) {
        outcome = error;
        ok = error instanceof AuthwireError;
      }
      const label = `${platform} ${mode} ${method} ← ${JSON.stringify(answers).slice(0, 300)}`;
      if (!ok) tally.untyped.push(`${label}: ${String(outcome)}`);
      // What the server sends as data (a profile field echoing the token, createApi's answer) is the
      // caller's to have; what the SDK makes of a failure is not.
      const failure = outcome instanceof Error ? outcome : method === 'logout' ? (outcome as { error?: unknown }).error : undefined;
      const leaks = failure === undefined ? [] : leaksOf(label, rendered(failure), secretsOf());
      tally.leaks.push(...leaks);
    });
    // Every case runs (no stop at the first failure), so the run reports all untyped outcomes and leaks.
    const before = { untyped: tally.untyped.length, leaks: tally.leaks.length };
    await fc.assert(property, { numRuns: RUNS, seed });
    expect(tally.untyped.slice(before.untyped), `seed ${seed}`).toEqual([]);
    expect(tally.leaks.slice(before.leaks), `seed ${seed}`).toEqual([]);
  }, 300_000);

  it('statuses 0–999 with odd reason phrases and header values: createApi each, profile every third', async () => {
    const before = { untyped: tally.untyped.length, leaks: tally.leaks.length };
    const mode = FUZZ_MODES[platform].includes('token') ? 'token' : 'apiKey';
    for (let code = 0; code <= 999; code++) {
      const odd: Answer = { status: code, statusText: `S\u00e9 \u2713\x01 ${ECHO}`, headers: [['x-request-id', `r\x01\x7f ${ECHO}`], ['warning', '\x1b[2J']], body: `{"message":"${ECHO}"}` };
      const calls: [string, (c: Record<string, (...a: unknown[]) => Promise<unknown>>) => Promise<unknown>][] = [
        ['createApi GET', (c) => (createApi(c as never) as unknown as { GET: (p: string) => Promise<unknown> }).GET(API_PATHS[platform].get)],
      ];
      if (code % 3 === 0) calls.push(['profile', (c) => c.profile!()]);
      for (const [method, run] of calls) {
        tally.cases++;
        if (method === 'createApi GET') tally.api++;
        const client = makeClient(platform, mode, fetchOf([odd]), false);
        const outcome = await run(client).then(
          (v) => ({ ok: typed(method, v), value: v }),
          (e: unknown) => ({ ok: e instanceof AuthwireError, value: e }),
        );
        const label = `${platform} ${method} ← status ${code}`;
        if (!outcome.ok) tally.untyped.push(`${label}: ${String(outcome.value)}`);
        if (outcome.value instanceof Error) tally.leaks.push(...leaksOf(label, rendered(outcome.value), secretsOf()));
      }
    }
    expect(tally.untyped.slice(before.untyped)).toEqual([]);
    expect(tally.leaks.slice(before.leaks)).toEqual([]);
  }, 300_000);
});

describe('statuses on a raw socket (every tenth of 0–999): createApi and profile', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld('coco');
  });
  afterAll(() => world.close());
  it('each status is typed data or an AuthwireError', async () => {
    const jobs: (() => Promise<void>)[] = [];
    for (let code = 0; code <= 999; code += 10)
      jobs.push(async () => {
        const id = `status-${code}`;
        world.cases.set(id, (_r, socket) => {
          const body = '{"_id":"u","name":"n","email":"e@x","roles":[]}';
          socket.end(`HTTP/1.1 ${String(code).padStart(3, '0')} S\u00e9\x01\r\ncontent-type: application/json\r\nx-request-id: r\x01\x7f\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`, 'latin1');
        });
        const client = coco({ baseUrl: world.baseUrl, apiKey: COCO_KEY, headers: { 'x-case': id }, maxRetries: 0, timeout: 5000 });
        const calls = [['createApi GET', () => createApi(client).GET(API_PATHS.coco.get as '/account/profile')]] as [string, () => Promise<unknown>][];
        calls.push(['profile', () => client.profile()]);
        for (const [method, run] of calls) {
          tally.cases++;
          if (method === 'createApi GET') tally.api++;
          const outcome = await run().then(
            (v) => (typed(method, v) ? undefined : v),
            (e: unknown) => (e instanceof AuthwireError ? undefined : e),
          );
          if (outcome !== undefined) tally.untyped.push(`status ${code} ${method}: ${String(outcome)}`);
        }
        world.cases.delete(id);
      });
    let next = 0;
    await Promise.all(Array.from({ length: 16 }, async () => {
      while (next < jobs.length) await jobs[next++]!();
    }));
    expect(tally.untyped).toEqual([]);
  }, 300_000);
});

afterAll(() => {
  console.log(
    `fuzz: ${tally.cases} cases (${tally.api} createApi) in ${((performance.now() - started) / 1000).toFixed(1)} s, seed ${seed}; untyped outcomes ${tally.untyped.length}, leaks ${tally.leaks.length}`,
  );
});
