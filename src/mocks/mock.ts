import type { Platform } from '../errors.js';
import { createClock, type MockClock } from './clock.js';
import { createFaults, withFault, type Faults } from './faults.js';
import { matchRoute, parseCookies, type Route } from './http.js';

export interface MockOptions {
  /** Where the mock answers (msw matches on it); the path is the platform's base path. */
  baseUrl?: string;
  /** Shared clock for expiry; a fresh one starting now by default. */
  clock?: MockClock;
}

/** CORS as the platform sends it: a preflight answer, and headers for the actual answer. */
export interface CorsAnswer {
  preflight?: Response;
  headers: [string, string][];
}

/** One emulated platform: its routes, state, clock and faults. */
export interface PlatformMock<State> {
  readonly platform: Platform;
  readonly baseUrl: string;
  readonly clock: MockClock;
  readonly faults: Faults;
  readonly state: State;
  readonly routes: readonly Route[];
  /** Answers a request as the platform would (CORS aside: `cors` describes it for real servers). */
  handle(request: Request): Promise<Response>;
  /** The CORS headers this platform adds for a request, and its preflight answer. */
  cors(request: Request): CorsAnswer;
}

export interface MockDefinition<State> {
  platform: Platform;
  baseUrl: string;
  clock: MockClock;
  state: State;
  routes: Route[];
  /** What the platform answers for a path it does not know. */
  notFound(request: Request): Response | Promise<Response>;
  cors(request: Request, path: string): CorsAnswer;
}

/** Wires routes, base path, faults and CORS into a mock. */
export function defineMock<State>(definition: MockDefinition<State>): PlatformMock<State> {
  const base = new URL(definition.baseUrl);
  const basePath = base.pathname.replace(/\/$/, '');
  const faults = createFaults();
  const below = (url: URL) =>
    url.pathname === basePath || url.pathname.startsWith(`${basePath}/`) ? url.pathname.slice(basePath.length) || '/' : undefined;
  return {
    platform: definition.platform,
    baseUrl: base.href.replace(/\/$/, ''),
    clock: definition.clock,
    faults,
    state: definition.state,
    routes: definition.routes,
    handle(request) {
      const url = new URL(request.url);
      const path = below(url);
      return withFault(path === undefined ? undefined : faults.take(request.method, path), async () => {
        const found = path === undefined ? undefined : matchRoute(definition.routes, request.method, path);
        if (!found || path === undefined) return definition.notFound(request);
        return found.route.handler({
          request,
          url,
          path,
          params: found.params,
          cookies: parseCookies(request.headers.get('cookie')),
        });
      });
    },
    cors(request) {
      return definition.cors(request, below(new URL(request.url)) ?? '');
    },
  };
}

export const defaultClock = (options: MockOptions) => options.clock ?? createClock();
