// The clients under comparison, each set up the way its docs suggest for an API-token call to
// Coco's GET /account/profile, so every variant sends the same request and reads the same answer.
import ky from 'ky';
import createOpenapiFetch from 'openapi-fetch';
import { createApi } from '../dist/api.js';
import { coco } from '../dist/node.js';
import { WORK } from './paths.mjs';
import { API_KEY, PATH, PROFILE, PROFILE_HEADERS, RAW_SIGNAL } from './wire.mjs';

/**
 * The in-process transport: builds the `Request` from its arguments as fetch does (so a client
 * that hands fetch an AbortSignal pays for the Request following it), then answers a new Response
 * (a body can be read once). No I/O.
 */
export const stubFetch = (input, init) => {
  new Request(input, init);
  return Promise.resolve(new Response(PROFILE, { status: 200, headers: PROFILE_HEADERS }));
};

export const RAW = 'raw fetch(url, init)';

const rawInit = { headers: { accept: 'application/json', 'x-api-token': API_KEY } };

/** Fails loudly when a variant answers anything but the profile: a wrong answer makes timings meaningless. */
export async function checked(list) {
  for (const [name, run] of list) {
    const data = await run();
    if (data?.id !== '2305b68a5c7204872dfee9be863db254') throw new Error(`${name} returned ${JSON.stringify(data)}`);
  }
  return list;
}

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
  // ky's README: an instance with `prefixUrl` and the header, then `.get(path).json()`. Its default
  // 10 s timeout and retries stay on, as a user gets them.
  const kyApi = ky.create({ prefixUrl: baseUrl, headers: { 'x-api-token': API_KEY }, fetch: fetchImpl });
  // `fetch` passed explicitly for the stub; for loopback authwire looks up globalThis.fetch itself.
  const authwire = coco({ baseUrl, apiKey: API_KEY, ...(fetchImpl === globalThis.fetch ? {} : { fetch: fetchImpl }) });
  const api = createApi(authwire);

  return checked([
    [RAW, async () => (await fetchImpl(url, rawInit)).json()],
    // A controller per call and no timer: cheaper than any timeout, so its ratio is the floor of one.
    [RAW_SIGNAL, async () => (await fetchImpl(url, { ...rawInit, signal: new AbortController().signal })).json()],
    ['openapi-fetch GET', async () => (await bare.GET(PATH)).data],
    ['redocly cocoProfile()', () => redocly.cocoProfile()],
    ['redocly cocoProfile(), timeout 30 s', () => redoclyTimeout.cocoProfile()],
    ['ky get().json()', () => kyApi.get(PATH.slice(1)).json()],
    ['authwire profile()', () => authwire.profile()],
    ['authwire createApi(client).GET', async () => (await api.GET(PATH)).data],
  ]);
}
