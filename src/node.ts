// The Node entry (export condition `node`): the same API, with cookie sessions kept in a cookie jar
// because Node's fetch has no cookie store of its own, and `forRequest()` for back ends.
import { withForwarding } from './forward/client.js';
import { apostrophe as apostropheClient } from './providers/apostrophe.js';
import { coco as cocoClient } from './providers/coco.js';
import { lowcoder as lowcoderClient } from './providers/lowcoder.js';
import type { ApostropheClient, ApostropheOptions, CocoClient, CocoOptions, LowcoderClient, LowcoderOptions } from './types.js';

export * from './index.js';

/**
 * A client for Lowcoder's api-service: cookie sessions from form login, or an API key.
 *
 * @example
 * const client = lowcoder({ baseUrl: 'https://lowcoder.example.com' });
 * await client.login({ email: 'ada@example.com', password: process.env.LOWCODER_PASSWORD! });
 * const key = await client.createApiKey({ name: 'nightly-export' });
 * const bot = lowcoder({ baseUrl: 'https://lowcoder.example.com', apiKey: key.token });
 */
export const lowcoder = (options: LowcoderOptions): LowcoderClient => withForwarding(lowcoderClient, options);
/**
 * A client for an ApostropheCMS site: bearer tokens, cookie sessions with the CSRF cookie, or API keys.
 *
 * @example
 * const client = apostrophe({ baseUrl: 'https://cms.example.com' }); // or mode: 'cookie'
 * await client.login({ username: 'admin', password: process.env.APOS_PASSWORD! });
 * const task = apostrophe({ baseUrl: 'https://cms.example.com', apiKey: process.env.APOS_API_KEY! });
 */
export const apostrophe = (options: ApostropheOptions): ApostropheClient => withForwarding(apostropheClient, options);
/**
 * A client for Coco Server: bearer JWTs or cookie sessions from login, or API tokens.
 *
 * @example
 * const client = coco({ baseUrl: 'https://coco.example.com' });
 * await client.login({ email: 'admin@example.com', password: process.env.COCO_PASSWORD! });
 * const token = await client.createApiKey({ name: 'ci', permissions: ['coco#search/search'] });
 * const bot = coco({ baseUrl: 'https://coco.example.com', apiKey: token.token });
 */
export const coco = (options: CocoOptions): CocoClient => withForwarding(cocoClient, options);
