// Renders bench/RESULTS.md from the suites' results, with the issue's targets checked.
import { PROFILE, RAW_SIGNAL } from './wire.mjs';

const us = (v) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
const x = (v) => `${v.toFixed(2)}×`;
const spread = (r) => `${x(r.ratio)} (${r.ratioP10.toFixed(2)}–${r.ratioP90.toFixed(2)})`;
const kB = (bytes) => (bytes / 1000).toFixed(2);
const row = (cells) => `| ${cells.join(' | ')} |`;
const table = (head, rows) => [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');
const find = (results, name) => results.find((r) => r.name === name);

const PEERS = { openapiFetch: 'openapi-fetch GET', redocly: 'redocly cocoProfile()', redoclyTimeout: 'redocly cocoProfile(), timeout 30 s', ky: 'ky get().json()' };
const OURS = { high: 'authwire profile()', api: 'authwire createApi(client).GET' };
const CLIENT_BUDGET = 5000;
function callsTable(suite) {
  return table(
    ['variant', 'median µs/call', `× ${suite.baseline} (p10–p90 of per-round ratios)`, 'CPU µs/call', 'CPU ×', 'calls (rounds × batch)'],
    suite.results.map((r) => [
      r.name,
      us(r.medianUs),
      spread(r),
      us(r.cpuUs),
      x(r.cpuRatio),
      `${r.calls} (${r.rounds} × ${r.batch})`,
    ]),
  );
}

const measured = (r) => `${x(r.ratio)} (p10–p90 ${r.ratioP10.toFixed(2)}–${r.ratioP90.toFixed(2)}; CPU ${x(r.cpuRatio)})`;

/** Issue 10 point 6 (speed, one interleaved run) and issue 12 (a client in 5.0 kB). */
function verdictsOf({ stub, loopback, bundles }) {
  const verdicts = [];
  const ip = (name) => find(stub.results, name);
  const lb = (name) => find(loopback.results, name);
  verdicts.push(
    {
      target: 'in process: `profile()` below openapi-fetch',
      measured: `${measured(ip(OURS.high))} vs openapi-fetch ${measured(ip(PEERS.openapiFetch))}`,
      met: ip(OURS.high).ratio < ip(PEERS.openapiFetch).ratio,
    },
    {
      target: 'in process: `profile()` ≤ 1.10× raw fetch',
      measured: `${measured(ip(OURS.high))}; raw fetch with an abort signal alone ${measured(ip(RAW_SIGNAL))}`,
      met: ip(OURS.high).ratio <= 1.1,
    },
    {
      target: 'in process: `createApi(client).GET` ≤ 1.30× raw fetch',
      measured: `${measured(ip(OURS.api))}; raw fetch with an abort signal alone ${x(ip(RAW_SIGNAL).ratio)}`,
      met: ip(OURS.api).ratio <= 1.3,
    },
    {
      target: "loopback: `profile()` below openapi-fetch and Redocly's client",
      measured: `${measured(lb(OURS.high))} vs openapi-fetch ${x(lb(PEERS.openapiFetch).ratio)}, Redocly ${x(lb(PEERS.redocly).ratio)} (with a 30 s timeout ${x(lb(PEERS.redoclyTimeout).ratio)})`,
      met: lb(OURS.high).ratio < lb(PEERS.openapiFetch).ratio && lb(OURS.high).ratio < lb(PEERS.redocly).ratio,
    },
    { target: 'loopback: `profile()` ≤ 1.05× raw fetch (the aim)', measured: measured(lb(OURS.high)), met: lb(OURS.high).ratio <= 1.05 },
    { target: 'loopback: `createApi(client).GET` ≤ 1.20× raw fetch', measured: measured(lb(OURS.api)), met: lb(OURS.api).ratio <= 1.2 },
  );
  for (const b of bundles.filter((b) => b.client))
    verdicts.push({ target: `${b.name} ≤ 5.0 kB min+gzip (issue 12)`, measured: `${kB(b.gzipBytes)} kB (${b.gzipBytes} B)`, met: b.gzipBytes <= CLIENT_BUDGET });
  return verdicts;
}

/** The cost of the default timeout: each variant against `profile()` as shipped. */
function timeoutSection(suite, title) {
  if (suite.error) return `### ${title}\n\nNot measured: ${suite.error}\n`;
  const base = find(suite.results, suite.baseline);
  const first = suite.results[0];
  return `### ${title} (${first.calls} calls per variant, ${first.rounds} rounds × ${first.batch})

${table(
  ['variant', 'median µs/call', `× ${suite.baseline}, wall (p10–p90)`, `CPU × (p10–p90)`, 'CPU µs/call', 'CPU µs saved per call'],
  suite.results.map((r) => [
    r.name,
    us(r.medianUs),
    spread(r),
    `${x(r.cpuRatio)} (${r.cpuRatioP10.toFixed(2)}–${r.cpuRatioP90.toFixed(2)})`,
    us(r.cpuUs),
    // From the paired ratio, which drift and load disturb less than a difference of medians.
    r === base || r.name.startsWith('raw') ? '' : ((1 - r.cpuRatio) * base.cpuUs).toFixed(1),
  ]),
)}
`;
}

export function render(results) {
  const { meta, machine, prepared, stub, loopback, timeoutStub, timeoutLoopback, breakdown, concurrency, bundles, parts, types } = results;
  const verdicts = verdictsOf(results);
  const load = (l) => l.map((v) => v.toFixed(2)).join(' / ');
  const busy = Math.max(...machine.loadBefore.slice(0, 1), ...machine.loadAfter.slice(0, 1)) > machine.cores;
  const empty = find(types, 'empty');

  const markdown = `# authwire benchmarks

Written by \`${meta.command}\` (\`npm run -s build && node bench/run.mjs\`) on ${meta.date}, in ${meta.seconds} s.
Commit ${meta.commit}${meta.dirtySrc ? ' with uncommitted changes in src/' : ''}.

Machine: Node ${machine.node}, ${machine.cpu} (${machine.cores} cores), ${machine.memoryGiB} GiB, ${machine.os}.
Load average (1 / 5 / 15 min) before: ${load(machine.loadBefore)}, after: ${load(machine.loadAfter)}.
${busy ? '\n**The machine was busy (load above its core count) during this run: wall-clock timings include time spent waiting for a CPU. Ratios are paired per round and so hold up better than absolute µs; the CPU columns (process CPU time per call) are less sensitive to the load.**\n' : ''}
Peers: openapi-fetch ${prepared.openapiFetchVersion} (authwire/api's dependency), ky ${prepared.kyVersion}, @redocly/cli ${prepared.redoclyVersion} \`generate-client\`, generated into \`bench/.work/\` (git-ignored):

${prepared.commands.map((c) => `    ${c}`).join('\n')}

## Targets (issue 10 point 6, issue 12)

Speed ratios are wall-clock, paired per round against raw fetch in the same interleaved run (CPU ratio beside).

${table(['target', 'measured', 'met'], verdicts.map((v) => [v.target, v.measured, v.met ? '**yes**' : '**no**']))}

## Per-call cost

Every variant makes the same call, \`GET /account/profile\` with Coco's \`X-API-TOKEN\`, and parses the JSON profile (${Buffer.byteLength(PROFILE)} bytes):
raw \`fetch(url, init)\`, once as is and once handed a new \`AbortController\`'s signal (no timer: the floor of any
client that can tear down a timed-out request); bare openapi-fetch with the token as a static header; Redocly's client with \`auth.apiKey\`
(once as generated, once with a 30 s timeout, which authwire applies by default); ky as its README suggests
(\`ky.create({ prefixUrl, headers })\`, then \`.get('account/profile').json()\`, with its default 10 s timeout and
retries); authwire's \`coco({ apiKey })\` through \`profile()\` (generated response check, session bookkeeping) and
through \`createApi(client).GET\` from \`authwire/api\` (openapi-fetch sent through authwire's pipeline). authwire runs
with its defaults, the 30 s per-attempt timeout included.
Variants are interleaved: each round runs one batch of each, in rotating order, after a warm-up; a sample is one
batch's mean time per call; a ratio is the median of the per-round ratios to the baseline. The event loop turns
between batches. On a busy machine the rounds stop at a time budget per suite (the calls column says how many ran).

### In process (stub fetch: builds the \`Request\` from its arguments, answers a new \`Response\`, no I/O)

${callsTable(stub)}

### Loopback HTTP (node:http on 127.0.0.1 in its own process, keep-alive, the same ${Buffer.byteLength(PROFILE)}-byte answer)

${callsTable(loopback)}

## Browser bundle (esbuild --bundle --minify, platform browser, es2022; gzip level 9)

authwire from the built package (\`dist/index.js\`, the browser condition of \`authwire\`, and \`dist/api.js\`); the
peers from node_modules and \`bench/.work/\`. The Redocly and bare openapi-fetch rows cover the same seven Coco
operations as authwire's \`coco\` client (login, profile, logout, create/list/rename/delete API token). Budget
per client (issue 12): ${kB(CLIENT_BUDGET)} kB.

${table(
  ['bundle', 'min bytes', 'min+gzip bytes', 'min+gzip kB'],
  bundles.map((b) => [b.client ? `**${b.name}**` : b.name, String(b.minBytes), String(b.gzipBytes), kB(b.gzipBytes)]),
)}

The \`coco\` bundle by source module, from esbuild's metafile for \`export { coco } from './src/index.ts'\` built
the same way from the sources (dist/ shares one chunk between entries, which hides the modules): ${parts.minBytes}
minified bytes, ${parts.gzipBytes} min+gzip in all.

${table(
  ['module', 'minified bytes', 'share'],
  parts.modules.map((p) => [p.file.replace(/^node_modules\//, ''), String(p.minBytes), `${((100 * p.minBytes) / parts.minBytes).toFixed(1)} %`]),
)}

## Type-check cost of a consumer file (\`tsc --extendedDiagnostics\`, strict, moduleResolution bundler, skipLibCheck)

The same Coco calls (login, profile, create/list/rename/delete API key, one \`GET\`, logout) written against each
client; \`empty\` is \`export {}\` (the standard library alone). Check time: median of ${types[0].runs} run(s); instantiations and types are exact, check time on a busy machine is not.

${table(
  ['consumer', 'instantiations', 'types', 'check time s', 'memory MB', 'files', '.ts lines', '.d.ts lines'],
  types.map((t) => [t.name, String(t.instantiations), String(t.types), t.checkS.toFixed(2), (t.memoryK / 1000).toFixed(0), String(t.files), String(t.lines), String(t.dtsLines ?? 0)]),
)}

Net of the empty file: ${types
    .filter((t) => t !== empty)
    .map((t) => `${t.name} ${t.instantiations - empty.instantiations} instantiations, ${t.types - empty.types} types, ${(t.checkS - empty.checkS).toFixed(2)} s`)
    .join('; ')}.

## 1,000 concurrent calls needing a new login

\`coco({ getCredentials })\` signed in (bearer), warmed with 50 calls, then 1,000 \`profile()\` calls at once against
the Coco emulator (its own process, loopback). Logins are counted by the server. Heap: \`heapUsed\` after a full GC,
after minus before the burst (undici keeps the new keep-alive sockets, which the later scenarios reuse); peak: right
after the burst, before GC.

${table(
  ['scenario', 'ok / failed', 'logins', 'getCredentials calls', 'profile requests served', 'total ms', 'heap growth MB', 'peak heap growth MB'],
  concurrency.map((c) => [
    c.name,
    `${c.ok} / ${c.failed}${c.firstError ? ` (${c.firstError})` : ''}`,
    c.logins === (c.name.startsWith('valid') ? 0 : 1) ? `**${c.logins}**` : `**${c.logins} (expected ${c.name.startsWith('valid') ? 0 : 1})**`,
    String(c.getCredentialsCalls),
    String(c.profileRequests),
    c.totalMs.toFixed(0),
    (c.heapGrowthBytes / 1e6).toFixed(2),
    (c.heapPeakGrowthBytes / 1e6).toFixed(1),
  ]),
)}

## Where the time goes

Each step the request paths repeat per call, timed alone in process (minus an empty step):

${table(['step', 'µs', 'CPU µs', 'where'], breakdown.map((b) => [b.step, b.medianUs.toFixed(2), b.cpuUs.toFixed(2), b.where]))}

## What the default timeout costs

\`bench/timeout.mjs\`: \`profile()\` with the default 30 s timeout against \`timeout: 0\`, where send() hands fetch no
AbortSignal at all (no timer, no caller signal). The difference is the whole cost of the default timeout: almost
all of it is fetch (undici, and the stub, which builds a \`Request\` from its arguments) following a signal —
a listener, a WeakRef and a finalizer per Request — since the timer itself is shared (transport/deadline.ts).
Raw fetch is there for scale.

${timeoutSection(timeoutStub, 'In process (stub fetch)')}
${timeoutSection(timeoutLoopback, 'Loopback HTTP')}
`;
  return { markdown, verdicts };
}
