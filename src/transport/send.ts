import { InvalidResponseError, NetworkError, TimeoutError, type ErrorContext } from '../errors.js';
import type { Logger } from '../types.js';
import { BodyTooLargeError, discard, readBytes } from './read.js';
import { MAX_RETRY_AFTER_MS, backoffMs, isIdempotent, isRetryableStatus, retryAfterMs } from './retry.js';
import { deadline, either } from './deadline.js';
import { aborted } from './within.js';

export interface SendOptions {
  /** Looked up at call time, so msw or a test double installed later still applies. */
  fetch?: typeof fetch | undefined;
  /** Milliseconds per attempt, body included. */
  timeout?: number | undefined;
  maxRetries?: number | undefined;
  /** Retry this request even if its method is not idempotent. */
  retrySafe?: boolean | undefined;
  signal?: AbortSignal | undefined;
  logger?: Logger | undefined;
  now?: (() => number) | undefined;
  /** Largest body accepted, in bytes. */
  limit?: number | undefined;
}

export interface Outgoing {
  method: string;
  url: string;
  /** Lower-case names. A plain object: fetch builds its own Headers once. */
  headers: Record<string, string>;
  body?: BodyInit | null | undefined;
  credentials?: RequestCredentials;
}

/** A complete answer: status line and headers, and the body already read. */
export interface Received {
  res: Response;
  bytes: Uint8Array<ArrayBuffer>;
  /** The body decoded and parsed, once someone asked (see `bodyOf`). */
  parsed?: { value: unknown; text: string };
}

/** Streams can be sent once; everything else fetch accepts can be sent again. */
export const isReplayable = (body: Outgoing['body']) =>
  !(typeof ReadableStream !== 'undefined' && body instanceof ReadableStream);

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const stop = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', stop);
      resolve();
    }, ms);
    signal?.addEventListener('abort', stop, { once: true });
  });

/**
 * One HTTP exchange, body included, with a per-attempt timeout, the caller's abort signal and
 * retries (idempotent methods or `retrySafe`, on network errors and 429/502/503/504, honouring
 * `Retry-After` up to a minute). Redirects are never followed, so credentials stay on their origin.
 * Answers of any status are returned; only transport failures throw.
 */
export async function send(req: Outgoing, opts: SendOptions, ctx: ErrorContext): Promise<Received> {
  const { signal, logger, now = Date.now } = opts;
  const maxRetries =
    (opts.retrySafe || isIdempotent(req.method)) && isReplayable(req.body) ? opts.maxRetries ?? 2 : 0;
  // Built only when someone listens: query strings (which may carry a key) never reach the log.
  const where = logger && `${ctx.platform} ${req.method} ${req.url.replace(/\?.*/, '')}`;
  for (let attempt = 0; ; attempt++) {
    if (signal?.aborted) throw aborted(ctx, signal);
    const timer = opts.timeout ? deadline(opts.timeout) : undefined;
    const stop = timer && signal ? either(timer, signal) : timer ?? signal;
    let received: Received | undefined;
    let failure: unknown;
    let wait: number | undefined;
    try {
      logger?.debug?.(`authwire ${where} attempt ${attempt + 1}`);
      const res = await (opts.fetch ?? globalThis.fetch)(req.url, {
        method: req.method,
        headers: req.headers,
        body: req.body ?? null,
        signal: stop ?? null,
        credentials: req.credentials ?? 'omit',
        redirect: 'manual',
      });
      if (isRetryableStatus(res.status) && attempt < maxRetries) {
        const asked = retryAfterMs(res.headers.get('retry-after'), now());
        if ((asked ?? 0) <= MAX_RETRY_AFTER_MS) {
          wait = asked ?? backoffMs(attempt);
          discard(res.body);
        }
      }
      if (wait === undefined) received = { res, bytes: await readBytes(res, opts.limit ?? Infinity) };
    } catch (error) {
      if (error instanceof BodyTooLargeError)
        throw new InvalidResponseError(`The response body is larger than ${opts.limit} bytes.`, { ...ctx, reason: 'too-large' });
      failure = error;
    }
    if (signal?.aborted) throw aborted(ctx, signal);
    if (timer?.aborted && !received) throw new TimeoutError(`No complete answer within ${opts.timeout} ms.`, ctx);
    if (received) return received;
    if (wait === undefined) {
      if (attempt >= maxRetries)
        throw new NetworkError(
          'No answer: connection refused or reset, DNS failure, or (in browsers) a CORS refusal.',
          { ...ctx, cause: failure },
        );
      wait = backoffMs(attempt);
    }
    logger?.warn?.(`authwire ${where} retry ${attempt + 1} in ${Math.round(wait)} ms`);
    try {
      await sleep(wait, signal);
    } catch {
      throw aborted(ctx, signal);
    }
  }
}
