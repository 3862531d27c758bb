// `npm run bench`: per-call overhead of authwire against raw fetch, bare openapi-fetch, Redocly's
// generated client and ky (in process and over loopback), what the default timeout costs, browser
// bundle sizes, consumer type-check cost, 1,000 concurrent calls on an expired session, and where
// the time goes; writes bench/RESULTS.md. Every timing suite runs alone in its own process.
// `BENCH_SCALE=0.05 npm run bench` checks that every suite runs, with a twentieth of the rounds.
import { execFileSync, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import { composition, sizes } from './bundle.mjs';
import { ROOT } from './paths.mjs';
import { prepare } from './prepare.mjs';
import { render } from './report.mjs';
import { typecheck } from './typecheck.mjs';

const started = Date.now();
const log = (message) => process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${message}\n`);

/** Runs a suite script in a fresh process and returns the JSON it prints. */
function suite(script, args = [], flags = []) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...flags, new URL(script, import.meta.url).pathname, ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`${script} ${args.join(' ')} exited with ${code} (its output is above)`)),
    );
  });
}

/** The loopback peer in its own process, so its work is not timed as the client's. */
function startServer() {
  const child = spawn(process.execPath, [new URL('server.mjs', import.meta.url).pathname], { stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.stdout.once('data', (chunk) => resolve({ url: String(chunk).trim(), close: () => child.stdin.end() }));
  });
}

/** The timeout suite patches send.ts while bundling src/, which may have moved on: its failure is reported, not fatal. */
const failed = (error) => {
  log(String(error.message));
  return { error: String(error.message) };
};

const git = (...args) => {
  try {
    return execFileSync('git', args, { cwd: ROOT.pathname, encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
};

const machine = {
  node: process.version,
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cores: os.cpus().length,
  os: `${os.type()} ${os.release()} ${os.arch()}`,
  memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  loadBefore: os.loadavg(),
};
const meta = {
  date: new Date().toISOString(),
  command: 'npm run bench',
  commit: git('rev-parse', '--short', 'HEAD'),
  dirtySrc: !!git('status', '--porcelain', '--', 'src'),
};

log('generating the Redocly clients');
const prepared = await prepare();
log('in process, stub fetch');
const stub = await suite('calls.mjs', ['stub']);
const server = await startServer();
let loopback;
let timeoutLoopback;
try {
  log(`loopback HTTP (${server.url})`);
  loopback = await suite('calls.mjs', ['loopback', server.url]);
  log('cost of the default timeout, loopback');
  timeoutLoopback = await suite('timeout.mjs', ['loopback', server.url]).catch(failed);
} finally {
  server.close();
}
log('cost of the default timeout, in process');
const timeoutStub = await suite('timeout.mjs', ['stub']).catch(failed);
log('where the time goes');
const breakdown = await suite('breakdown.mjs');
log('1,000 concurrent calls');
const concurrency = await suite('concurrency.mjs', [], ['--expose-gc']);
log('bundle sizes');
const bundles = await sizes();
const parts = await composition();
log('type-check cost');
const types = await typecheck();
machine.loadAfter = os.loadavg();
meta.seconds = Math.round((Date.now() - started) / 1000);

const results = { meta, machine, prepared, stub, loopback, timeoutStub, timeoutLoopback, breakdown, concurrency, bundles, parts, types };
const { markdown, verdicts } = render(results);
await writeFile(new URL('bench/RESULTS.md', ROOT), markdown);
await writeFile(new URL('bench/.work/results.json', ROOT), JSON.stringify(results, null, 2));
for (const v of verdicts) log(`${v.met ? 'MET    ' : 'NOT MET'} ${v.target}: ${v.measured}`);
log(`wrote bench/RESULTS.md (${meta.seconds} s)`);
