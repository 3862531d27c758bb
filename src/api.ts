// `authwire/api`: an openapi-fetch client for any path of a platform, sent through the client's own
// pipeline (credential, expiry, re-login and replay, CSRF, retries, timeouts, body limit, typed
// errors). Its own entry, so the high-level methods never carry openapi-fetch.
import createClient, { type Client } from 'openapi-fetch';
import { CORE, type createCore } from './client/core.js';
import { ConfigurationError, InvalidResponseError, type ErrorContext } from './errors.js';
import { answered, statusError } from './pipeline/errors.js';
import { exchange, fail, type Answer, type Exchange } from './pipeline/run.js';
import type { AuthClient, PathsOf } from './types.js';

type AnyClient = AuthClient<unknown, never> | AuthClient<never, never>;
type Core = ReturnType<typeof createCore<unknown, unknown>>;

const NULL_BODY = [101, 204, 205, 304];

/** A status text a `Response` accepts: Latin-1 without control characters (servers may send anything). */
const statusTextOf = (text: string) => (/^[\t\x20-\x7e\x80-\xff]*$/.test(text) ? text : '');

/** The answer as openapi-fetch reads it; a body that is not JSON fails as a typed error, not a SyntaxError. */
function toResponse(answer: Answer, ctx: ErrorContext, reject: (error: unknown) => Promise<never>): Response {
  const { res, bytes } = answer;
  const empty = NULL_BODY.includes(res.status);
  const headers = new Headers(res.headers);
  // The decoded length: openapi-fetch then parses through `json()` below, not `text()` and JSON.parse.
  if (!empty) headers.set('content-length', String(bytes.byteLength));
  const response = new Response(empty ? null : bytes, { status: res.status, statusText: statusTextOf(res.statusText), headers });
  response.json = async () => {
    try {
      return JSON.parse(new TextDecoder().decode(bytes));
    } catch (error) {
      // openapi-fetch parses after our fetch returned: this error is scrubbed and reported here.
      return reject(new InvalidResponseError('The body is not the JSON the contract promises.', { ...answered(answer, ctx), reason: 'not-json', cause: error }));
    }
  };
  return response;
}

/**
 * An [openapi-fetch](https://openapi-ts.dev/openapi-fetch/) client for every path of the client's
 * platform contract, authenticated like the client's own methods. Pass your own `paths` type to
 * call site-specific routes: `createApi<SitePaths>(client)`.
 *
 * @example
 * const api = createApi(client);
 * const { data, error } = await api.GET('/account/profile');
 */
export function createApi<C extends AnyClient>(client: C): Client<PathsOf<C>>;
export function createApi<Paths extends {}>(client: AnyClient): Client<Paths>;
export function createApi(client: AnyClient): Client<{}> {
  const core = (client as unknown as { [CORE]?: Core } | undefined)?.[CORE];
  if (!core)
    throw new ConfigurationError('createApi takes a client made by lowcoder(), apostrophe() or coco().', {
      platform: (client as { platform?: 'coco' } | undefined)?.platform ?? 'coco',
      operation: 'createApi',
    });
  const { wire } = core;
  return createClient({
    baseUrl: wire.config.baseUrl,
    headers: wire.config.headers,
    async fetch(request: Request) {
      const operation = `${request.method} ${new URL(request.url).pathname}`;
      const x: Exchange = { operation, auth: true, call: { signal: request.signal }, secrets: [] };
      try {
        const answer = await exchange(
          wire,
          {
            method: request.method,
            url: request.url,
            headers: Object.fromEntries(request.headers),
            // Buffered, so a refused request can be replayed after a re-login.
            body: request.body ? await request.arrayBuffer() : undefined,
          },
          x,
        );
        const ctx: ErrorContext = { platform: wire.config.platform, operation };
        const invalid = statusError(answer.res.status, answered(answer, ctx));
        if (invalid) throw invalid;
        return toResponse(answer, ctx, (error) => fail(wire, x, error));
      } catch (error) {
        return fail(wire, x, error);
      }
    },
  });
}
