// Helpers of the forwarding tests: what a browser sends to a back end, and what reached the platform.
import { recording } from '../support/fetch.js';

/** Cookies of other sites and apps a browser sends to the back end along with the platform's. */
export const FOREIGN_COOKIES = 'analytics_id=ga-7731; other-app.sid=s%3Aforeign-session-91; theme=dark';

/** The `name=value` pairs of a `Cookie` header. */
export const cookiePairs = (header: string | null) =>
  (header ?? '')
    .split(';')
    .map((pair) => pair.trim())
    .filter(Boolean);

/** A fetch through msw that records each request: its path, `Cookie` and credential headers. */
export function wire(answer?: (request: Request) => Response | Promise<Response>) {
  const { sent, fetch } = recording(answer);
  const seen = () =>
    sent.map((r) => ({
      method: r.method,
      path: new URL(r.url).pathname,
      cookies: cookiePairs(r.headers.get('cookie')),
      authorization: r.headers.get('authorization'),
      apiToken: r.headers.get('x-api-token'),
    }));
  return { fetch, seen };
}

/** A Node `IncomingMessage`-like object (what `http.createServer` hands to a handler). */
export const nodeRequest = (headers: Record<string, string | string[] | undefined>) => ({ method: 'GET', url: '/', headers });
