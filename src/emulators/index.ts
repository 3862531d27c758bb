// `authwire/emulator`: the three platform mocks on real loopback sockets (Node only), for demos,
// end-to-end tests, and trying the SDK without a server.
import { createApostropheMock, type ApostropheMockOptions, type ApostropheMockState } from '../mocks/apostrophe.js';
import { createClock, type MockClock } from '../mocks/clock.js';
import { createCocoMock, type CocoMockOptions, type CocoMockState } from '../mocks/coco.js';
import { createLowcoderMock, type LowcoderMockOptions, type LowcoderMockState } from '../mocks/lowcoder.js';
import type { PlatformMock } from '../mocks/mock.js';
import { serve, type Emulator, type ServeOptions } from './server.js';

export { serve, type Emulator, type ServeOptions };
export { DEFAULT_APOSTROPHE_USER } from '../mocks/apostrophe.js';
export { DEFAULT_COCO_USER } from '../mocks/coco.js';
export { DEFAULT_LOWCODER_USER } from '../mocks/lowcoder.js';
export type { MockClock, PlatformMock };

/** An emulator with the mock it serves, whose state, clock and faults tests can reach. */
export interface RunningEmulator<State> extends Emulator {
  /** The mock behind the socket. */
  readonly mock: PlatformMock<State>;
}

/** The three running emulators, as `startEmulators` resolves them. */
export interface Emulators {
  /** Lowcoder's api-service. */
  lowcoder: RunningEmulator<LowcoderMockState>;
  /** An ApostropheCMS site. */
  apostrophe: RunningEmulator<ApostropheMockState>;
  /** Coco Server. */
  coco: RunningEmulator<CocoMockState>;
  /** The clock all three follow. */
  clock: MockClock;
  /** Stops all three. */
  close(): Promise<void>;
}

/** Options of each platform's mock (their `clock` is the shared one), and the address to listen on. */
export interface EmulatorOptions {
  /** Options of the Lowcoder mock. */
  lowcoder?: LowcoderMockOptions;
  /** Options of the ApostropheCMS mock. */
  apostrophe?: ApostropheMockOptions;
  /** Options of the Coco Server mock. */
  coco?: CocoMockOptions;
  /**
   * The address all three listen on.
   * @default '127.0.0.1'
   */
  host?: string;
}

async function running<State>(mock: PlatformMock<State>, options: ServeOptions): Promise<RunningEmulator<State>> {
  const emulator = await serve(mock as PlatformMock<unknown>, options);
  return Object.assign(emulator, { mock });
}

/**
 * Starts Lowcoder, ApostropheCMS and Coco Server emulators on free loopback ports.
 *
 * @example
 * const emulators = await startEmulators();
 * const client = coco({ baseUrl: emulators.coco.url });
 * await client.login({ email: DEFAULT_COCO_USER.email, password: DEFAULT_COCO_USER.password });
 * emulators.clock.advance(3600_000);
 * await emulators.close();
 */
export async function startEmulators(options: EmulatorOptions = {}): Promise<Emulators> {
  const clock = createClock();
  const serveOptions = options.host ? { host: options.host } : {};
  const [lowcoder, apostrophe, coco] = await Promise.all([
    running(createLowcoderMock({ clock, ...options.lowcoder }), serveOptions),
    running(createApostropheMock({ clock, ...options.apostrophe }), serveOptions),
    running(createCocoMock({ clock, ...options.coco }), serveOptions),
  ]);
  return {
    lowcoder,
    apostrophe,
    coco,
    clock,
    close: async () => void (await Promise.all([lowcoder.close(), apostrophe.close(), coco.close()])),
  };
}
