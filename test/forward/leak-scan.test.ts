// Leak scan of forwarded clients: the browser's cookies (the platform's session cookie and the
// cookies of other sites) and header credentials carry recognisable markers; everything a forwarded
// client returns, throws, logs, emits or reports to hooks is searched for them, also when the server
// or fetch echoes the request. Only `setCookies()` hands platform cookies back, by design.
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { mockApostrophe, mockCoco, mockLowcoder } from '../../src/mocks/index.js';
import { createApi } from '../../src/api.js';
import { apostrophe, coco, lowcoder, type AuthEvent, type ClientOptions, type Hooks } from '../../src/node.js';
import { HEADER_SAFE, encodings } from '../support/encodings.js';

const SESSION = `SESSION-marker${HEADER_SAFE}61c0`;
const FOREIGN = `FOREIGN-marker${HEADER_SAFE}0b7d`;
const TOKEN = `TOKEN-marker${HEADER_SAFE}93aa`;
const FOREIGN_COOKIE = `other-site.sid=${FOREIGN}`;
const EVENTS: AuthEvent[] = ['signedIn', 'signedOut', 'expired', 'refreshed'];

function exposed(value: unknown): string {
  const parts = [String(value), inspect(value, { depth: 10 })];
  try {
    parts.push(JSON.stringify(value) ?? '');
  } catch {
    parts.push('[unserialisable]');
  }
  for (let cause: unknown = value, depth = 0; cause instanceof Error && depth < 10; cause = cause.cause, depth++)
    parts.push(cause.message, cause.stack ?? '', JSON.stringify(cause) ?? '');
  return parts.join('\n');
}

/** A fetch in front of `mock` that records requests; `mode` makes it echo the request back in an error. */
function transport(mock: { handle(request: Request): Promise<Response> }) {
  const requests: Request[] = [];
  let mode: 'pass' | 'echo500' | 'echo401' | 'throw' = 'pass';
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    requests.push(request.clone());
    const echo = encodings(`${request.url} cookie=${request.headers.get('cookie')} auth=${request.headers.get('authorization')} token=${request.headers.get('x-api-token')}`).join(' | ');
    const body = { message: echo, error: { reason: echo }, name: echo, code: 500, success: false };
    if (mode === 'throw') throw new TypeError(`fetch failed: ${echo}`);
    if (mode === 'echo500') return Response.json(body, { status: 500, headers: { 'x-request-id': echo.slice(0, 200) } });
    if (mode === 'echo401') return Response.json({ ...body, code: 401 }, { status: 401 });
    return mock.handle(request);
  };
  return { fetch, requests, set: (next: typeof mode) => void (mode = next) };
}

/** Records what the SDK hands out; reports every marker (in any encoding) found in it. */
function scanner() {
  const seen: { label: string; text: string }[] = [];
  const record = (label: string, value: unknown) => void seen.push({ label, text: exposed(value) });
  const hooks: Hooks = {
    onError: (error, info) => record(`onError ${info.operation}`, error),
  };
  return {
    record,
    hooks,
    logger: { debug: (line: string) => record('logger.debug', line), warn: (line: string) => record('logger.warn', line) },
    async step(label: string, run: () => Promise<unknown>) {
      try {
        record(label, await run());
      } catch (error) {
        record(`${label} (thrown)`, error);
      }
    },
    leaks: (secrets: string[]) => seen.flatMap(({ label, text }) => secrets.filter((s) => encodings(s).some((f) => text.includes(f))).map((s) => `${s} in ${label}`)),
    get count() {
      return seen.length;
    },
  };
}

interface World {
  base: ClientOptions & { shortName?: string };
  t: ReturnType<typeof transport>;
  /** The browser's cookie header for the platform, holding SESSION. */
  cookie: string;
  /** The browser's header credential, holding TOKEN. */
  header: Record<string, string>;
  make: typeof lowcoder | typeof apostrophe | typeof coco;
}

async function lowcoderWorld(): Promise<World> {
  const mock = mockLowcoder();
  const t = transport(mock);
  mock.state.sessions.set(SESSION, { userId: [...mock.state.users.keys()][0]!, expiresAt: mock.clock.now() + 86_400_000 });
  return { base: { baseUrl: mock.baseUrl, fetch: t.fetch }, t, cookie: `LOWCODER_CE_SELFHOST_TOKEN=${SESSION}`, header: { authorization: `Bearer ${TOKEN}` }, make: lowcoder };
}

async function apostropheWorld(): Promise<World> {
  const mock = mockApostrophe();
  const t = transport(mock);
  mock.state.sessions.set(SESSION, { userId: [...mock.state.users.keys()][0]! });
  return {
    base: { baseUrl: mock.baseUrl, fetch: t.fetch, shortName: 'apos' },
    t,
    cookie: `apos.sid=s:${SESSION}.sig; apos.csrf=csrf`,
    header: { authorization: `Bearer ${TOKEN}` },
    make: apostrophe,
  };
}

async function cocoWorld(): Promise<World> {
  const mock = mockCoco();
  const t = transport(mock);
  const owner = coco({ baseUrl: mock.baseUrl, fetch: t.fetch });
  await owner.login({ email: 'admin@example.com', password: 's3cret-Passw0rd!' });
  mock.state.sessions.set(SESSION, (await owner.credential())!);
  return { base: { baseUrl: mock.baseUrl, fetch: t.fetch }, t, cookie: `${mock.state.cookieName}=${SESSION}`, header: { 'x-api-token': TOKEN }, make: coco };
}

const WORLDS = { lowcoder: lowcoderWorld, apostrophe: apostropheWorld, coco: cocoWorld };

describe.each(Object.keys(WORLDS) as (keyof typeof WORLDS)[])('%s forwarded clients', (name) => {
  it('no forwarded cookie or header credential in results, errors, logs, events or hooks; none of the other cookies on the wire', async () => {
    const world = await WORLDS[name]();
    const scan = scanner();
    const client = (world.make as typeof coco)({ ...world.base, maxRetries: 0, logger: scan.logger, hooks: scan.hooks } as never);
    const flows: [string, Record<string, string>][] = [
      ['cookie', { cookie: `${FOREIGN_COOKIE}; ${world.cookie}` }],
      ['header', { ...world.header, cookie: `${FOREIGN_COOKIE}; ${world.cookie}` }],
    ];
    for (const [label, headers] of flows) {
      const forwarded = client.forRequest(new Headers(headers));
      for (const event of EVENTS) forwarded.on(event, (session) => scan.record(`${label} event ${event}`, session));
      scan.record(`${label} the forwarded client`, forwarded);
      if (label === 'cookie') await scan.step(`${label} profile`, () => forwarded.profile());
      await scan.step(`${label} session`, () => forwarded.session());
      for (const mode of ['echo500', 'throw', 'echo401'] as const) {
        world.t.set(mode);
        await scan.step(`${label} profile ${mode}`, () => forwarded.profile());
        await scan.step(`${label} api ${mode}`, async () => (await createApi(forwarded as never).GET('/nowhere' as never)).response.status);
        await scan.step(`${label} logout ${mode}`, () => forwarded.logout());
      }
      world.t.set('pass');
      await scan.step(`${label} after logout`, () => forwarded.profile());
    }
    const none = client.forRequest({ cookie: FOREIGN_COOKIE });
    await scan.step('not forwarded', () => none.profile());
    await scan.step('not forwarded logout', () => none.logout());

    expect(scan.count).toBeGreaterThan(20);
    expect(scan.leaks([SESSION, FOREIGN, TOKEN])).toEqual([]);
    // The other site's cookie never reached the platform; the forwarded ones did.
    const wire = world.t.requests.map((r) => `${r.headers.get('cookie')} ${r.headers.get('authorization')} ${r.headers.get('x-api-token')}`).join('\n');
    expect(wire).not.toContain(FOREIGN);
    expect(wire).toContain(SESSION);
    expect(wire).toContain(TOKEN);
  });
});
