// The three platforms behind raw loopback servers (test/support/raw-server.ts), with every way a
// client holds a credential, for tests that make the server misbehave on purpose. Works with the
// source or the built package: the SDK is passed in.
import { createHash } from 'node:crypto';
import { credentialForms } from './exposure.js';
import { startRawServer, type Behaviour, type RawRequest, type RawServer } from './raw-server.js';
import { LOGIN_NAMES, seededApostrophe, seededCoco, seededLowcoder } from './seeded-mocks.js';

/** What the tests need of the SDK (`src/node.js` + `src/api.js`, or `dist/node.js` + `dist/api.js`). */
export interface Sdk {
  lowcoder: (options: never) => unknown;
  apostrophe: (options: never) => unknown;
  coco: (options: never) => unknown;
  createApi: (client: never) => unknown;
  AuthwireError: abstract new (...args: never[]) => Error;
}

// Secrets with characters that every encoding changes; header credentials stay printable ASCII.
export const PASSWORD = 'pw HOSTILE +/&=@é~(!)-5f1c';
export const APOS_KEY = 'aposkey-HOSTILE+/&=@~(!)-77d2';
/** Apostrophe's query key may hold a space: it never travels in a header. */
export const APOS_QUERY_KEY = 'aposqkey HOSTILE (!)~+&=-18e4';
export const COCO_KEY = 'cocokey-HOSTILE+/&=@~(!)-a9b3';

export type Platform = 'lowcoder' | 'apostrophe' | 'coco';
export type Mode = 'cookie' | 'bearer' | 'apiKey' | 'apiKeyQuery';

export interface World {
  platform: Platform;
  server: RawServer;
  baseUrl: string;
  /** Behaviours by case id (the `x-case` header every client of a case sends). */
  cases: Map<string, Behaviour>;
  /** Every credential in play: the fixed ones and whatever the mock issued so far (tokens, session cookies). */
  secrets(): string[];
  /** Lowcoder: an API key created through the mock. */
  lowcoderKey?: string;
  close(): Promise<void>;
}

export const USERS = {
  lowcoder: { ...LOGIN_NAMES.lowcoder, password: PASSWORD },
  apostrophe: { ...LOGIN_NAMES.apostrophe, password: PASSWORD },
  coco: { ...LOGIN_NAMES.coco, password: PASSWORD },
} as const;

export const MODES: Record<Platform, Mode[]> = {
  lowcoder: ['cookie', 'apiKey'],
  apostrophe: ['bearer', 'cookie', 'apiKey', 'apiKeyQuery'],
  coco: ['bearer', 'cookie', 'apiKey'],
};

/** A path of each platform for `createApi` GET and POST calls. */
export const API_PATHS: Record<Platform, { get: string; post: string; body: unknown }> = {
  lowcoder: { get: '/api/users/me', post: '/api/auth/api-key', body: { name: 'hostile' } },
  apostrophe: { get: '/api/v1/@apostrophecms/login/whoami', post: '/api/v1/@apostrophecms/login/logout', body: {} },
  coco: { get: '/account/profile', post: '/auth/access_token', body: { name: 'hostile' } },
};

/** Cookie values the mock set that are credentials: not `deleted`, `csrf` or `true`. */
const sessionCookies = (server: RawServer) => [...server.issued].filter((v) => v.length > 8);

const route = (cases: Map<string, Behaviour>) => (request: RawRequest) => cases.get(request.headers['x-case'] ?? '');

/** Failed logins before Apostrophe locks the account: none in practice, the suites sign in over and over. */
const NO_LOCKOUT = 1_000_000;

export async function startWorld(platform: Platform): Promise<World> {
  const cases = new Map<string, Behaviour>();
  const seeded =
    platform === 'lowcoder'
      ? seededLowcoder(PASSWORD)
      : platform === 'apostrophe'
        ? seededApostrophe(PASSWORD, [APOS_KEY, APOS_QUERY_KEY], NO_LOCKOUT)
        : seededCoco(PASSWORD, COCO_KEY);
  // Apostrophe's API keys are configuration, never in the mock's state.
  const configured = platform === 'apostrophe' ? [APOS_KEY, APOS_QUERY_KEY] : [];
  const server = await startRawServer(route(cases), (r) => seeded.mock.handle(r));
  const world: World = {
    platform,
    server,
    baseUrl: server.origin,
    cases,
    secrets: () => [
      PASSWORD,
      ...configured,
      ...(world.lowcoderKey ? [world.lowcoderKey] : []),
      ...sessionCookies(server),
      ...seeded.issued(),
    ],
    close: () => server.close(),
  };
  return world;
}

type AnyClient = Record<string, (...args: unknown[]) => Promise<unknown>>;

export interface CaseClient {
  client: AnyClient;
  /** Signs in (modes that log in); handed-in credentials need nothing. */
  ready(): Promise<void>;
}

/** A client of `mode` on `world`, sending `x-case: id` on every request. */
export function clientFor(sdk: Sdk, world: World, mode: Mode, id: string, extra: Record<string, unknown> = {}): CaseClient {
  const options: Record<string, unknown> = { baseUrl: world.baseUrl, headers: { 'x-case': id }, maxRetries: 0, timeout: 2000, ...extra };
  const { platform } = world;
  if (mode === 'cookie' && platform !== 'lowcoder') options.mode = 'cookie';
  if (mode === 'apiKey')
    options.apiKey = platform === 'lowcoder' ? world.lowcoderKey : platform === 'apostrophe' ? APOS_KEY : COCO_KEY;
  if (mode === 'apiKeyQuery') Object.assign(options, { apiKey: APOS_QUERY_KEY, apiKeyIn: 'query' });
  const client = (sdk[platform] as (o: unknown) => AnyClient)(options);
  const logsIn = mode === 'cookie' || mode === 'bearer';
  return {
    client,
    ready: async () => {
      if (logsIn) await client.login!(USERS[platform]);
    },
  };
}

/** Lowcoder's API key, created once through the mock. */
export async function createLowcoderKey(sdk: Sdk, world: World) {
  const owner = (sdk.lowcoder as (o: unknown) => AnyClient)({ baseUrl: world.baseUrl, maxRetries: 0 });
  await owner.login!(USERS.lowcoder);
  world.lowcoderKey = ((await owner.createApiKey!({ name: 'hostile' })) as { token: string }).token;
}

/** The methods of a platform, each a call on a ready client; `login` on a fresh one. */
export function methodsOf(sdk: Sdk, platform: Platform, mode: Mode): Record<string, (c: AnyClient) => Promise<unknown>> {
  const api = API_PATHS[platform];
  const methods: Record<string, (c: AnyClient) => Promise<unknown>> = {
    profile: (c) => c.profile!(),
    logout: (c) => c.logout!(),
    'createApi GET': (c) => (sdk.createApi(c as never) as { GET: (p: string) => Promise<unknown> }).GET(api.get),
    'createApi POST': (c) => (sdk.createApi(c as never) as { POST: (p: string, o: unknown) => Promise<unknown> }).POST(api.post, { body: api.body }),
  };
  if (mode === 'cookie' || mode === 'bearer') methods.login = (c) => c.login!(USERS[platform]);
  if (platform === 'lowcoder') {
    methods.createApiKey = (c) => c.createApiKey!({ name: 'n' });
    methods.listApiKeys = (c) => c.listApiKeys!();
    methods.deleteApiKey = (c) => c.deleteApiKey!('k1');
  }
  if (platform === 'coco') {
    methods.createApiKey = (c) => c.createApiKey!({ name: 'n' });
    methods.listApiKeys = (c) => c.listApiKeys!();
    methods.renameApiKey = (c) => c.renameApiKey!('t1', 'renamed');
    methods.deleteApiKey = (c) => c.deleteApiKey!('t1');
  }
  return methods;
}

/** The credential headers, query and login password of a request, raw, as a proxy would reflect them. */
export function credentialsOf(request: RawRequest): string[] {
  const found = [request.headers.authorization, request.headers['x-api-token'], request.headers.cookie];
  found.push(new URL(request.target, 'http://x').searchParams.get('apikey') ?? undefined);
  try {
    const body = JSON.parse(request.body.toString('utf8')) as { password?: unknown };
    if (typeof body.password === 'string') found.push(body.password);
  } catch {
    // Not JSON: no password in it.
  }
  return found.filter((v): v is string => !!v);
}

/** The secrets of `secrets` that `request` carried, in any form. */
export const secretsIn = (request: RawRequest, secrets: string[]) =>
  secrets.filter((s) => s.length > 3 && credentialForms(s).some((form) => request.text.includes(form)));

/** A short stable id for a case. */
export const caseId = (...parts: string[]) => createHash('sha1').update(parts.join('\0')).digest('hex').slice(0, 12);
