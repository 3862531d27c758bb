// `authwire/api`: an openapi-fetch client for any path of a platform, sent through the client's own
// pipeline (credential, expiry, re-login and replay, CSRF, retries, timeouts, body limit, typed
// errors). Its own entry, so the high-level methods never carry openapi-fetch.
import createClient, { type Client } from 'openapi-fetch';
import { draftRequests, type Drafted } from './api/draft.js';
import { BufferedResponse } from './api/response.js';
import { CORE, type createCore } from './client/core.js';
import { checkHeader } from './client/config.js';
import { ConfigurationError, type ErrorContext } from './errors.js';
import { answered, statusError } from './pipeline/errors.js';
import { roleMatcher } from './pipeline/operation.js';
import { exchange, fail, type Exchange } from './pipeline/run.js';
import type { AuthClient, PathsOf } from './types.js';

type AnyClient = AuthClient<unknown, never> | AuthClient<never, never>;
type Core = ReturnType<typeof createCore<unknown, unknown>>;
type CallInit = { headers?: unknown; params?: { header?: unknown } };

const METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'TRACE'] as const;

/** The headers of one openapi-fetch call: an object (values may be arrays), `[name, value]` pairs, or a `Headers` (valid by construction). */
function checkInit(platform: AnyClient['platform'], init: CallInit | undefined, operation: string) {
  for (const headers of [init?.headers, init?.params?.header])
    if (headers && typeof headers === 'object' && !(headers instanceof Headers))
      for (const [name, value] of Array.isArray(headers) ? (headers as [string, unknown][]) : Object.entries(headers))
        for (const one of [value].flat()) if (one != null) checkHeader(platform, String(name), String(one), operation);
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
  const base = new URL(wire.config.baseUrl);
  const basePath = base.pathname.replace(/\/$/, '');
  const roleOf = roleMatcher(Object.values(core.ops));
  let middleware = false;
  const api = createClient({
    baseUrl: wire.config.baseUrl,
    headers: wire.config.headers,
    Request: draftRequests(() => middleware),
    async fetch(input: Request) {
      const request: Drafted = input;
      let url: URL;
      try {
        url = new URL(request.url);
      } catch {
        // Not quoted: a URL may carry a key in its query.
        throw new ConfigurationError('createApi needs an absolute http(s) URL: check `baseUrl`.', { platform: wire.config.platform, operation: 'createApi' });
      }
      const operation = `${request.method} ${url.pathname}`;
      const own = url.origin === base.origin && url.pathname.startsWith(`${basePath}/`);
      const x: Exchange = {
        operation,
        role: own ? roleOf(url.pathname.slice(basePath.length)) : undefined,
        auth: true,
        call: { signal: request.signal ?? undefined },
        secrets: [],
      };
      try {
        if (url.username || url.password)
          throw new ConfigurationError('fetch refuses URLs with a user name or password in them.', { platform: wire.config.platform, operation });
        // A platform Request (with middleware) carries its body as a stream: buffered, so a refused
        // request can be replayed after a re-login.
        const body = request instanceof Request ? (request.body ? await request.arrayBuffer() : undefined) : request.body;
        const answer = await exchange(
          wire,
          { method: request.method, url: request.url, headers: Object.fromEntries(request.headers), body },
          x,
        );
        const ctx: ErrorContext = { platform: wire.config.platform, operation };
        const invalid = statusError(answer.res.status, answered(answer, ctx));
        if (invalid) throw invalid;
        return new BufferedResponse(answer, ctx, (error) => fail(wire, x, error));
      } catch (error) {
        return fail(wire, x, error);
      }
    },
  });
  // openapi-fetch builds its Headers before the pipeline sees a call, so a header no request can
  // carry would fail there as a raw TypeError quoting the value: checked first, as the client's methods do.
  const refused = (operation: string, init: CallInit | undefined) => {
    try {
      checkInit(wire.config.platform, init, operation);
      return undefined;
    } catch (error) {
      return fail(wire, { operation, auth: false, call: {}, secrets: [] }, error);
    }
  };
  for (const method of METHODS) {
    const send = api[method] as (url: string, init?: CallInit) => Promise<never>;
    api[method] = ((url: string, init?: CallInit) => refused(`${method} ${url}`, init) ?? send(url, init)) as never;
  }
  const request = api.request as (method: string, url: string, init?: CallInit) => Promise<never>;
  api.request = ((method: string, url: string, init?: CallInit) => refused(`${method.toUpperCase()} ${url}`, init) ?? request(method, url, init)) as never;
  const use = api.use;
  api.use = (...added) => {
    middleware = true;
    use(...added);
  };
  return api;
}
