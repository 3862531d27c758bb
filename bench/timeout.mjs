// What the default timeout costs per call on the current code: `profile()` as shipped (30 s
// per-attempt timeout), with `timeout: 0` (no timer, but send() still hands fetch an AbortSignal),
// and with `timeout: 0` on a build of src/ whose send() hands fetch no signal when there is neither
// a timeout nor a caller signal. The patch is applied in memory while bundling; src/ is never
// touched. `node bench/timeout.mjs <stub|loopback> [url]` prints JSON.
import { readFile } from 'node:fs/promises';
import { build } from 'esbuild';
import { RAW, checked, stubFetch } from './fixtures.mjs';
import { ROOT, WORK } from './paths.mjs';
import { compare } from './stats.mjs';
import { API_KEY, PATH } from './wire.mjs';

const SEND = 'src/transport/send.ts';
const FROM = 'signal: controller.signal,';
const TO = 'signal: signal || timer !== undefined ? controller.signal : undefined,';
const PATCH = { file: SEND, from: FROM, to: TO };

/** Bundles src/node.ts as tsup builds dist/ (dependencies external), optionally with the patch. */
async function bundle(name, patched) {
  const outfile = new URL(`timeout/${name}.mjs`, WORK).pathname;
  const plugin = {
    name: 'no-signal',
    setup(b) {
      if (!patched) return;
      b.onLoad({ filter: /src\/transport\/send\.ts$/ }, async (args) => {
        const text = await readFile(args.path, 'utf8');
        if (!text.includes(FROM)) throw new Error(`${SEND} no longer has \`${FROM}\``);
        return { contents: text.replace(FROM, TO), loader: 'ts' };
      });
    },
  };
  await build({
    entryPoints: [new URL('src/node.ts', ROOT).pathname],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'es2022',
    packages: 'external',
    outfile,
    logLevel: 'silent',
    plugins: [plugin],
  });
  return import(outfile);
}

const [mode, url] = process.argv.slice(2);
const settings = {
  stub: { baseUrl: 'https://coco.test', fetch: stubFetch, rounds: 300, batch: 25, warmup: 500, seconds: 35 },
  loopback: { baseUrl: url, fetch: globalThis.fetch, rounds: 300, batch: 8, warmup: 300, seconds: 45 },
}[mode];
if (!settings) throw new Error('usage: timeout.mjs stub | loopback <url>');

const current = await bundle('current', false);
const patched = await bundle('no-signal', true);
const { baseUrl, fetch } = settings;
const client = (lib, options = {}) =>
  lib.coco({ baseUrl, apiKey: API_KEY, ...(fetch === globalThis.fetch ? {} : { fetch }), ...options });
const rawInit = { headers: { accept: 'application/json', 'x-api-token': API_KEY } };
const withTimeout = client(current);
const noTimer = client(current, { timeout: 0 });
const noSignal = client(patched, { timeout: 0 });

const BASELINE = 'profile(), default 30 s timeout';
const list = await checked([
  [RAW, async () => (await fetch(baseUrl + PATH, rawInit)).json()],
  [BASELINE, () => withTimeout.profile()],
  ['profile(), timeout: 0 (signal still handed to fetch)', () => noTimer.profile()],
  ['profile(), timeout: 0, no signal handed to fetch (patched send.ts)', () => noSignal.profile()],
]);
const results = await compare(list, { ...settings, baseline: BASELINE });
process.stdout.write(JSON.stringify({ mode, baseline: BASELINE, patch: PATCH, results }));
