// Retries as src/transport/send.ts and retry.ts implement them: which requests, on what, how long
// between attempts (fake timers, so the delays are asserted exactly and the tests take no time).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  AbortedError,
  ApiError,
  AuthwireError,
  InvalidCredentialsError,
  NetworkError,
  RateLimitedError,
  apostrophe,
  coco,
  lowcoder,
  type SessionInfo,
} from '../../src/node.js';
import { createApi } from '../../src/api.js';
import { mockApostrophe, mockCoco, mockLowcoder } from '../../src/mocks/index.js';
import { MAX_RETRY_AFTER_MS, backoffMs, isIdempotent, isRetryableStatus, retryAfterMs } from '../../src/transport/retry.js';

const START = Date.parse('2030-01-01T00:00:00Z');

/** One scripted answer: a status (with headers and JSON body), or a dropped connection. */
type Answer = 'network' | { status: number; body?: unknown; headers?: Record<string, string> };

interface Call {
  method: string;
  url: string;
  /** Fake-clock time the attempt was made at. */
  at: number;
}

/**
 * A counting fetch: answers from `script` in order, then from `fallback` (a platform mock), so a
 * flow can fail a few times and then complete for real.
 */
function scripted(script: Answer[], fallback?: { handle(request: Request): Promise<Response> }, keepClones = false) {
  const calls: Call[] = [];
  const clones: Response[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    calls.push({ method: request.method, url: request.url, at: Date.now() });
    const answer = script[calls.length - 1];
    if (answer === undefined) {
      if (!fallback) throw new Error(`unscripted request ${request.method} ${request.url}`);
      return fallback.handle(request);
    }
    if (answer === 'network') throw new TypeError('fetch failed');
    const response = new Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
      status: answer.status,
      headers: { 'content-type': 'application/json', ...answer.headers },
    });
    // As msw and logging wrappers do: the body becomes one branch of a tee.
    if (keepClones) clones.push(response.clone());
    return response;
  };
  return { fetch, calls, gaps: () => calls.slice(1).map((c, i) => c.at - calls[i]!.at) };
}

/** The outcome of a call, without an unhandled rejection while timers are driven. */
function settle<T>(promise: Promise<T>) {
  const state: { done: boolean; value?: T; error?: unknown } = { done: false };
  const finished = promise.then(
    (value) => Object.assign(state, { done: true, value }),
    (error: unknown) => Object.assign(state, { done: true, error }),
  );
  return { state, finished };
}

/** Runs every pending timer (backoff sleeps) until the call settles. */
async function drive<T>(promise: Promise<T>) {
  const { state, finished } = settle(promise);
  await vi.runAllTimersAsync();
  await finished;
  return state;
}

const LIST_OK = { status: 200, body: { code: 1, message: '', data: [], success: true } };
// `timeout: 0` everywhere: the per-attempt timer would otherwise be the next fake timer whenever
// an attempt waits on real work (the mocks sign JWTs with WebCrypto), and fire early.
const NO_TIMEOUT = { timeout: 0 };
const lowcoderKeyClient = (fetch: typeof globalThis.fetch, extra: { maxRetries?: number } = {}) =>
  lowcoder({ baseUrl: 'https://lowcoder.test', apiKey: 'retry-test-key', fetch, ...NO_TIMEOUT, ...extra });

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: START });
  // No jitter: backoff is then exactly 500 ms, 1 s, 2 s…
  vi.spyOn(Math, 'random').mockReturnValue(0);
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('retry policy helpers', () => {
  it('reads Retry-After as delta-seconds', () => {
    expect(retryAfterMs('3', START)).toBe(3000);
    expect(retryAfterMs('0', START)).toBe(0);
    expect(retryAfterMs(' 2 ', START)).toBe(2000);
    expect(retryAfterMs('120', START)).toBe(120_000);
  });

  it('reads Retry-After as an HTTP date, relative to now, never negative', () => {
    expect(retryAfterMs(new Date(START + 5000).toUTCString(), START)).toBe(5000);
    expect(retryAfterMs(new Date(START + 90_000).toUTCString(), START)).toBe(90_000);
    expect(retryAfterMs(new Date(START - 5000).toUTCString(), START)).toBe(0);
  });

  it('ignores a missing or invalid Retry-After', () => {
    expect(retryAfterMs(null, START)).toBeUndefined();
    expect(retryAfterMs('', START)).toBeUndefined();
    expect(retryAfterMs('soon', START)).toBeUndefined();
    expect(retryAfterMs('1e3', START)).toBeUndefined();
  });

  it('ignores a negative Retry-After instead of retrying at once (RFC 9110: delay-seconds = 1*DIGIT)', () => {
    // Date.parse('-1') is a date in 2001, so without a check this becomes "retry now".
    expect(retryAfterMs('-1', START)).toBeUndefined();
  });

  it('backs off exponentially from 500 ms, capped at 8 s, with up to 25 % jitter taken off', () => {
    expect([0, 1, 2, 3, 4, 5, 10].map((n) => backoffMs(n, () => 0))).toEqual([500, 1000, 2000, 4000, 8000, 8000, 8000]);
    expect(backoffMs(0, () => 1)).toBe(375);
    expect(backoffMs(2, () => 0.5)).toBe(1750);
    for (let attempt = 0; attempt < 8; attempt++) {
      const ceiling = Math.min(500 * 2 ** attempt, 8000);
      for (let i = 0; i < 50; i++) {
        const ms = backoffMs(attempt);
        expect(ms).toBeGreaterThanOrEqual(ceiling * 0.75);
        expect(ms).toBeLessThanOrEqual(ceiling);
      }
    }
  });

  it('retries idempotent methods on 429/502/503/504 only', () => {
    expect(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE'].every(isIdempotent)).toBe(true);
    expect(['POST', 'PATCH'].some(isIdempotent)).toBe(false);
    expect([429, 502, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([200, 400, 401, 403, 404, 408, 500, 501].some(isRetryableStatus)).toBe(false);
    expect(MAX_RETRY_AFTER_MS).toBe(60_000);
  });
});

describe('which requests are retried', () => {
  it.each([429, 502, 503, 504])('retries a GET on %i, twice by default, backing off 500 ms then 1 s', async (status) => {
    const { fetch, calls, gaps } = scripted([{ status }, { status }, LIST_OK]);
    const result = await drive(lowcoderKeyClient(fetch).listApiKeys());
    expect(result.error).toBeUndefined();
    expect(result.value).toEqual([]);
    expect(calls.map((c) => c.method)).toEqual(['GET', 'GET', 'GET']);
    expect(gaps()).toEqual([500, 1000]);
  });

  it('waits the full backoff before the next attempt, not a tick less', async () => {
    const { fetch, calls } = scripted([{ status: 503 }, { status: 503 }, LIST_OK]);
    const { state, finished } = settle(lowcoderKeyClient(fetch).listApiKeys());
    await vi.advanceTimersByTimeAsync(499);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(999);
    expect(calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    await finished;
    expect(calls).toHaveLength(3);
    expect(state.value).toEqual([]);
  });

  it('applies jitter to the computed delay', async () => {
    vi.mocked(Math.random).mockReturnValue(1);
    const { fetch, gaps } = scripted([{ status: 503 }, { status: 503 }, LIST_OK]);
    await drive(lowcoderKeyClient(fetch).listApiKeys());
    expect(gaps()).toEqual([375, 750]);
  });

  it('retries when the fetch keeps a clone of each answer (msw, logging wrappers)', async () => {
    const { fetch, calls } = scripted([{ status: 503, body: { code: 503, message: 'busy', success: false } }, LIST_OK], undefined, true);
    const { state } = settle(lowcoderKeyClient(fetch).listApiKeys());
    await vi.runAllTimersAsync();
    // Cancelling one branch of a tee settles only once the other branch is read or cancelled too:
    // a retry that awaits the cancel never comes back.
    expect(state.done).toBe(true);
    expect(state.value).toEqual([]);
    expect(calls).toHaveLength(2);
  });

  it('gives up after maxRetries with the typed error of the last answer', async () => {
    const { fetch, calls } = scripted([{ status: 503 }, { status: 503 }, { status: 503 }, LIST_OK]);
    const result = await drive(lowcoderKeyClient(fetch).listApiKeys());
    expect(result.error).toBeInstanceOf(ApiError);
    expect((result.error as ApiError).status).toBe(503);
    expect(calls).toHaveLength(3);
  });

  it('retries network errors, then throws NetworkError', async () => {
    const recovered = scripted(['network', 'network', LIST_OK]);
    expect((await drive(lowcoderKeyClient(recovered.fetch).listApiKeys())).value).toEqual([]);
    expect(recovered.gaps()).toEqual([500, 1000]);

    const dead = scripted(['network', 'network', 'network', LIST_OK]);
    const result = await drive(lowcoderKeyClient(dead.fetch).listApiKeys());
    expect(result.error).toBeInstanceOf(NetworkError);
    expect(dead.calls).toHaveLength(3);
  });

  it.each([400, 401, 403, 404, 500, 501])('does not retry %i', async (status) => {
    const { fetch, calls } = scripted([{ status, body: { code: status, message: 'no', success: false } }, LIST_OK]);
    const result = await drive(lowcoderKeyClient(fetch).listApiKeys());
    expect(result.error).toBeInstanceOf(AuthwireError);
    expect(calls).toHaveLength(1);
  });

  it('retries PUT and DELETE (idempotent) but not POST', async () => {
    const crud = { status: 200, body: { _id: 'k1', result: 'updated' } };
    const put = scripted([{ status: 502 }, crud]);
    const client = (fetch: typeof globalThis.fetch) => coco({ baseUrl: 'https://coco.test', apiKey: 'retry-test-key', fetch, ...NO_TIMEOUT });
    expect((await drive(client(put.fetch).renameApiKey('k1', 'new'))).error).toBeUndefined();
    expect(put.calls.map((c) => c.method)).toEqual(['PUT', 'PUT']);

    const del = scripted([{ status: 504 }, { status: 200, body: { _id: 'k1', result: 'deleted' } }]);
    expect((await drive(client(del.fetch).deleteApiKey('k1'))).error).toBeUndefined();
    expect(del.calls.map((c) => c.method)).toEqual(['DELETE', 'DELETE']);

    const post = scripted([{ status: 503 }, { status: 200, body: { _id: 'k2', access_token: 't', expire_in: 0 } }]);
    const created = await drive(client(post.fetch).createApiKey({ name: 'x' }));
    expect(created.error).toBeInstanceOf(ApiError);
    expect(post.calls.map((c) => c.method)).toEqual(['POST']);
  });

  it('retries a POST the caller marks retrySafe', async () => {
    const created = { status: 200, body: { code: 1, message: '', data: { id: 'k', token: 't' }, success: true } };
    const { fetch, calls, gaps } = scripted([{ status: 503 }, { status: 429, headers: { 'retry-after': '1' } }, created]);
    const result = await drive(lowcoderKeyClient(fetch).createApiKey({ name: 'ci' }, { retrySafe: true }));
    expect(result.value).toEqual({ id: 'k', token: 't' });
    expect(calls.map((c) => c.method)).toEqual(['POST', 'POST', 'POST']);
    expect(gaps()).toEqual([500, 1000]);
  });

  it('retries idempotent calls made through `api`, and not its POSTs', async () => {
    const me = { status: 200, body: { code: 1, message: '', data: { isAnonymous: true }, success: true } };
    const get = scripted([{ status: 503 }, me]);
    const answer = await drive(createApi(lowcoderKeyClient(get.fetch)).GET('/api/users/me'));
    expect(answer.value?.response.status).toBe(200);
    expect(get.calls).toHaveLength(2);

    const post = scripted([{ status: 503 }, me]);
    const posted = await drive(createApi(lowcoderKeyClient(post.fetch)).POST('/api/auth/api-key', { body: { name: 'x' } }));
    expect(posted.value?.response.status).toBe(503);
    expect(post.calls).toHaveLength(1);
  });
});

describe('Retry-After', () => {
  it('waits the seconds the server asks for instead of the backoff', async () => {
    const { fetch, gaps } = scripted([{ status: 429, headers: { 'retry-after': '3' } }, { status: 503, headers: { 'retry-after': '0' } }, LIST_OK]);
    expect((await drive(lowcoderKeyClient(fetch).listApiKeys())).value).toEqual([]);
    expect(gaps()).toEqual([3000, 0]);
  });

  it('waits until an HTTP date', async () => {
    const at = new Date(START + 7000).toUTCString();
    const { fetch, gaps } = scripted([{ status: 503, headers: { 'retry-after': at } }, LIST_OK]);
    expect((await drive(lowcoderKeyClient(fetch).listApiKeys())).value).toEqual([]);
    expect(gaps()).toEqual([7000]);
  });

  it('honours exactly a minute', async () => {
    const { fetch, gaps } = scripted([{ status: 429, headers: { 'retry-after': '60' } }, LIST_OK]);
    expect((await drive(lowcoderKeyClient(fetch).listApiKeys())).value).toEqual([]);
    expect(gaps()).toEqual([60_000]);
  });

  it('falls back to the backoff when Retry-After is unreadable', async () => {
    const { fetch, gaps } = scripted([{ status: 503, headers: { 'retry-after': 'later' } }, LIST_OK]);
    await drive(lowcoderKeyClient(fetch).listApiKeys());
    expect(gaps()).toEqual([500]);
  });

  const clients: Record<string, (fetch: typeof globalThis.fetch) => { profile(): Promise<unknown> }> = {
    lowcoder: (fetch: typeof globalThis.fetch) => lowcoder({ baseUrl: 'https://lowcoder.test', apiKey: 'retry-test-key', fetch }),
    apostrophe: (fetch: typeof globalThis.fetch) => apostrophe({ baseUrl: 'https://apostrophe.test', token: 'retry-test-token', fetch, ...NO_TIMEOUT }),
    coco: (fetch: typeof globalThis.fetch) => coco({ baseUrl: 'https://coco.test', apiKey: 'retry-test-key', fetch, ...NO_TIMEOUT }),
  };

  it.each([
    ['lowcoder', '120'],
    ['lowcoder', new Date(START + 61_000).toUTCString()],
    ['apostrophe', '120'],
    ['coco', '3600'],
    ['coco', new Date(START + 3_600_000).toUTCString()],
  ] as const)('%s: a 429 asking for more than a minute (%s) is a RateLimitedError at once, not a hang', async (platform, retryAfter) => {
    const { fetch, calls } = scripted([{ status: 429, headers: { 'retry-after': retryAfter } }, { status: 200, body: {} }]);
    const { state, finished } = settle(clients[platform]!(fetch).profile());
    // No timer is advanced: the call must settle on its own.
    await vi.advanceTimersByTimeAsync(0);
    await finished;
    expect(state.done).toBe(true);
    expect(calls).toHaveLength(1);
    // Nor is a retry left scheduled (the only timer left is the shared timeout window, which aborts nothing).
    await vi.advanceTimersByTimeAsync(3_700_000);
    expect(calls).toHaveLength(1);
    expect(state.error).toBeInstanceOf(RateLimitedError);
    const error = state.error as RateLimitedError;
    expect(error.status).toBe(429);
    expect(error.retryAfter).toBeGreaterThan(60);
  });

  it('a 503 asking for more than a minute is answered at once too', async () => {
    const { fetch, calls } = scripted([{ status: 503, headers: { 'retry-after': '61' } }, LIST_OK]);
    const { state, finished } = settle(lowcoderKeyClient(fetch).listApiKeys());
    await vi.advanceTimersByTimeAsync(0);
    await finished;
    expect(state.error).toBeInstanceOf(ApiError);
    expect(calls).toHaveLength(1);
  });
});

describe('configuration', () => {
  it('maxRetries: 0 on the client turns retries off', async () => {
    for (const first of ['network', { status: 503 }] as const) {
      const { fetch, calls } = scripted([first, LIST_OK]);
      const result = await drive(lowcoderKeyClient(fetch, { maxRetries: 0 }).listApiKeys());
      expect(result.error).toBeInstanceOf(AuthwireError);
      expect(calls).toHaveLength(1);
    }
  });

  it('the client sets the count', async () => {
    const { fetch, calls, gaps } = scripted([{ status: 503 }, { status: 503 }, { status: 503 }, { status: 503 }, { status: 503 }, LIST_OK]);
    const result = await drive(lowcoderKeyClient(fetch, { maxRetries: 4 }).listApiKeys());
    expect(result.error).toBeInstanceOf(ApiError);
    expect(calls).toHaveLength(5);
    expect(gaps()).toEqual([500, 1000, 2000, 4000]);
  });

  it('a call overrides the client, both ways', async () => {
    const more = scripted([{ status: 503 }, { status: 503 }, { status: 503 }, LIST_OK]);
    expect((await drive(lowcoderKeyClient(more.fetch, { maxRetries: 0 }).listApiKeys({ maxRetries: 3 }))).value).toEqual([]);
    expect(more.calls).toHaveLength(4);

    const none = scripted([{ status: 503 }, LIST_OK]);
    expect((await drive(lowcoderKeyClient(none.fetch, { maxRetries: 5 }).listApiKeys({ maxRetries: 0 }))).error).toBeInstanceOf(ApiError);
    expect(none.calls).toHaveLength(1);
  });

  it('an abort during the backoff ends the call at once, with no further attempt', async () => {
    const { fetch, calls } = scripted([{ status: 503 }, LIST_OK]);
    const controller = new AbortController();
    const { state, finished } = settle(lowcoderKeyClient(fetch).listApiKeys({ signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(100);
    controller.abort();
    await vi.advanceTimersByTimeAsync(0);
    await finished;
    expect(state.error).toBeInstanceOf(AbortedError);
    expect(calls).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('logs each retry with its delay, without query strings', async () => {
    const lines: string[] = [];
    const logger = { debug: (l: string) => lines.push(l), warn: (l: string) => lines.push(l) };
    const { fetch } = scripted([{ status: 503 }, { status: 200, body: { title: 'System Task' } }]);
    const client = apostrophe({ baseUrl: 'https://apostrophe.test', apiKey: 'query-key-secret', apiKeyIn: 'query', fetch, logger, ...NO_TIMEOUT });
    await drive(client.profile());
    expect(lines.filter((l) => / retry /.test(l))).toEqual([
      'authwire apostrophe GET https://apostrophe.test/api/v1/@apostrophecms/login/whoami retry 1 in 500 ms',
    ]);
    expect(lines.join('\n')).not.toContain('query-key-secret');
  });
});

describe('login is never retried', () => {
  const platforms = [
    {
      name: 'lowcoder',
      mock: () => mockLowcoder(),
      bad: { status: 403, body: { code: 5608, message: 'Invalid email or password.', success: false } },
      login: (fetch: typeof globalThis.fetch, password: string, retrySafe = false): Promise<SessionInfo<unknown>> =>
        lowcoder({ baseUrl: 'https://lowcoder.test', fetch, maxRetries: 5, ...NO_TIMEOUT }).login({ email: 'ada@example.com', password }, { retrySafe }),
      password: 's3cret-Passw0rd',
    },
    {
      name: 'apostrophe',
      mock: () => mockApostrophe(),
      bad: { status: 400, body: { name: 'invalid', data: {}, message: 'Your credentials are incorrect, or there is no such user' } },
      login: (fetch: typeof globalThis.fetch, password: string, retrySafe = false): Promise<SessionInfo<unknown>> =>
        apostrophe({ baseUrl: 'https://apostrophe.test', fetch, maxRetries: 5, ...NO_TIMEOUT }).login({ username: 'admin', password }, { retrySafe }),
      password: 's3cret-Passw0rd',
    },
    {
      name: 'coco',
      mock: () => mockCoco(),
      bad: { status: 403, body: { status: 403, error: { reason: 'failed to login' } } },
      login: (fetch: typeof globalThis.fetch, password: string, retrySafe = false): Promise<SessionInfo<unknown>> =>
        coco({ baseUrl: 'https://coco.test', fetch, maxRetries: 5, ...NO_TIMEOUT }).login({ email: 'admin@example.com', password }, { retrySafe }),
      password: 's3cret-Passw0rd!',
    },
  ];

  it.each(platforms)('$name: bad credentials fail once, even with maxRetries 5', async (p) => {
    const scriptedBad = scripted([p.bad]);
    const result = await drive(p.login(scriptedBad.fetch, 'wrong-password'));
    expect(result.error).toBeInstanceOf(InvalidCredentialsError);
    expect(scriptedBad.calls).toHaveLength(1);

    // The same through the mock itself: one request for one wrong password.
    const real = scripted([], p.mock());
    expect((await drive(p.login(real.fetch, 'wrong-password'))).error).toBeInstanceOf(InvalidCredentialsError);
    expect(real.calls).toHaveLength(1);
  });

  it.each(platforms)('$name: a login POST answered 503 or dropped is not retried', async (p) => {
    for (const first of [{ status: 503 }, { status: 429, headers: { 'retry-after': '1' } }, 'network'] as const) {
      const { fetch, calls } = scripted([first], p.mock());
      const result = await drive(p.login(fetch, p.password));
      // The 429's class is asserted in the Retry-After tests; here only the single attempt matters.
      expect(result.error).toBeInstanceOf(first === 'network' ? NetworkError : first.status === 503 ? ApiError : AuthwireError);
      expect(calls).toHaveLength(1);
      expect(calls[0]?.method).toBe('POST');
    }
  });

  it.each(platforms)('$name: a login the caller marks retrySafe is retried and then succeeds', async (p) => {
    const { fetch, calls, gaps } = scripted([{ status: 503 }], p.mock());
    const result = await drive(p.login(fetch, p.password, true));
    expect(result.error).toBeUndefined();
    expect(result.value?.signedIn).toBe(true);
    expect(calls.slice(0, 2).map((c) => c.method)).toEqual(['POST', 'POST']);
    expect(gaps()[0]).toBe(500);
  });
});
