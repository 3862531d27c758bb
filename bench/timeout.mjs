// What the default timeout costs per call: `profile()` as shipped (30 s per-attempt timeout: fetch
// follows a shared deadline signal) against `timeout: 0` (no timer and, without a caller signal, no
// signal handed to fetch at all), with raw fetch for scale. `node bench/timeout.mjs <stub|loopback> [url]`
// prints JSON.
import { coco } from '../dist/node.js';
import { RAW, checked, stubFetch } from './fixtures.mjs';
import { compare } from './stats.mjs';
import { API_KEY, PATH } from './wire.mjs';

const [mode, url] = process.argv.slice(2);
const settings = {
  stub: { baseUrl: 'https://coco.test', fetch: stubFetch, rounds: 300, batch: 25, warmup: 500, seconds: 35 },
  loopback: { baseUrl: url, fetch: globalThis.fetch, rounds: 300, batch: 8, warmup: 300, seconds: 45 },
}[mode];
if (!settings) throw new Error('usage: timeout.mjs stub | loopback <url>');

const { baseUrl, fetch } = settings;
const client = (options = {}) => coco({ baseUrl, apiKey: API_KEY, ...(fetch === globalThis.fetch ? {} : { fetch }), ...options });
const rawInit = { headers: { accept: 'application/json', 'x-api-token': API_KEY } };
const withTimeout = client();
const noTimeout = client({ timeout: 0 });

const BASELINE = 'profile(), default 30 s timeout';
const list = await checked([
  [RAW, async () => (await fetch(baseUrl + PATH, rawInit)).json()],
  [BASELINE, () => withTimeout.profile()],
  ['profile(), timeout: 0 (no signal handed to fetch)', () => noTimeout.profile()],
]);
const results = await compare(list, { ...settings, baseline: BASELINE });
process.stdout.write(JSON.stringify({ mode, baseline: BASELINE, results }));
