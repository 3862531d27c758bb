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
const session = { id: 'lx1k2j3h4g5f6d7s8a9', mode: 'apiKey', secret: API_KEY, user: JSON.parse(PROFILE) };
const request = new Request(url, { headers });

const STEPS = [
  ['(empty step: loop overhead)', '', () => {}],
  ['new Response(profile JSON)', 'the stub fetch itself, in every in-process variant', () => new Response(PROFILE, { headers: PROFILE_HEADERS })],
  ['new Request(url, init)', 'openapi-fetch coreFetch, every api call (and undici fetch(url, init) inside, loopback only)', () => new Request(url, { headers })],
  ['new AbortController().signal', 'transport/send.ts send(), every attempt', () => new AbortController().signal],
  ['setTimeout + clearTimeout', 'transport/send.ts send(), every attempt with a timeout', () => clearTimeout(setTimeout(() => {}, 30_000))],
  ['add + remove abort listener', 'transport/send.ts send() on the caller signal (every api call: request.signal)', () => {
    const listener = () => {};
    request.signal.addEventListener('abort', listener, { once: true });
    request.signal.removeEventListener('abort', listener);
  }],
  ['new Response(bytes, {status, statusText, headers})', 'client/engine.ts api seam, every api call', () => new Response(bytes, { status: 200, statusText: 'OK', headers: answerHeaders })],
  ['new Response + res.arrayBuffer()', 'transport/read.ts readBytes() when Content-Length is set (minus the first row: the read alone)', () => new Response(PROFILE, { headers: PROFILE_HEADERS }).arrayBuffer()],
  ['new Response + read with getReader()', 'transport/read.ts readBytes() streaming path (bodies without Content-Length, or compressed)', async () => {
    const reader = new Response(PROFILE, { headers: PROFILE_HEADERS }).body.getReader();
    const chunks = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return chunks;
      chunks.push(value);
    }
  }],
  ['new Response + res.json()', 'openapi-fetch, Redocly and raw variants read this way (and openapi-fetch reads the api seam\'s rewrapped answer again)', () => new Response(PROFILE, { headers: PROFILE_HEADERS }).json()],
  ['parseBody: decode + trim + JSON.parse', 'transport/read.ts parseBody(): exchange() for spec.rejected and call(), twice per authed call', () => {
    const text = decoder.decode(bytes);
    return text.trim() ? JSON.parse(text) : undefined;
  }],
  ['JSON.stringify(session)', 'session/session.ts set(), via engine remember() on every profile()', () => JSON.stringify(session)],
  ['Object.fromEntries(request.headers)', 'client/engine.ts api seam, every api call', () => Object.fromEntries(headers)],
  ['new URL(request.url).pathname', 'client/engine.ts api seam, every api call', () => new URL(url).pathname],
];

const results = await compare(
  STEPS.map(([name, , run]) => [name, run]),
  { rounds: 60, batch: 200, warmup: 3000 },
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
