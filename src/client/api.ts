import createClient, { type Client } from 'openapi-fetch';
import { InvalidResponseError, type ErrorContext, type Platform } from '../errors.js';
import type { Outgoing, Received } from '../transport/send.js';
import type { Exchange } from './engine.js';
import { scrub } from './redact.js';

const NULL_BODY = [101, 204, 205, 304];
const METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'TRACE'] as const;

export interface ApiSeam {
  platform: Platform;
  baseUrl: string;
  headers: Record<string, string> | undefined;
  /** The client's authenticated pipeline. */
  exchange(req: Outgoing, how: Omit<Exchange, 'auth'>): Promise<Received>;
  secretsOf(sent: (string | Received)[]): Promise<(string | undefined)[]>;
}

/**
 * `api`: openapi-fetch for every path of the platform, with our pipeline as its fetch, so each
 * request gets the session's credential, expiry, re-login and replay, retries, timeouts and typed
 * transport errors like the high-level methods.
 */
export function createApi<Paths extends {}>(seam: ApiSeam): Client<Paths> {
  const { platform } = seam;
  const api = createClient<Paths>({
    baseUrl: seam.baseUrl,
    headers: seam.headers ?? {},
    async fetch(request: Request) {
      const ctx: ErrorContext = { platform, operation: `${request.method} ${new URL(request.url).pathname}` };
      const sent: (string | Received)[] = [];
      try {
        const { res, bytes } = await seam.exchange(
          {
            method: request.method,
            url: request.url,
            headers: Object.fromEntries(request.headers),
            // Buffered, so a refused request can be replayed after a re-login.
            body: request.body ? await request.arrayBuffer() : undefined,
          },
          { sent, ctx, call: { signal: request.signal }, limit: Infinity },
        );
        if (res.status < 200) return res;
        return new Response(NULL_BODY.includes(res.status) ? null : bytes, {
          status: res.status,
          statusText: res.statusText,
          headers: res.headers,
        });
      } catch (error) {
        throw scrub(error, await seam.secretsOf(sent));
      }
    },
  });
  // openapi-fetch parses success bodies after our fetch returns; a body that is not JSON (a proxy's
  // HTML page, a cut-off answer) surfaces as a typed error rather than a bare SyntaxError.
  for (const method of METHODS) {
    const original = api[method] as (...args: unknown[]) => Promise<unknown>;
    (api as unknown as Record<string, unknown>)[method] = (...args: unknown[]) =>
      original(...args).catch((error: unknown) => {
        throw error instanceof SyntaxError
          ? new InvalidResponseError('The body is not the JSON the contract promises.', {
              platform,
              operation: `${method} ${String(args[0])}`,
              cause: error,
            })
          : error;
      });
  }
  return api;
}
