// The clients under comparison, each set up the way its docs suggest for an API-token call to
// Coco's GET /account/profile, so every variant sends the same request and reads the same answer.
import createOpenapiFetch from 'openapi-fetch';
import { coco } from '../dist/node.js';
import { WORK } from './paths.mjs';
import { API_KEY, PATH, PROFILE, PROFILE_HEADERS } from './wire.mjs';

/** The in-process transport: a new Response per call (a body can be read once), no I/O. */
export const stubFetch = () => Promise.resolve(new Response(PROFILE, { status: 200, headers: PROFILE_HEADERS }));

const rawInit = { headers: { accept: 'application/json', 'x-api-token': API_KEY } };

/**
 * Every variant as `[name, () => Promise<unknown>]`; each reads and parses the JSON body.
 * `fetchImpl` is the stub or `globalThis.fetch` (loopback); `baseUrl` has no trailing slash.
 */
export async function variants(baseUrl, fetchImpl) {
  const url = baseUrl + PATH;
  const { createClient: createRedocly, OPERATIONS } = await import(new URL('redocly/coco.mjs', WORK).href);

  const bare = createOpenapiFetch({ baseUrl, fetch: fetchImpl, headers: { 'x-api-token': API_KEY } });
  const redoclyConfig = {
    serverUrl: baseUrl,
    fetch: fetchImpl,
    clientHeader: 'redocly-client-generator',
    auth: { apiKey: { cocoApiToken: API_KEY } },
  };
  const redocly = createRedocly(OPERATIONS, redoclyConfig);
  // authwire times out every attempt by default (30 s); Redocly only when asked.
  const redoclyTimeout = createRedocly(OPERATIONS, { ...redoclyConfig, timeout: 30_000 });
  // `fetch` passed explicitly for the stub; for loopback authwire looks up globalThis.fetch itself.
  const authwire = coco({ baseUrl, apiKey: API_KEY, ...(fetchImpl === globalThis.fetch ? {} : { fetch: fetchImpl }) });

  const list = [
    ['raw: new Request + fetch', async () => (await fetchImpl(new Request(url, rawInit))).json()],
    ['raw: fetch(url, init)', async () => (await fetchImpl(url, rawInit)).json()],
    ['openapi-fetch GET', async () => (await bare.GET(PATH)).data],
    ['redocly cocoProfile()', () => redocly.cocoProfile()],
    ['redocly cocoProfile(), timeout 30 s', () => redoclyTimeout.cocoProfile()],
    ['authwire profile()', () => authwire.profile()],
    ['authwire api.GET', async () => (await authwire.api.GET(PATH)).data],
  ];
  // A wrong answer would make the timings meaningless: check each once before timing.
  for (const [name, run] of list) {
    const data = await run();
    if (data?.id !== '2305b68a5c7204872dfee9be863db254') throw new Error(`${name} returned ${JSON.stringify(data)}`);
  }
  return list;
}
