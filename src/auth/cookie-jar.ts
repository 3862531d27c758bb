import { Cookie, CookieJar as ToughCookieJar } from 'tough-cookie';
import { JAR_DRIVER } from '../client/platform.js';
import { driveJar } from './jar-driver.js';

/**
 * A cookie store for runtimes without one (Node). RFC 6265 rules — host, path, expiry, Secure,
 * deletion by `Max-Age=0` or a past `Expires` — come from tough-cookie.
 */
export interface CookieJar {
  /** The `Cookie` header for a request to `url` (empty when nothing matches). */
  header(url: string): Promise<string>;
  /** Stores `Set-Cookie` lines received from `url`; malformed lines are ignored. True when the jar changed. */
  store(url: string, lines: string[]): Promise<boolean>;
  /** The live cookies as `Set-Cookie` lines with absolute expiry, for a session store. */
  export(): Promise<string[]>;
  /** Replaces the contents with exported lines, as if `url` had set them. */
  load(url: string, lines: string[]): Promise<void>;
  /** Forgets every cookie (logout, a refused session). */
  clear(): Promise<void>;
}

/**
 * A new, empty in-memory cookie jar (tough-cookie): `cookies: createCookieJar()`. It brings the code
 * that drives it, so it also works with the browser entry in runtimes without a cookie store of
 * their own (edge workers).
 */
export function createCookieJar(): CookieJar {
  const jar = new ToughCookieJar();
  const exported = async () =>
    (await jar.store.getAllCookies())
      .filter((cookie) => cookie.TTL() > 0)
      .map((cookie) => {
        const copy = cookie.clone() ?? new Cookie();
        if (cookie.maxAge !== null && cookie.maxAge !== undefined) {
          copy.maxAge = null;
          copy.expires = new Date(cookie.expiryTime() ?? 0);
        }
        return copy.toString();
      });
  const store = async (url: string, lines: string[]) => {
    for (const line of lines) await jar.setCookie(line, url, { ignoreError: true });
  };
  const cookieJar: CookieJar = {
    header: (url) => jar.getCookieString(url),
    async store(url, lines) {
      if (!lines.length) return false;
      const before = (await exported()).join('\n');
      await store(url, lines);
      return (await exported()).join('\n') !== before;
    },
    export: exported,
    async load(url, lines) {
      await jar.removeAllCookies();
      await store(url, lines);
    },
    clear: () => jar.removeAllCookies(),
  };
  return Object.defineProperty(cookieJar, JAR_DRIVER, { value: driveJar });
}
