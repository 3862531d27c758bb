// The Node entry (export condition `node`): the same API, with cookie sessions kept in a cookie jar
// because Node's fetch has no cookie store of its own.
import { createCookieJar } from './auth/cookie-jar.js';
import { apostrophe as apostropheClient, type ApostropheOptions } from './providers/apostrophe.js';
import { coco as cocoClient, type CocoOptions } from './providers/coco.js';
import { lowcoder as lowcoderClient, type LowcoderOptions } from './providers/lowcoder.js';

export * from './index.js';

/** A client for Lowcoder's api-service: cookie sessions from form login, or an API key. */
export const lowcoder = (options: LowcoderOptions) => lowcoderClient({ cookies: createCookieJar(), ...options });
/** A client for an ApostropheCMS site: bearer tokens, cookie sessions with the CSRF cookie, or API keys. */
export const apostrophe = (options: ApostropheOptions) => apostropheClient({ cookies: createCookieJar(), ...options });
/** A client for Coco Server: bearer JWTs or cookie sessions from login, or API tokens. */
export const coco = (options: CocoOptions) => cocoClient({ cookies: createCookieJar(), ...options });
