import { describe, expect, it } from 'vitest';
import { mockCoco, mockLowcoder } from '../../src/mocks/index.js';
import {
  ApiError,
  ConfigurationError,
  InvalidResponseError,
  apostrophe,
  coco,
  lowcoder,
} from '../../src/node.js';
import { createApi } from '../../src/api.js';
import { recording } from '../support/fetch.js';
import { useMsw } from '../support/msw.js';

// Created before msw starts listening: the client must look fetch up at call time to be intercepted.
const early = mockCoco();
const earlyClient = coco({ baseUrl: early.baseUrl });

const server = useMsw();
const ADMIN = { email: 'admin@example.com', password: 's3cret-Passw0rd!' };

describe('transport defaults', () => {
  it('looks fetch up at call time, so msw installed after the client still applies', async () => {
    server.use(...early.handlers);
    expect((await earlyClient.login(ADMIN)).signedIn).toBe(true);
  });
});

describe('credentials stay on the configured origin', () => {
  it.each(['http://cms.example.com', 'http://10.0.0.5:3000'])('refuses plain http to %s', (baseUrl) => {
    expect(() => lowcoder({ baseUrl })).toThrow(ConfigurationError);
    expect(() => coco({ baseUrl })).toThrow(/plain http/);
  });

  it.each(['http://localhost:3000', 'http://127.0.0.1:9000', 'http://[::1]:3000'])(
    'allows plain http on loopback %s',
    (baseUrl) => {
      expect(() => apostrophe({ baseUrl })).not.toThrow();
    },
  );

  it('counts names below .localhost as remote: they are resolved through DNS', () => {
    expect(() => apostrophe({ baseUrl: 'http://app.localhost' })).toThrow(/plain http/);
    expect(() => apostrophe({ baseUrl: 'http://127.0.0.1.nip.io' })).toThrow(/plain http/);
  });

  it('allows plain http elsewhere only when asked', () => {
    expect(() => coco({ baseUrl: 'http://coco.internal', allowInsecureHttp: true })).not.toThrow();
  });

  it('refuses a baseUrl that is not an absolute http(s) URL', () => {
    expect(() => coco({ baseUrl: 'coco.example.com' })).toThrow(ConfigurationError);
    expect(() => coco({ baseUrl: 'ftp://coco.example.com' })).toThrow(ConfigurationError);
  });

  it('sends no credential with an api call to another origin', async () => {
    const { sent, fetch } = recording(() => Response.json({}));
    const client = coco({ baseUrl: 'https://coco.test', apiKey: 'the-api-token', fetch, headers: { 'x-app': '1' } });
    await createApi(client).GET('/account/profile', { baseUrl: 'https://elsewhere.test' });
    await createApi(client).GET('/account/profile');
    expect(sent[0]!.url).toBe('https://elsewhere.test/account/profile');
    expect(sent[0]!.headers.get('x-api-token')).toBeNull();
    expect(sent[1]!.headers.get('x-api-token')).toBe('the-api-token');
  });

  it('never follows a redirect with the credential', async () => {
    const { sent, fetch } = recording(() => new Response(null, { status: 302, headers: { location: 'https://evil.test/' } }));
    const error = await coco({ baseUrl: 'https://coco.test', apiKey: 'the-api-token', fetch }).profile().catch((e) => e);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(sent).toHaveLength(1);
  });
});

describe('secrets stay out of errors and logs', () => {
  it('scrubs a password the server echoes, in message, stack and JSON', async () => {
    const password = 'Pa55-echo-me-9f3c';
    const { fetch } = recording(
      () => Response.json({ status: 500, error: { reason: `cannot parse ${password} and ${encodeURIComponent(password)}` } }, { status: 500 }),
    );
    const lines: string[] = [];
    const logger = { debug: (l: string) => lines.push(l), warn: (l: string) => lines.push(l) };
    const error = await coco({ baseUrl: 'https://coco.test', fetch, logger, maxRetries: 0 })
      .login({ email: 'a@b.c', password })
      .catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    for (const text of [error.message, error.stack, JSON.stringify(error), String(error), ...lines])
      expect(text).not.toContain(password);
    expect(error.message).toContain('[redacted]');
  });

  it('keeps the token out of session views and errors of a signed-in client', async () => {
    const mock = mockLowcoder();
    server.use(...mock.handlers);
    const owner = lowcoder({ baseUrl: mock.baseUrl });
    await owner.login({ email: 'ada@example.com', password: 's3cret-Passw0rd' });
    const key = await owner.createApiKey({ name: 'ci' });
    const bot = lowcoder({ baseUrl: mock.baseUrl, apiKey: key.token });
    await bot.profile();
    expect(JSON.stringify(await bot.session())).not.toContain(key.token);
    expect(JSON.stringify(await owner.session())).not.toMatch(/[0-9a-f]{32}/);
    expect(await bot.credential()).toBe(key.token);
  });

  it('serialises errors without cause or stack', async () => {
    const { fetch } = recording(() => {
      throw new TypeError('fetch failed: secret-host');
    });
    const error = await coco({ baseUrl: 'https://coco.test', fetch, maxRetries: 0 }).profile().catch((e) => e);
    expect(Object.keys(error.toJSON()).sort()).toEqual(['code', 'message', 'name', 'operation', 'platform', 'reason', 'requestId', 'retryAfter', 'status']);
    expect(error.cause).toBeInstanceOf(TypeError);
  });
});
