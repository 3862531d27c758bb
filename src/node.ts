// The Node entry (export condition `node`): the same API, with cookie sessions kept in a cookie jar
// because Node's fetch has no cookie store of its own.
import { createCookieJar } from './auth/cookie-jar.js';
import { apostrophe as apostropheClient } from './providers/apostrophe.js';
import { coco as cocoClient } from './providers/coco.js';
import { lowcoder as lowcoderClient } from './providers/lowcoder.js';
import type { ApostropheClient, ApostropheOptions, CocoClient, CocoOptions, LowcoderClient, LowcoderOptions } from './types.js';

export * from './index.js';

/** A client for Lowcoder's api-service: cookie sessions from form login, or an API key. */
export const lowcoder = (options: LowcoderOptions): LowcoderClient => lowcoderClient({ cookies: createCookieJar(), ...options });
/** A client for an ApostropheCMS site: bearer tokens, cookie sessions with the CSRF cookie, or API keys. */
export const apostrophe = (options: ApostropheOptions): ApostropheClient => apostropheClient({ cookies: createCookieJar(), ...options });
/** A client for Coco Server: bearer JWTs or cookie sessions from login, or API tokens. */
export const coco = (options: CocoOptions): CocoClient => cocoClient({ cookies: createCookieJar(), ...options });
