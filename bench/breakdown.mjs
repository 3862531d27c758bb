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
  ['new AbortController().signal', 'transport/deadline.ts, once per 16 requests (the shared deadline signal)', () => new AbortController().signal],
  // One signal per 16 requests, as transport/deadline.ts shares it: a Request follows its signal with
  // a listener kept until the Request is collected, so one signal for all would time a growing list.
  ['new Request(url, init) with a shared signal', 'fetch following the deadline signal transport/send.ts hands it on every attempt (minus the plain `new Request(url, init)` row: following the signal alone)', (() => {
    let signal;
    let left = 0;
    return () => {
      if (left-- === 0) [signal, left] = [new AbortController().signal, 15];
      return new Request(url, { headers: record, signal });
    };
  })()],
  ['setTimeout + clearTimeout', 'transport/deadline.ts, once per deadline window (not per request)', () => clearTimeout(setTimeout(() => {}, 30_000))],
  ['add + remove abort listener', 'transport/send.ts send() on a caller signal (only calls given one)', () => {
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
  ['decode + JSON.parse', 'transport/read.ts bodyOf(), once per answer (classify and the result share it); api/response.ts json() once more per createApi call', () => {
    const text = decoder.decode(bytes);
    return /\S/.test(text) ? JSON.parse(text) : undefined;
  }],
  ['JSON.stringify(user)', 'client/core.ts remember(), only when a profile answer differs from the last one reconciled (an equal answer costs a string compare)', () => JSON.stringify(user)],
  ['Object.fromEntries(request.headers)', 'api.ts fetch seam, every createApi call', () => Object.fromEntries(headers)],
  ['new URL(request.url).pathname', 'api.ts fetch seam (operation name), every createApi call', () => new URL(url).pathname],
  ['new Headers(res.headers)', 'api/response.ts BufferedResponse, every createApi call', () => new Headers(answerHeaders)],
  ['new Response(null, {status, statusText, headers})', 'api/response.ts BufferedResponse, every createApi call (body-less: its readers serve the bytes read)', () => new Response(null, { status: 200, statusText: 'OK', headers: answerHeaders })],
  ['new Response(bytes, {status, statusText, headers})', 'what a second Response with a body would cost instead (not on any path)', () => new Response(bytes, { status: 200, statusText: 'OK', headers: answerHeaders })],
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
