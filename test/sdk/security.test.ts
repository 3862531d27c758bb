import { describe, expect, it } from 'vitest';
import { mockCoco, mockLowcoder } from '../../src/mocks/index.js';
import {
  ApiError,
  ConfigurationError,
  InvalidResponseError,
  NetworkError,
  apostrophe,
  coco,
  lowcoder,
} from '../../src/node.js';
import { createApi } from '../../src/api.js';
import { scrub } from '../../src/client/redact.js';
import { ENCODED, HEADER_SAFE, encodings, formEncode } from '../support/encodings.js';
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
    // This fetch never follows anything: what stops a real one is the request's redirect mode (see test/redirects).
    expect(sent[0]!.redirect).toBe('manual');
  });
});

describe('secrets stay out of errors and logs', () => {
  it('scrubs a password the server echoes raw, percent-encoded and form-encoded, in message, stack and JSON', async () => {
    const password = `Pa55 echo${ENCODED}9f3c`;
    const forms = encodings(password);
    // Three distinct forms, or the test could not tell a missing one.
    expect(forms).toHaveLength(3);
    const { fetch } = recording(
      () => Response.json({ status: 500, error: { reason: `cannot parse ${forms.join(' and ')}` } }, { status: 500 }),
    );
    const lines: string[] = [];
    const logger = { debug: (l: string) => lines.push(l), warn: (l: string) => lines.push(l) };
    const error = await coco({ baseUrl: 'https://coco.test', fetch, logger, maxRetries: 0 })
      .login({ email: 'a@b.c', password })
      .catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    for (const text of [error.message, error.stack, JSON.stringify(error), String(error), ...lines])
      for (const form of forms) expect(text).not.toContain(form);
    expect(error.message).toBe('cannot parse [redacted] and [redacted] and [redacted]');
  });

  it('scrubs an API key that the query string carried form-encoded, when a fetch error quotes the URL', async () => {
    // `apiKeyIn: 'query'` puts the key in the URL through URLSearchParams: `~ ( ! )` become %7E %28 %21 %29.
    const key = `key${HEADER_SAFE}77d1`;
    const { sent, fetch } = recording((request) => {
      throw new TypeError(`fetch failed: ${request.url}`);
    });
    const error = await apostrophe({ baseUrl: 'https://cms.test', apiKey: key, apiKeyIn: 'query', fetch, maxRetries: 0 })
      .profile()
      .catch((e) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect(sent[0]!.url).toContain(`apikey=${formEncode(key)}`);
    for (let cause: unknown = error; cause instanceof Error; cause = cause.cause)
      for (const form of encodings(key)) expect(`${cause.message}\n${cause.stack}`).not.toContain(form);
  });

  it('scrubs a session cookie the failing answer itself sets and echoes (cookie mode, kept by the jar)', async () => {
    const cookie = `sess${HEADER_SAFE}c00k`;
    const { fetch } = recording(
      () =>
        new Response(JSON.stringify({ code: 5000, success: false, message: `session ${formEncode(cookie)} / ${cookie} not ready` }), {
          status: 200,
          headers: { 'content-type': 'application/json', 'set-cookie': `LOWCODER_CE_SELFHOST_TOKEN=${cookie}; Path=/; HttpOnly` },
        }),
    );
    const error = await lowcoder({ baseUrl: 'https://lc.test', fetch, maxRetries: 0 })
      .login({ email: 'a@b.c', password: 'pw-123456' })
      .catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    for (const form of encodings(cookie)) expect(`${error.message}\n${error.stack}`).not.toContain(form);
    expect(error.message).toBe('session [redacted] / [redacted] not ready');
  });

  it('scrubs a cookie set by a failing bearer login, which no jar keeps', async () => {
    const cookie = `infini${HEADER_SAFE}5e55`;
    const { fetch } = recording(
      () =>
        new Response(JSON.stringify({ status: 500, error: { reason: `cannot persist session ${cookie}` } }), {
          status: 500,
          headers: { 'content-type': 'application/json', 'set-cookie': `INFINI-SESSION-csb7e0kq50k4c8o7rnb0=${cookie}; Path=/; HttpOnly` },
        }),
    );
    const error = await coco({ baseUrl: 'https://coco.test', fetch, maxRetries: 0 })
      .login({ email: 'a@b.c', password: 'pw-123456' })
      .catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.message).toBe('cannot persist session [redacted]');
  });

  it('scrubs the bare id of a signed Apostrophe session cookie (`s:<id>.<signature>`) a failing answer echoes', async () => {
    const id = 'Xq3vL0p9TzWk2bYc8NfJmR4s';
    const { fetch } = recording(
      () =>
        new Response(JSON.stringify({ name: 'error', message: `session ${id} could not be saved` }), {
          status: 500,
          headers: { 'content-type': 'application/json', 'set-cookie': `apos.sid=s%3A${id}.q7Ju0%2BkZ3vW9xYp1Lr5TtN2mB8cE6dH4aG0fS; Path=/; HttpOnly` },
        }),
    );
    const error = await apostrophe({ baseUrl: 'https://apos.test', mode: 'cookie', fetch, maxRetries: 0 })
      .login({ username: 'admin', password: 'pw-123456' })
      .catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.message).toBe('session [redacted] could not be saved');
  });

  it('scrubs every form of a secret at any position of any error in the cause chain', () => {
    const secret = `s3cret${ENCODED}x`;
    const inner = new Error(`inner ${formEncode(secret)}`);
    const outer = new Error(`outer ${encodeURIComponent(secret)} ${secret}`, { cause: inner });
    scrub(outer, [secret]);
    expect(outer.message).toBe('outer [redacted] [redacted]');
    expect(inner.message).toBe('inner [redacted]');
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
