import { checkHeaderValue } from '../client/config.js';
import type { Platform } from '../errors.js';
import type { Outgoing } from '../transport/send.js';
import type { AuthMode } from '../types.js';
import type { KeyPlacement } from './api-key.js';
import type { JarDriver } from './jar-driver.js';

/** True where fetch has a cookie store of its own (pages and workers). */
export const hasBrowserCookies = () =>
  typeof document !== 'undefined' || typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined';

export interface Carrier {
  platform: Platform;
  /** Node's cookie jar (the Node entry's); browsers keep cookies themselves. */
  jar: JarDriver | undefined;
  /** `credentials` of cookie-mode requests in browsers. */
  credentials: RequestCredentials;
  /** Where this platform expects its API key. */
  place: KeyPlacement;
}

/**
 * Puts one credential on a request to the client's own origin, in its mode, and nothing else: header
 * modes never carry a cookie (Lowcoder ignores a key next to its session cookie), and a cookie
 * session never carries a header credential.
 */
export async function attach(out: Outgoing, mode: AuthMode, secret: string | undefined, carrier: Carrier) {
  if (mode === 'cookie') {
    out.credentials = carrier.credentials;
    await carrier.jar?.attach(out);
    return;
  }
  // `delete` turns the object into a slow dictionary for the writes that follow: only when needed.
  if ('cookie' in out.headers) delete out.headers.cookie;
  out.credentials = 'omit';
  if (!secret) return;
  if (mode === 'bearer' || !carrier.place.inQuery) checkHeaderValue(carrier.platform, 'The credential', secret);
  if (mode === 'bearer') out.headers.authorization = `Bearer ${secret}`;
  else carrier.place(out, secret);
}
