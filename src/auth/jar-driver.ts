import type { ErrorContext } from '../errors.js';
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
   * Runs a cookie login on an empty jar and puts the previous cookies back if it fails, so a failed
   * login neither leaves half a new session behind nor passes for the old one.
   */
  fresh<T>(login: () => Promise<T>): Promise<T>;
  /** The jar's cookie values, to keep out of errors. */
  secrets(): Promise<string[]>;
}

export type DriveJar = typeof driveJar;

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
    async fresh(login) {
      const before = await jar.export();
      await jar.clear();
      try {
        return await login();
      } catch (error) {
        await jar.load(home, before);
        throw error;
      }
    },
    secrets: async () => (await jar.export()).map((line) => line.slice(line.indexOf('=') + 1).split(';')[0]!),
  };
}
