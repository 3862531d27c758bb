// `authwire/msw`: stateful mocks of the three platforms, as msw 2 request handlers.
import { http, type HttpHandler } from 'msw';
import { createApostropheMock, type ApostropheMockOptions } from './apostrophe.js';
import { createCocoMock, type CocoMockOptions } from './coco.js';
import { createLowcoderMock, type LowcoderMockOptions } from './lowcoder.js';
import type { PlatformMock } from './mock.js';

/** A platform mock plus its msw handlers, as the `mock…` functions return it. */
export type WithHandlers<State> = PlatformMock<State> & {
  /** One msw handler per contract operation; requests elsewhere stay unhandled. */
  readonly handlers: HttpHandler[];
};

const METHODS = { GET: http.get, POST: http.post, PUT: http.put, PATCH: http.patch, DELETE: http.delete } as const;

/** msw handlers answering a mock's routes below its `baseUrl`. */
export function mswHandlers(mock: PlatformMock<unknown>): HttpHandler[] {
  return mock.routes.map((route) =>
    METHODS[route.method as keyof typeof METHODS](
      mock.baseUrl + route.path.replace(/\{(\w+)\}/g, ':$1'),
      ({ request }) => mock.handle(request),
    ),
  );
}

const withHandlers = <State>(mock: PlatformMock<State>): WithHandlers<State> =>
  Object.assign(mock, { handlers: mswHandlers(mock as PlatformMock<unknown>) });

/**
 * Lowcoder's api-service, seeded with `ada@example.com` / `s3cret-Passw0rd` unless `users` says otherwise.
 *
 * @example
 * const lc = mockLowcoder({ users: [{ email: 'ada@example.com', password: 'pw-for-tests' }] });
 * const server = setupServer(...lc.handlers); // from 'msw/node'
 * server.listen({ onUnhandledRequest: 'error' });
 * const client = lowcoder({ baseUrl: lc.baseUrl, maxRetries: 0 });
 * await client.login({ email: 'ada@example.com', password: 'pw-for-tests' });
 * lc.clock.advance(25 * 3600_000); // the 24 h session expires on the server
 */
export const mockLowcoder = (options?: LowcoderMockOptions) => withHandlers(createLowcoderMock(options));
/**
 * An ApostropheCMS site, seeded with `admin` / `s3cret-Passw0rd` unless `users` says otherwise.
 *
 * @example
 * const site = mockApostrophe({ totp: true });
 * const server = setupServer(...site.handlers); // from 'msw/node'
 * server.listen({ onUnhandledRequest: 'error' });
 * const client = apostrophe({ baseUrl: site.baseUrl });
 * site.faults.inject({ networkError: true }); // the next request fails at the network level
 */
export const mockApostrophe = (options?: ApostropheMockOptions) => withHandlers(createApostropheMock(options));
/**
 * Coco Server, seeded with `admin@example.com` / `s3cret-Passw0rd!` unless `users` says otherwise.
 *
 * @example
 * const cc = mockCoco();
 * const server = setupServer(...cc.handlers); // from 'msw/node'
 * server.listen({ onUnhandledRequest: 'error' });
 * const client = coco({ baseUrl: cc.baseUrl });
 * await client.login({ email: 'admin@example.com', password: 's3cret-Passw0rd!' });
 */
export const mockCoco = (options?: CocoMockOptions) => withHandlers(createCocoMock(options));

export { createClock, type MockClock } from './clock.js';
export type { Fault } from './faults.js';
export type { PlatformMock } from './mock.js';
export { DEFAULT_APOSTROPHE_USER, type ApostropheMockOptions, type ApostropheMockState, type ApostropheMockUser } from './apostrophe.js';
export { DEFAULT_COCO_USER, type CocoMockOptions, type CocoMockState, type CocoMockUser } from './coco.js';
export { DEFAULT_LOWCODER_USER, type LowcoderMockOptions, type LowcoderMockState, type LowcoderMockUser } from './lowcoder.js';
