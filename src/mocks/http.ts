/** What a mock route receives. */
export interface Incoming {
  request: Request;
  url: URL;
  /** The path below the mock's base path. */
  path: string;
  params: Record<string, string>;
  cookies: Map<string, string>;
}

export type Handler = (incoming: Incoming) => Response | Promise<Response>;

export interface Route {
  method: string;
  /** A contract path such as `/api/auth/api-key/{id}`. */
  path: string;
  handler: Handler;
}

export const JSON_TYPE = 'application/json';

export function json(status: number, body: unknown, headers: [string, string][] = [], type = JSON_TYPE): Response {
  return new Response(JSON.stringify(body), { status, headers: [['content-type', type], ...headers] });
}

export const empty = (status: number, headers: [string, string][] = []) => new Response(null, { status, headers });

export function parseCookies(header: string | null): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0) cookies.set(part.slice(0, at).trim(), part.slice(at + 1).trim());
  }
  return cookies;
}

/** The request body as JSON: `undefined` when empty, `SyntaxError` thrown when malformed. */
export async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
  return text.trim() ? JSON.parse(text) : undefined;
}

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const pattern = (path: string) =>
  new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, '(?<$1>[^/]+)')}$`);

/** Finds the route for a request below `basePath`; undefined when none matches. */
export function matchRoute(routes: Route[], method: string, path: string) {
  for (const route of routes) {
    if (route.method !== method) continue;
    const found = pattern(route.path).exec(path);
    if (found) {
      const params = Object.fromEntries(
        Object.entries(found.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)]),
      );
      return { route, params };
    }
  }
  return undefined;
}

/** The methods routed for a path (what a router lists in `Allow`). */
export const allowedMethods = (routes: Route[], path: string) => routes.filter((route) => pattern(route.path).test(path)).map((route) => route.method);

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
/** `n` random characters of `alphabet`. */
export const randomAlnum = (n: number, alphabet = ALNUM) =>
  Array.from(crypto.getRandomValues(new Uint8Array(n)), (b) => alphabet[b % alphabet.length]).join('');
/** `n` random hex characters. */
export const randomHex = (n: number) => randomAlnum(n, '0123456789abcdef');

/** An HTTP date, as `Expires` attributes carry it. */
export const httpDate = (epochMs: number) => new Date(epochMs).toUTCString();
