// Renders bench/RESULTS.md from the suites' results, with the issue's targets checked.
import { PROFILE } from './wire.mjs';

const us = (v) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
const x = (v) => `${v.toFixed(2)}×`;
const spread = (r) => `${x(r.ratio)} (${r.ratioP10.toFixed(2)}–${r.ratioP90.toFixed(2)})`;
const kB = (bytes) => (bytes / 1000).toFixed(2);
const row = (cells) => `| ${cells.join(' | ')} |`;
const table = (head, rows) => [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');
const find = (results, name) => results.find((r) => r.name === name);

const PEERS = { openapiFetch: 'openapi-fetch GET', redocly: 'redocly cocoProfile()' };
const OURS = { high: 'authwire profile()', api: 'authwire api.GET' };

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

function verdictsOf({ stub, loopback, bundles }) {
  const verdicts = [];
  for (const [label, name] of [['high-level `profile()`', OURS.high], ['`api.GET`', OURS.api]]) {
    const lb = find(loopback.results, name);
    const lbPeers = [find(loopback.results, PEERS.openapiFetch), find(loopback.results, PEERS.redocly)];
    verdicts.push({
      target: `loopback ${label} ≤ 1.10× raw fetch`,
      measured: `${x(lb.ratio)} (p10–p90 ${lb.ratioP10.toFixed(2)}–${lb.ratioP90.toFixed(2)})`,
      met: lb.ratio <= 1.1,
    });
    verdicts.push({
      target: `loopback ${label} faster than bare openapi-fetch and Redocly's client`,
      measured: `${x(lb.ratio)} vs ${lbPeers.map((p) => `${p.name} ${x(p.ratio)}`).join(', ')}`,
      met: lbPeers.every((p) => lb.ratio < p.ratio),
    });
    const ip = find(stub.results, name);
    const ipRedocly = find(stub.results, PEERS.redocly);
    verdicts.push({
      target: `in process ${label} no slower than Redocly's client`,
      measured: `${us(ip.medianUs)} µs (${x(ip.ratio)}) vs ${us(ipRedocly.medianUs)} µs (${x(ipRedocly.ratio)})`,
      met: ip.ratio <= ipRedocly.ratio,
    });
  }
  const [ours, , redocly] = bundles.filter((b) => b.compared);
  verdicts.push({
    target: "browser bundle not larger than Redocly's client for the same operations",
    measured: `${kB(ours.gzipBytes)} kB vs ${kB(redocly.gzipBytes)} kB min+gzip`,
    met: ours.gzipBytes <= redocly.gzipBytes,
  });
  return verdicts;
}

/** authwire times every attempt out (30 s) by default; Redocly's client only when configured. */
function likeForLike(stub, loopback) {
  const line = (suite, where) => {
    const timed = find(suite.results, 'redocly cocoProfile(), timeout 30 s');
    return `${where}: \`profile()\` ${x(find(suite.results, OURS.high).ratio)}, \`api.GET\` ${x(find(suite.results, OURS.api).ratio)}, Redocly with a 30 s timeout ${x(timed.ratio)}`;
  };
  return `Like for like (Redocly's client given the 30 s per-attempt timeout authwire applies by default), same baselines: ${line(stub, 'in process')}; ${line(loopback, 'loopback')}.`;
}

function ablationSection(ablation, title) {
  if (ablation.error) return `### ${title}\n\nNot measured: ${ablation.error}\n`;
  const part = (key, label) => {
    const list = ablation[key];
    const current = find(list, 'current');
    return [
      `**${label}**`,
      '',
      table(
        ['variant', '× current, wall (p10–p90)', '× current, CPU (p10–p90)', 'CPU µs/call', 'CPU µs saved per call'],
        list.map((r) => [
          r.name,
          spread(r),
          `${x(r.cpuRatio)} (${r.cpuRatioP10.toFixed(2)}–${r.cpuRatioP90.toFixed(2)})`,
          us(r.cpuUs),
          // From the paired ratio, which drift and load disturb less than a difference of medians.
          r === current ? '' : ((1 - r.cpuRatio) * current.cpuUs).toFixed(1),
        ]),
      ),
      '',
    ].join('\n');
  };
  const notes = ablation.notes.length
    ? `Skipped: ${ablation.notes
        .map((n) => (n.error ? `${n.variant} (did not build: ${n.error})` : `in ${n.variant}, ${n.missing.join(', ')} (its text is no longer in src/)`))
        .join('; ')}.\n\n`
    : '';
  const calls = ablation.profile[0];
  const current = find(ablation.sizes, 'current');
  const sizes = ablation.sizes.length
    ? `**Browser bundle of the \`coco\` client** (min+gzip, built from the patched src/ like the bundle table above)\n\n${table(
        ['variant', 'min+gzip bytes', 'Δ bytes vs current'],
        ablation.sizes.map((z) => [z.name, String(z.gzipBytes), z === current ? '' : String(z.gzipBytes - current.gzipBytes)]),
      )}\n`
    : '';
  return [
    `### ${title} (${calls.calls} calls per variant, ${calls.rounds} rounds × ${calls.batch})`,
    '',
    notes + part('profile', '`client.profile()`'),
    part('api', "`client.api.GET('/account/profile')`"),
    sizes,
  ].join('\n');
}

export function render(results) {
  const { meta, machine, prepared, stub, loopback, ablationStub, ablationLoopback, breakdown, concurrency, bundles, parts, types } = results;
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
Peers: openapi-fetch ${prepared.openapiFetchVersion} (the runtime dependency), @redocly/cli ${prepared.redoclyVersion} \`generate-client\`, generated into \`bench/.work/\` (git-ignored):

${prepared.commands.map((c) => `    ${c}`).join('\n')}

## Targets (issue 7)

${table(['target', 'measured', 'met'], verdicts.map((v) => [v.target, v.measured, v.met ? '**yes**' : '**no**']))}

${likeForLike(stub, loopback)}

## Per-call cost

Every variant makes the same call, \`GET /account/profile\` with Coco's \`X-API-TOKEN\`, and parses the JSON profile (${Buffer.byteLength(PROFILE)} bytes):
raw \`fetch\`; bare openapi-fetch with the token as a static header; Redocly's client with \`auth.apiKey\`
(once as generated, once with a 30 s timeout, which authwire applies by default); authwire's \`coco({ apiKey })\`
through \`profile()\` (shape check, session bookkeeping) and through \`api.GET\` (openapi-fetch routed through authwire's pipeline).
Variants are interleaved: each round runs one batch of each, in rotating order, after a warm-up; a sample is one
batch's mean time per call; a ratio is the median of the per-round ratios to the baseline. The event loop turns
between batches.

### In process (stub fetch: a new \`Response\` per call, no I/O)

${callsTable(stub)}

### Loopback HTTP (node:http on 127.0.0.1 in its own process, keep-alive, the same ${Buffer.byteLength(PROFILE)}-byte answer)

${callsTable(loopback)}

## Browser bundle (esbuild --bundle --minify, platform browser, es2022; gzip level 9)

${table(
  ['bundle', 'min bytes', 'min+gzip bytes'],
  bundles.map((b) => [b.compared ? `**${b.name}**` : b.name, String(b.minBytes), String(b.gzipBytes)]),
)}

The \`coco\` bundle by source module (minified bytes, built from src/):
${parts.map((p) => `${p.file.replace(/^node_modules\//, '')} ${p.minBytes}`).join(' · ')}.

## Type-check cost of a consumer file (\`tsc --extendedDiagnostics\`, strict, moduleResolution bundler, skipLibCheck)

The same Coco calls (login, profile, create/list/rename/delete API key, one \`GET\`, logout) written against each
client; \`empty\` is \`export {}\` (the standard library alone). Check time: median of ${types[0].runs} runs.

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

## Measured speed-ups (not applied)

\`bench/ablate.mjs\` copies src/ to \`bench/.work/ablate/<variant>/\`, applies one patch, bundles it as tsup builds
dist/, and times it against the unpatched copy, interleaved. Patches:

${Object.entries(ablationStub.patches ?? ablationLoopback.patches ?? {})
  .map(([id, p]) => `- **${id}** (${p.file}): ${p.what}`)
  .join('\n')}
- **timeout: 0 (option)**: no patch; the client option that turns the per-attempt timeout off. send() still builds an AbortController, so the full cost of the timeout is the \`signal-when-needed + {"timeout":0}\` row.
- **all, keeping openapi-fetch** / **all, own api runtime**: every patch together, with lean-request or with own-api-runtime (and the default 30 s timeout); **…, timeout: 0**: the same without any timeout machinery.

${ablationSection(ablationStub, 'In process (stub fetch)')}
${ablationSection(ablationLoopback, 'Loopback HTTP')}
`;
  return { markdown, verdicts };
}
