// Where a call's time goes: the cost of each step the request paths repeat per call, measured
// alone (interleaved, in process), minus the cost of an empty step. The `where` column names the
// code that performs it. Prints JSON.
import { compare } from './stats.mjs';
import { API_KEY, PROFILE, PROFILE_HEADERS } from './wire.mjs';

const url = 'https://coco.test/account/profile';
const record = { accept: 'application/json', 'x-api-token': API_KEY };
const headers = new Headers(record);
const answerHeaders = new Response(null, { headers: PROFILE_HEADERS }).headers;
const bytes = new TextEncoder().encode(PROFILE);
const decoder = new TextDecoder();
const user = JSON.parse(PROFILE);
const request = new Request(url, { headers });

const STEPS = [
  ['(empty step: loop overhead)', '', () => {}],
  ['new Response(profile JSON)', 'the stub fetch itself, in every in-process variant', () => new Response(PROFILE, { headers: PROFILE_HEADERS })],
  ['new Request(url, init)', 'fetch itself (the stub and undici), every call; openapi-fetch and ky build one more', () => new Request(url, { headers: record })],
  ['new AbortController().signal', 'transport/send.ts send(), every attempt', () => new AbortController().signal],
  // A fresh signal each time, as send() makes one per attempt: a Request follows its signal with a
  // listener, so reusing one signal would time a growing listener list.
  ['new Request(url, init) with a new signal', 'fetch following the AbortSignal that transport/send.ts send() hands it on every attempt (minus the two rows above: following the signal alone)', () => new Request(url, { headers: record, signal: new AbortController().signal })],
  ['setTimeout + clearTimeout', 'transport/send.ts send(), every attempt with a timeout (the default 30 s)', () => clearTimeout(setTimeout(() => {}, 30_000))],
  ['add + remove abort listener', 'transport/send.ts send() on the caller signal (every createApi call: request.signal)', () => {
    const listener = () => {};
    request.signal.addEventListener('abort', listener, { once: true });
    request.signal.removeEventListener('abort', listener);
  }],
  ['{ ...headers } copies', 'client/core.ts call() and pipeline/run.ts exchange(), each request copies its header record', () => ({ ...{ ...record } })],
  ['new Response + read with getReader()', 'transport/read.ts readBytes(), every answer (minus the first row: the read alone)', async () => {
    const reader = new Response(PROFILE, { headers: PROFILE_HEADERS }).body.getReader();
    const chunks = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return chunks;
      chunks.push(value);
    }
  }],
  ['new Response + res.json()', 'raw, openapi-fetch, Redocly and ky read this way (minus the first row)', () => new Response(PROFILE, { headers: PROFILE_HEADERS }).json()],
  ['decode + trim + JSON.parse', 'transport/read.ts bodyOf(), once per answer (classify and the result share it); api.ts json() once more per createApi call', () => {
    const text = decoder.decode(bytes);
    return text.trim() ? JSON.parse(text) : undefined;
  }],
  ['JSON.stringify(user)', 'client/core.ts remember(), every profile() (compares the user with the last one)', () => JSON.stringify(user)],
  ['Object.fromEntries(request.headers)', 'api.ts fetch seam, every createApi call', () => Object.fromEntries(headers)],
  ['new URL(request.url).pathname', 'api.ts fetch seam (operation name), every createApi call', () => new URL(url).pathname],
  ['new Headers(res.headers)', 'api.ts toResponse(), every createApi call', () => new Headers(answerHeaders)],
  ['new Response(bytes, {status, statusText, headers})', 'api.ts toResponse(), every createApi call', () => new Response(bytes, { status: 200, statusText: 'OK', headers: answerHeaders })],
];

const results = await compare(
  STEPS.map(([name, , run]) => [name, run]),
  { rounds: 40, batch: 200, warmup: 1000, seconds: 20, minRounds: 10 },
);
const [empty] = results;
process.stdout.write(
  JSON.stringify(
    results.slice(1).map((r, i) => ({
      step: r.name,
      where: STEPS[i + 1][1],
      medianUs: r.medianUs - empty.medianUs,
      cpuUs: r.cpuUs - empty.cpuUs,
      calls: r.calls,
    })),
  ),
);
