// Per-call cost of each client, in process (stub fetch) or over loopback HTTP. Run by run.mjs in
// its own process: `node bench/calls.mjs stub` or `node bench/calls.mjs loopback <url>`; prints
// JSON results on stdout.
import { compare } from './stats.mjs';
import { RAW, stubFetch, variants } from './fixtures.mjs';

const [mode, url] = process.argv.slice(2);
const settings = {
  // Batches of a few ms at most: long enough for the timer, short enough to fit between preemptions.
  stub: { baseUrl: 'https://coco.test', fetch: stubFetch, baseline: RAW, rounds: 400, batch: 25, warmup: 500, seconds: 75 },
  loopback: { baseUrl: url, fetch: globalThis.fetch, baseline: RAW, rounds: 400, batch: 8, warmup: 300, seconds: 100 },
}[mode];
if (!settings) throw new Error('usage: calls.mjs stub | loopback <url>');

const list = await variants(settings.baseUrl, settings.fetch);
const results = await compare(list, settings);
process.stdout.write(JSON.stringify({ mode, baseline: settings.baseline, results }));
