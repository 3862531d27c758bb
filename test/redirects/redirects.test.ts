// Redirects on real sockets: each platform's emulator (node:http on 127.0.0.1) answers with a 302 or
// 307 pointing at a second loopback server, the trap, on another port (another origin). The trap
// records every request that reaches it and which credentials it carried (Cookie, Authorization,
// X-API-TOKEN, an `apikey` query, the password of a login body). The SDK must follow none: fetch
// would forward X-API-TOKEN, Cookie and (307) the login body to wherever the redirect points. Every
// mode is covered — cookie, bearer, API key (header and query) — through the high-level methods and
// `createApi(client)`. A recording fetch also checks that every request the SDK makes says
// `redirect: 'manual'`, and a control run shows the trap does see credentials when a plain fetch
// follows the same redirect.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, type Emulator } from '../../src/emulators/index.js';
import { mockApostrophe, mockCoco, mockLowcoder, type PlatformMock } from '../../src/mocks/index.js';
import { AuthwireError, InvalidResponseError, apostrophe, coco, lowcoder } from '../../src/node.js';
import { createApi } from '../../src/api.js';

const PASSWORD = { lowcoder: 's3cret-Passw0rd', apostrophe: 's3cret-Passw0rd', coco: 's3cret-Passw0rd!' };
const APOSTROPHE_KEY = 'redirect-test-key-5b7e';

/** A request that reached the trap, with the credentials it carried. */
interface Caught {
  method: string;
  url: string;
  credentials: string[];
}

interface Trap {
  origin: string;
  caught: Caught[];
  close(): Promise<void>;
}

const readBody = async (req: IncomingMessage) => {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return text;
};

/** The second server: answers 200 `{}` to anything and notes what credentials arrived. */
async function startTrap(): Promise<Trap> {
  const caught: Caught[] = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://trap');
    const body = await readBody(req);
    const credentials = [
      ...(['cookie', 'authorization', 'x-api-token'] as const).filter((h) => req.headers[h]).map((h) => `${h}: ${req.headers[h]}`),
      ...(url.searchParams.has('apikey') ? [`apikey=${url.searchParams.get('apikey')}`] : []),
      ...(Object.values(PASSWORD).some((p) => body.includes(p)) ? [`password in body ${body}`] : []),
    ];
    caught.push({ method: req.method ?? 'GET', url: req.url ?? '/', credentials });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    caught,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A platform emulator that, while `redirect.status` is set, answers every request with a redirect to the trap. */
interface Site {
  emulator: Emulator;
  redirect: { status?: number | undefined };
  /** Requests the emulator itself answered, with whether they carried any credential. */
  credentialed: number;
}

async function startSite(mock: PlatformMock<unknown>, trap: Trap): Promise<Site> {
  const site = { redirect: {}, credentialed: 0 } as Site;
  const extra = (req: IncomingMessage, res: ServerResponse) => {
    if (req.headers.cookie || req.headers.authorization || req.headers['x-api-token'] || /[?&]apikey=/.test(req.url ?? '')) site.credentialed++;
    if (site.redirect.status === undefined) return false;
    // The request URL (query included) travels along, as many real redirects do.
    res.writeHead(site.redirect.status, { location: `${trap.origin}/landing${req.url ?? '/'}` }).end();
    return true;
  };
  site.emulator = await serve(mock, { extra });
  return site;
}

/** A fetch for the SDK that records the init of every request. */
function recordingFetch() {
  const inits: RequestInit[] = [];
  const fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
    inits.push(init ?? {});
    return globalThis.fetch(input, init);
  }) as typeof globalThis.fetch;
  return { inits, fetch };
}

/** One step under a redirect: a high-level method (must throw an AuthwireError or report one) or an `api` call. */
type Step = [label: string, kind: 'method' | 'api', run: () => Promise<unknown>];

interface Setup {
  label: string;
  /** Gets the client to where it holds its credential; returns the steps to run under a redirect. */
  prepare(fetch: typeof globalThis.fetch): Promise<Step[]>;
}

let trap: Trap;
const sites: Record<'lowcoder' | 'apostrophe' | 'coco', Site> = {} as never;

beforeAll(async () => {
  trap = await startTrap();
  sites.lowcoder = await startSite(mockLowcoder() as PlatformMock<unknown>, trap);
  sites.apostrophe = await startSite(mockApostrophe({ apiKeys: { [APOSTROPHE_KEY]: { role: 'admin' } } }) as PlatformMock<unknown>, trap);
  sites.coco = await startSite(mockCoco() as PlatformMock<unknown>, trap);
});

afterAll(async () => {
  await Promise.all([trap?.close(), ...Object.values(sites).map((s) => s.emulator?.close())]);
});

const common = (platform: keyof typeof sites, fetch: typeof globalThis.fetch) => ({
  baseUrl: sites[platform].emulator.url,
  fetch,
  maxRetries: 0,
  timeout: 5000,
});

const LOWCODER_USER = { email: 'ada@example.com', password: PASSWORD.lowcoder };
const COCO_USER = { email: 'admin@example.com', password: PASSWORD.coco };
const APOSTROPHE_USER = { username: 'admin', password: PASSWORD.apostrophe };

const SETUPS: Record<keyof typeof sites, Setup[]> = {
  lowcoder: [
    {
      label: 'cookie session',
      async prepare(fetch) {
        const c = lowcoder(common('lowcoder', fetch));
        await c.login(LOWCODER_USER);
        return [
          ['profile', 'method', () => c.profile()],
          ['listApiKeys', 'method', () => c.listApiKeys()],
          ['createApiKey', 'method', () => c.createApiKey({ name: 'redirected' })],
          ['deleteApiKey', 'method', () => c.deleteApiKey('k1')],
          ['api GET /api/users/me', 'api', () => createApi(c).GET('/api/users/me')],
          ['logout', 'method', () => c.logout()],
          ['login', 'method', () => c.login(LOWCODER_USER)],
        ];
      },
    },
    {
      label: 'API key',
      async prepare(fetch) {
        const owner = lowcoder(common('lowcoder', fetch));
        await owner.login(LOWCODER_USER);
        const key = await owner.createApiKey({ name: 'redirect-test' });
        const c = lowcoder({ ...common('lowcoder', fetch), apiKey: key.token });
        return [
          ['profile', 'method', () => c.profile()],
          ['listApiKeys', 'method', () => c.listApiKeys()],
          ['api GET /api/users/me', 'api', () => createApi(c).GET('/api/users/me')],
        ];
      },
    },
  ],
  apostrophe: [
    ...(['bearer', 'cookie'] as const).map(
      (mode): Setup => ({
        label: `${mode} session`,
        async prepare(fetch) {
          const c = apostrophe({ ...common('apostrophe', fetch), mode });
          await c.login(APOSTROPHE_USER);
          return [
            ['profile', 'method', () => c.profile()],
            ['api GET whoami', 'api', () => createApi(c).GET('/api/v1/@apostrophecms/login/whoami')],
            ['logout', 'method', () => c.logout()],
            ['login', 'method', () => c.login(APOSTROPHE_USER)],
          ];
        },
      }),
    ),
    ...(['header', 'query'] as const).map(
      (apiKeyIn): Setup => ({
        label: `API key (${apiKeyIn})`,
        async prepare(fetch) {
          const c = apostrophe({ ...common('apostrophe', fetch), apiKey: APOSTROPHE_KEY, apiKeyIn });
          return [
            ['profile', 'method', () => c.profile()],
            ['api GET whoami', 'api', () => createApi(c).GET('/api/v1/@apostrophecms/login/whoami')],
          ];
        },
      }),
    ),
  ],
  coco: [
    ...(['bearer', 'cookie'] as const).map(
      (mode): Setup => ({
        label: `${mode} session`,
        async prepare(fetch) {
          const c = coco({ ...common('coco', fetch), mode });
          await c.login(COCO_USER);
          return [
            ['profile', 'method', () => c.profile()],
            ['listApiKeys', 'method', () => c.listApiKeys()],
            ['createApiKey', 'method', () => c.createApiKey({ name: 'redirected' })],
            ['renameApiKey', 'method', () => c.renameApiKey('k1', 'renamed')],
            ['deleteApiKey', 'method', () => c.deleteApiKey('k1')],
            ['api GET /account/profile', 'api', () => createApi(c).GET('/account/profile')],
            ['logout', 'method', () => c.logout()],
            ['login', 'method', () => c.login(COCO_USER)],
          ];
        },
      }),
    ),
    {
      label: 'API key',
      async prepare(fetch) {
        const owner = coco(common('coco', fetch));
        await owner.login(COCO_USER);
        const key = await owner.createApiKey({ name: 'redirect-test' });
        const c = coco({ ...common('coco', fetch), apiKey: key.token });
        return [
          ['profile', 'method', () => c.profile()],
          ['listApiKeys', 'method', () => c.listApiKeys()],
          ['api GET /account/profile', 'api', () => createApi(c).GET('/account/profile')],
        ];
      },
    },
  ],
};

/** What a step produced, in one comparable word. */
async function outcome(kind: Step[1], run: Step[2]): Promise<string> {
  try {
    const value = (await run()) as { response?: Response; error?: unknown } | undefined;
    if (kind === 'api') return `api status ${value?.response?.status}`;
    // logout() resolves even when the server call fails, with the error inside.
    return value && 'serverRevoked' in value && value.error instanceof AuthwireError ? `reported ${value.error.name}` : 'resolved';
  } catch (error) {
    return error instanceof AuthwireError ? `threw ${error.name}` : `threw a raw ${String(error)}`;
  }
}

describe.each(Object.keys(SETUPS) as (keyof typeof sites)[])('%s: redirects are never followed', (platform) => {
  for (const setup of SETUPS[platform])
    it.each([302, 307])(`${setup.label}: a %i to another loopback origin reaches it with nothing`, async (status) => {
      const site = sites[platform];
      const { inits, fetch } = recordingFetch();
      site.redirect.status = undefined;
      const steps = await setup.prepare(fetch);
      const before = site.credentialed;
      trap.caught.length = 0;
      site.redirect.status = status;
      const results: string[] = [];
      try {
        for (const [label, kind, run] of steps) results.push(`${label}: ${await outcome(kind, run)}`);
      } finally {
        site.redirect.status = undefined;
      }
      // The credential did travel to the platform's own origin: the trap is the only thing that could not see it.
      expect(site.credentialed, 'no step sent a credential to the platform').toBeGreaterThan(before);
      expect(trap.caught, 'requests that followed the redirect').toEqual([]);
      // Each step saw the redirect itself: a typed error from methods, the 3xx from `api`.
      for (const line of results) expect(line).toMatch(new RegExp(`: (threw|reported) ${InvalidResponseError.name}$|: api status ${status}$`));
      expect(inits.length).toBeGreaterThanOrEqual(steps.length);
      expect(inits.map((init) => init.redirect)).toEqual(inits.map(() => 'manual'));
    });
});

describe('the trap can see credentials', () => {
  it('a fetch that follows the redirect delivers X-API-TOKEN and the login body to it', async () => {
    const site = sites.coco;
    site.redirect.status = 307;
    trap.caught.length = 0;
    try {
      await fetch(`${site.emulator.url}/account/login`, {
        method: 'POST',
        headers: { 'x-api-token': 'control-token', 'content-type': 'application/json' },
        body: JSON.stringify(COCO_USER),
      });
    } finally {
      site.redirect.status = undefined;
    }
    expect(trap.caught).toHaveLength(1);
    expect(trap.caught[0]!.credentials).toEqual(['x-api-token: control-token', expect.stringMatching(/^password in body/)]);
  });
});
