import type { ErrorContext } from '../errors.js';
import { createCookieJar, type CookieJar } from './cookie-jar.js';
import type { SessionState } from '../session/state.js';
import type { Outgoing } from '../transport/send.js';
import type { ClientOptions } from '../types.js';

/** What the jar driver needs of a client's session: reading it, and saving the cookies it holds. */
interface CookieSession {
  get(ctx: ErrorContext): Promise<SessionState<unknown> | undefined>;
  update(state: SessionState<unknown>, ctx: ErrorContext): Promise<void>;
}

/**
 * Everything a client does with a cookie jar. Only the Node entry hands it in (`driveJar`): a
 * browser's fetch keeps cookies itself, so browser bundles never carry this code.
 */
export interface JarDriver {
  /** Adds the jar's cookies for the request's URL to its `Cookie` header. */
  attach(out: Outgoing): Promise<void>;
  /** Keeps the cookies an answer from `url` set, and saves them to the cookie session when they changed it. */
  take(url: string, lines: string[], session: CookieSession, ctx: ErrorContext): Promise<void>;
  /** The jar's cookies as `Set-Cookie` lines, for a new session. */
  cookies(): Promise<string[]>;
  /** The credential of a cookie session: the `Cookie` header the client's origin gets. */
  credential(): Promise<string>;
  /** Brings the jar in line with a session taken over: its cookies, or none. */
  restore(state: SessionState<unknown> | undefined): Promise<void>;
  /**
   * A driver over a new, empty jar of its own, for one cookie login: the calls made meanwhile keep
   * the session's cookies, a failed login leaves nothing behind, and the new session's cookies reach
   * this jar only when the session is committed (`restore`). Its `take` only keeps cookies.
   */
  staged(): JarDriver;
  /** The jar's cookie values, to keep out of errors. */
  secrets(): Promise<string[]>;
}

export type DriveJar = typeof driveJar;

/** A jar that keeps only some cookies (a forwarded client's) gives its logins a jar that keeps the same. */
export const FORK = Symbol('authwire.fork');
export interface Forking {
  [FORK](): CookieJar;
}

/** The driver of the jar in a client's `cookies` option, for a client of `baseUrl` (none without a jar). */
export function driveJar(jar: ClientOptions['cookies'], baseUrl: string): JarDriver | undefined {
  if (typeof jar !== 'object') return undefined;
  const home = `${baseUrl}/`;
  return {
    async attach(out) {
      const header = await jar.header(out.url);
      if (header) out.headers.cookie = out.headers.cookie ? `${out.headers.cookie}; ${header}` : header;
    },
    async take(url, lines, session, ctx) {
      if (!(await jar.store(url, lines))) return;
      const state = await session.get(ctx);
      if (state?.mode === 'cookie') await session.update({ ...state, cookies: await jar.export() }, ctx);
    },
    cookies: () => jar.export(),
    credential: () => jar.header(home),
    restore: (state) => (state?.cookies ? jar.load(home, state.cookies) : jar.clear()),
    staged() {
      const scratch = (jar as Partial<Forking>)[FORK]?.() ?? createCookieJar();
      return { ...driveJar(scratch, baseUrl)!, take: async (url, lines) => void (await scratch.store(url, lines)) };
    },
    secrets: async () => (await jar.export()).map((line) => line.slice(line.indexOf('=') + 1).split(';')[0]!),
  };
}
