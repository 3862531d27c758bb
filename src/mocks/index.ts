// `authwire/msw`: stateful mocks of the three platforms, as msw 2 request handlers.
import { http, type HttpHandler } from 'msw';
import { createApostropheMock, type ApostropheMockOptions } from './apostrophe.js';
import { createCocoMock, type CocoMockOptions } from './coco.js';
import { createLowcoderMock, type LowcoderMockOptions } from './lowcoder.js';
import type { PlatformMock } from './mock.js';

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

/** Lowcoder's api-service, seeded with `ada@example.com` / `s3cret-Passw0rd` unless `users` says otherwise. */
export const mockLowcoder = (options?: LowcoderMockOptions) => withHandlers(createLowcoderMock(options));
/** An ApostropheCMS site, seeded with `admin` / `s3cret-Passw0rd` unless `users` says otherwise. */
export const mockApostrophe = (options?: ApostropheMockOptions) => withHandlers(createApostropheMock(options));
/** Coco Server, seeded with `admin@example.com` / `s3cret-Passw0rd!` unless `users` says otherwise. */
export const mockCoco = (options?: CocoMockOptions) => withHandlers(createCocoMock(options));

export { createClock, type MockClock } from './clock.js';
export type { Fault } from './faults.js';
export type { PlatformMock } from './mock.js';
export { DEFAULT_APOSTROPHE_USER, type ApostropheMockOptions, type ApostropheMockState, type ApostropheMockUser } from './apostrophe.js';
export { DEFAULT_COCO_USER, type CocoMockOptions, type CocoMockState, type CocoMockUser } from './coco.js';
export { DEFAULT_LOWCODER_USER, type LowcoderMockOptions, type LowcoderMockState, type LowcoderMockUser } from './lowcoder.js';
