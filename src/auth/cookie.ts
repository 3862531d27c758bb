import type { CookieJar } from './cookie-jar.js';
import type { ModeHandler } from './mode.js';

/** True where fetch has a cookie store of its own (pages and workers). */
export const hasBrowserCookies = () =>
  typeof document !== 'undefined' || typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined';

/**
 * Session cookies. In browsers the browser keeps them (HttpOnly, unreadable to scripts) and fetch
 * sends them with `credentials`; elsewhere a cookie jar stores `Set-Cookie` and writes `Cookie`.
 */
export const cookieMode = (jar: CookieJar | undefined, credentials: RequestCredentials): ModeHandler => ({
  async attach(req) {
    req.credentials = credentials;
    const header = jar && (await jar.header(req.url));
    if (header) req.headers.cookie = req.headers.cookie ? `${req.headers.cookie}; ${header}` : header;
  },
  received: async (url, res) => !!jar && jar.store(url, res.headers.getSetCookie()),
});
