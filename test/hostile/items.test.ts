// Issue 11, items 1–10: one focused test each, through the public API (source), on real loopback
// sockets where a server is involved. Each failed on 3152f2b (see the report of issue 11).
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthwireError, ConfigurationError, apostrophe, coco, lowcoder, memoryStore } from '../../src/node.js';
import { createApi } from '../../src/api.js';
import { credentialForms, leaksOf, rendered } from '../support/exposure.js';
import {
  API_PATHS,
  MODES,
  USERS,
  caseId,
  clientFor,
  createLowcoderKey,
  credentialsOf,
  secretsIn,
  startWorld,
  type Platform,
  type Sdk,
  type World,
} from '../support/hostile-worlds.js';
import { writeResponse, type RawRequest } from '../support/raw-server.js';

const sdk: Sdk = { lowcoder, apostrophe, coco, createApi, AuthwireError } as unknown as Sdk;
const PLATFORMS: Platform[] = ['lowcoder', 'apostrophe', 'coco'];
const worlds = {} as Record<Platform, World>;

beforeAll(async () => {
  for (const platform of PLATFORMS) worlds[platform] = await startWorld(platform);
  await createLowcoderKey(sdk, worlds.lowcoder);
});
afterAll(async () => {
  await Promise.all(Object.values(worlds).map((w) => w.close()));
});

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

/**
 * What a reflecting proxy puts in one header: the credential headers, query key and password raw, and
 * every secret the request carried in every form (Latin-1 bytes, as proxies reflect them).
 */
const reflection = (request: RawRequest, world: World) =>
  [...credentialsOf(request), ...secretsIn(request, world.secrets()).flatMap((s) => credentialForms(s))].join(' ');

/** A raw answer with `x-request-id` holding `id` (written as Latin-1 bytes, which fetch reads back as the same string). */
const withRequestId = (status: number, id: string, body: string) =>
  Buffer.concat([
    Buffer.from(`HTTP/1.1 ${status} X\r\nx-request-id: ${id}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n`, 'latin1'),
    Buffer.from(body),
  ]);

/** Each rendering of an error a user may log, by name. */
const renderings = (error: unknown): Record<string, string> => {
  const e = error as AuthwireError;
  return {
    requestId: String(e.requestId),
    'toJSON()': JSON.stringify(e.toJSON()),
    'JSON.stringify': JSON.stringify(e),
    'util.inspect': inspect(e, { depth: 10 }),
    'String(err)': String(e),
    everything: rendered(e),
  };
};

describe('1. secrets reflected into x-request-id never reach the error', () => {
  type Run = (c: Record<string, (...a: unknown[]) => Promise<unknown>>) => Promise<unknown>;
  const steps = (platform: Platform, mode: string): [string, boolean, Run][] => [
    ['profile', true, (c) => c.profile!()],
    ['createApi GET, body not JSON', true, (c) => (createApi(c as never) as unknown as { GET: (p: string) => Promise<unknown> }).GET(API_PATHS[platform].get)],
    ['createApi GET redirected', true, (c) => (createApi(c as never) as unknown as { GET: (p: string) => Promise<unknown> }).GET(API_PATHS[platform].get)],
    ...(mode === 'cookie' || mode === 'bearer' ? [['login', false, (c: Parameters<Run>[0]) => c.login!(USERS[platform])] as [string, boolean, Run]] : []),
  ];
  for (const platform of PLATFORMS)
    for (const mode of MODES[platform])
      for (const [label, signedIn, run] of steps(platform, mode))
        it(`${platform} ${mode}: ${label}`, async () => {
          const world = worlds[platform];
          const id = caseId('item1', platform, mode, label);
          const { client, ready } = clientFor(sdk, world, mode, id);
          if (signedIn) await ready();
          const reflected: string[] = [];
          // createApi returns error statuses as data; a body that is not JSON throws, and so does a redirect.
          const status = label === 'createApi GET, body not JSON' ? 200 : label === 'createApi GET redirected' ? 302 : 500;
          world.cases.set(id, (request, socket) => {
            reflected.push(...secretsIn(request, world.secrets()));
            socket.end(withRequestId(status, reflection(request, world), status === 200 ? 'not json' : '{"message":"down"}'));
          });
          const error = await run(client).then(
            () => undefined,
            (e: unknown) => e,
          );
          world.cases.delete(id);
          expect(reflected.length, 'the request carried a credential').toBeGreaterThan(0);
          expect(error).toBeInstanceOf(AuthwireError);
          expect((error as AuthwireError).requestId, 'the id arrived, scrubbed').toContain('[redacted]');
          const leaks = Object.entries(renderings(error)).flatMap(([where, text]) => leaksOf(where, text, world.secrets()));
          expect(leaks).toEqual([]);
        });
});

describe('2. user-info in baseUrl is refused', () => {
  it.each(PLATFORMS)('%s', (platform) => {
    for (const baseUrl of ['http://user:s3cr3t-userinfo@127.0.0.1:9', 'https://:s3cr3t-userinfo@example.com', 'https://user@example.com']) {
      let thrown: unknown;
      try {
        (sdk[platform] as (o: unknown) => unknown)({ baseUrl, apiKey: 'k-123456' });
      } catch (error) {
        thrown = error;
      }
      expect(thrown, baseUrl).toBeInstanceOf(ConfigurationError);
      expect(rendered(thrown)).not.toContain('s3cr3t-userinfo');
    }
  });
});

describe('3. Lowcoder userAuth.jwt is dropped', () => {
  it('from session().user, the store, events and profile()', async () => {
    const world = worlds.lowcoder;
    const JWT = 'oauth-access-token-HOSTILE-0b7c';
    const id = caseId('item3');
    const store = memoryStore();
    const values = new Map<string, string>();
    const watched = { ...store, set: (k: string, v: string) => (values.set(k, v), store.set(k, v)) };
    const { client } = clientFor(sdk, world, 'cookie', id, { store: watched });
    const events: unknown[] = [];
    for (const event of ['signedIn', 'refreshed', 'expired', 'signedOut'] as const) (client.on as (e: string, l: (s: unknown) => void) => void)(event, (s) => events.push(s));
    world.cases.set(id, async (request, socket) => {
      // The login goes to the mock; its check of the new session and profile() get the jwt.
      if (!request.target.startsWith('/api/users/currentUser')) return world.server.pass(request, socket);
      const body = (await (await world.server.answer(request)).json()) as { data: Record<string, unknown> };
      body.data.userAuth = { provider: 'GOOGLE', jwt: JWT, source: 'GOOGLE' };
      await writeResponse(socket, json(200, body));
    });
    const seen: unknown[] = [await client.login!(USERS.lowcoder)];
    seen.push(await client.profile!(), await client.session!(), [...values.values()], events);
    world.cases.delete(id);
    const text = seen.map(rendered).join('\n');
    expect(text).toContain('GOOGLE');
    expect(text).not.toContain(JWT);
  });
});

describe('4. the form-encoded ?apikey= form is scrubbed', () => {
  it('a key with a space, ( ) and ! echoed as the URL the server received', async () => {
    const world = worlds.apostrophe;
    const id = caseId('item4');
    const key = 'qkey with (parens) and !bang';
    const client = apostrophe({ baseUrl: world.baseUrl, apiKey: key, apiKeyIn: 'query', headers: { 'x-case': id }, maxRetries: 0 });
    let target = '';
    world.cases.set(id, async (request, socket) => {
      target = request.target;
      await writeResponse(socket, json(500, { name: 'error', message: `failed: ${request.target}` }));
    });
    const error = await client.profile().catch((e: unknown) => e);
    world.cases.delete(id);
    const form = new URLSearchParams({ apikey: key }).toString().slice('apikey='.length);
    expect(target).toContain(form);
    expect(error).toBeInstanceOf(AuthwireError);
    expect(rendered(error)).not.toContain(form);
    expect(leaksOf('error', rendered(error), [key])).toEqual([]);
  });
});

describe('5. a baseUrl with a query or fragment is refused', () => {
  it.each(PLATFORMS)('%s', (platform) => {
    for (const baseUrl of ['https://x.example/?tenant=1', 'https://x.example/#f', 'https://x.example/app?', 'https://x.example/app#'])
      expect(() => (sdk[platform] as (o: unknown) => unknown)({ baseUrl, apiKey: 'k-123456' }), baseUrl).toThrow(ConfigurationError);
  });
});

describe('6. key ids that retarget the path are refused before anything is sent', () => {
  const BAD = ['', '.', '..', 'a\nb', 'a\0b', 'a\x7fb', '\t'];
  it.each(['lowcoder', 'coco'] as const)('%s', async (platform) => {
    const world = worlds[platform];
    const { client, ready } = clientFor(sdk, world, 'apiKey', caseId('item6', platform));
    await ready();
    const before = world.server.requests.length;
    for (const bad of BAD) {
      await expect(client.deleteApiKey!(bad), `delete ${JSON.stringify(bad)}`).rejects.toBeInstanceOf(ConfigurationError);
      if (platform === 'coco') await expect(client.renameApiKey!(bad, 'x'), `rename ${JSON.stringify(bad)}`).rejects.toBeInstanceOf(ConfigurationError);
    }
    expect(world.server.requests.length).toBe(before);
  });
});

describe('7. numeric options are checked', () => {
  const BAD = [Infinity, -1, 1.5, Number.NaN, 2 ** 31, '5' as unknown as number];
  it.each(PLATFORMS)('%s: client options', (platform) => {
    for (const name of ['timeout', 'maxRetries', 'maxBodyBytes'])
      for (const value of [...BAD, ...(name === 'maxRetries' ? [11, 1000] : [])])
        expect(() => (sdk[platform] as (o: unknown) => unknown)({ baseUrl: 'https://x.example', apiKey: 'k-123456', [name]: value }), `${name}: ${value}`).toThrow(
          ConfigurationError,
        );
  });
  it.each(PLATFORMS)('%s: per call, nothing sent', async (platform) => {
    const world = worlds[platform];
    const { client, ready } = clientFor(sdk, world, 'apiKey', caseId('item7', platform));
    await ready();
    const before = world.server.requests.length;
    for (const name of ['timeout', 'maxRetries'])
      for (const value of BAD) await expect(client.profile!({ [name]: value }), `${name}: ${value}`).rejects.toBeInstanceOf(ConfigurationError);
    expect(world.server.requests.length).toBe(before);
  });
  it('control: an in-range maxRetries still retries (1 retry: two requests on a 503)', async () => {
    const world = worlds.coco;
    const id = caseId('item7-retries');
    const { client } = clientFor(sdk, world, 'apiKey', id, { maxRetries: 1 });
    let count = 0;
    world.cases.set(id, async (_request, socket) => {
      count++;
      await writeResponse(socket, json(503, { error: { reason: 'busy' } }, { 'retry-after': '0' }));
    });
    await expect(client.profile!()).rejects.toBeInstanceOf(AuthwireError);
    world.cases.delete(id);
    expect(count).toBe(2);
  });
});

describe('8. header values fetch cannot send are refused up front', () => {
  const BAD = ['key\r\nX-Evil: 1', 'key\nx', 'key\0x', 'ключ-12345'];
  it.each(PLATFORMS)('%s: API key, token, header options', async (platform) => {
    const world = worlds[platform];
    const before = world.server.requests.length;
    for (const bad of BAD) {
      const attempts: (() => Promise<unknown>)[] = [
        async () => (sdk[platform] as (o: unknown) => { profile(): Promise<unknown> })({ baseUrl: world.baseUrl, apiKey: bad }).profile(),
        async () => (sdk[platform] as (o: unknown) => unknown)({ baseUrl: world.baseUrl, apiKey: 'k-123456', headers: { 'x-extra': bad } }),
        async () =>
          (sdk[platform] as (o: unknown) => { profile(o: unknown): Promise<unknown> })({ baseUrl: world.baseUrl, apiKey: 'k-123456' }).profile({ headers: { 'x-extra': bad } }),
      ];
      if (platform !== 'lowcoder')
        attempts.push(async () => (sdk[platform] as (o: unknown) => { profile(): Promise<unknown> })({ baseUrl: world.baseUrl, token: bad }).profile());
      for (const attempt of attempts) await expect(attempt(), JSON.stringify(bad)).rejects.toBeInstanceOf(ConfigurationError);
    }
    // Nothing reached the server: refused up front, not after retried network errors (as on 3152f2b).
    expect(world.server.requests.length).toBe(before);
  });
});

describe('9. only literal loopback counts for plain http', () => {
  it.each(PLATFORMS)('%s', (platform) => {
    const make = (baseUrl: string) => (sdk[platform] as (o: unknown) => unknown)({ baseUrl, apiKey: 'k-123456' });
    for (const baseUrl of ['http://app.localhost:3000', 'http://localhost.evil.example', 'http://127.0.0.1.nip.io', 'http://x.localhost'])
      expect(() => make(baseUrl), baseUrl).toThrow(ConfigurationError);
    for (const baseUrl of ['http://localhost:3000', 'http://127.0.0.1:3000', 'http://127.5.6.7', 'http://[::1]:3000']) expect(() => make(baseUrl), baseUrl).not.toThrow();
  });
});

describe('10. a password of spaces is sent; only the empty one is refused', () => {
  it.each(PLATFORMS)('%s', async (platform) => {
    const world = worlds[platform];
    const id = caseId('item10', platform);
    const bodies: string[] = [];
    world.cases.set(id, (request, socket) => {
      bodies.push(request.body.toString('utf8'));
      socket.destroy();
    });
    const mode = platform === 'lowcoder' ? 'cookie' : 'bearer';
    const { client } = clientFor(sdk, world, mode, id);
    const spaces = { ...USERS[platform], password: '   ' };
    const outcome = await client.login!(spaces).catch((e: unknown) => e);
    expect(outcome).toBeInstanceOf(AuthwireError);
    expect(outcome).not.toBeInstanceOf(ConfigurationError);
    expect(bodies.join('\n')).toContain('"password":"   "');
    await expect(client.login!({ ...USERS[platform], password: '' })).rejects.toBeInstanceOf(ConfigurationError);
    world.cases.delete(id);
  });
});
