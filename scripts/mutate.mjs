// `npm run mutate [-- <filter>…]`: applies each one-line mutant of scripts/mutants.mjs to `src/`, one
// at a time, runs the test files it names with vitest, and restores the file. A mutant is KILLED when
// a test fails, SURVIVED when all pass. A mutant whose `find` text is not in its file exactly once is
// STALE: src/ changed under it, and the list must be brought in step. Exit code 0 only with no
// survivor and nothing stale. Filters keep mutants whose id or class contains one of them.
//
// The original file is restored after every mutant, on Ctrl-C, on a crash, and — should this process
// be killed outright — at the start of the next run, from the backup written before each mutation.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import mutants from './mutants.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const backupFile = join(root, 'node_modules/.cache/authwire-mutate/pending.json');
const filters = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const skipBaseline = process.argv.includes('--no-baseline');
/** Per mutant; a test run that hangs this long counts as killed (the suite did not pass). */
const TIMEOUT_MS = 10 * 60_000;

/** The file being mutated and its original text, while a mutant is applied. */
let pending;

function restore() {
  if (!pending) return;
  writeFileSync(join(root, pending.file), pending.original);
  rmSync(backupFile, { force: true });
  pending = undefined;
}

// A run killed outright (SIGKILL, power loss) left its backup: put the original back first.
if (existsSync(backupFile)) {
  pending = JSON.parse(readFileSync(backupFile, 'utf8'));
  console.log(`restoring ${pending.file} from an interrupted run`);
  restore();
}

let child;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'])
  process.on(signal, () => {
    child?.kill(signal);
    restore();
    console.log(`\n${signal}: ${pending ? 'not ' : ''}restored; stopped`);
    process.exit(130);
  });
process.on('exit', restore);
process.on('uncaughtException', (error) => {
  restore();
  console.error(error);
  process.exit(2);
});

function apply(mutant) {
  const path = join(root, mutant.file);
  const original = readFileSync(path, 'utf8');
  mkdirSync(dirname(backupFile), { recursive: true });
  writeFileSync(backupFile, JSON.stringify({ file: mutant.file, original }));
  pending = { file: mutant.file, original };
  writeFileSync(path, original.replace(mutant.find, () => mutant.replace));
}

/** Runs `command`, collecting output; resolves { code, output, timedOut }. */
function run(command, args) {
  return new Promise((resolve) => {
    let output = '';
    child = spawn(command, args, { cwd: root, env: { ...process.env, CI: 'true', NO_COLOR: '1', FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => child.kill('SIGTERM'), TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      child = undefined;
      resolve({ code, output, timedOut: code === null });
    });
  });
}

const vitest = (files) => run(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--bail=1', '--reporter=dot', ...files]);
const build = () => run(process.execPath, [join(root, 'node_modules/tsup/dist/cli-default.js')]);

/** The first failing test named in vitest's output. */
const firstFailure = (output) => {
  const plain = output.replace(/\x1b\[[0-9;]*m/g, '');
  return /FAIL\s+(.+)/.exec(plain)?.[1]?.trim() ?? /(Error: .+)/.exec(plain)?.[1] ?? '(no name in output)';
};

const seconds = (from) => ((performance.now() - from) / 1000).toFixed(1);
const started = performance.now();

const selected = mutants.filter((m) => !filters.length || filters.some((f) => m.id.includes(f) || m.class.includes(f)));
const ids = new Set();
for (const m of mutants) {
  for (const field of ['id', 'class', 'file', 'find', 'replace', 'tests'])
    if (m[field] === undefined) throw new Error(`mutant ${m.id ?? JSON.stringify(m)} has no ${field}`);
  if (ids.has(m.id)) throw new Error(`two mutants are called ${m.id}`);
  ids.add(m.id);
}
const occurrences = (m) => {
  const path = join(root, m.file);
  return existsSync(path) ? readFileSync(path, 'utf8').split(m.find).length - 1 : 0;
};
const stale = selected.filter((m) => occurrences(m) !== 1);
const live = selected.filter((m) => !stale.includes(m));
for (const m of stale) console.log(`STALE     ${m.id}: ${m.file} has its find text ${occurrences(m)} times (needs exactly 1)`);

if (spawnSync('git', ['diff', '--quiet', '--', 'src'], { cwd: root }).status !== 0)
  console.log('note: src/ has uncommitted changes; mutants apply to the working tree as it is');

const needsBuild = live.some((m) => m.build);
if (live.length && !skipBaseline) {
  // Every named test must pass on the unmutated code, or a "kill" would mean nothing.
  const files = [...new Set(live.flatMap((m) => m.tests))];
  const t = performance.now();
  if (needsBuild && (await build()).code !== 0) throw new Error('the unmutated build fails');
  const baseline = await vitest(files);
  console.log(`baseline  ${files.length} test files ${baseline.code === 0 ? 'pass' : 'FAIL'} (${seconds(t)} s)`);
  if (baseline.code !== 0) {
    console.log(baseline.output.slice(-4000));
    process.exit(1);
  }
}

const results = [];
for (const [index, m] of live.entries()) {
  const t = performance.now();
  apply(m);
  let outcome;
  try {
    if (m.build && (await build()).code !== 0) outcome = { killed: true, by: 'the build fails' };
    else {
      const r = await vitest(m.tests);
      outcome = r.code === 0 ? { killed: false } : { killed: true, by: r.timedOut ? `timeout after ${TIMEOUT_MS / 1000} s` : firstFailure(r.output) };
    }
  } finally {
    restore();
  }
  results.push({ m, ...outcome });
  console.log(
    `${outcome.killed ? 'KILLED  ' : 'SURVIVED'}  [${index + 1}/${live.length}] ${m.id} (${m.class}) ${seconds(t)} s${outcome.killed ? ` — ${outcome.by}` : ''}`,
  );
}
// dist/ was built from mutants: build it again from the restored sources.
if (needsBuild && live.length && (await build()).code !== 0) console.log('warning: rebuilding dist/ from the restored sources failed');

const killed = results.filter((r) => r.killed).length;
const survivors = results.filter((r) => !r.killed);
console.log(
  `\nmutation score ${killed}/${results.length}${results.length ? ` (${((100 * killed) / results.length).toFixed(1)} %)` : ''}, ${survivors.length} survived, ${stale.length} stale, ${seconds(started)} s`,
);
for (const r of survivors) console.log(`  survived: ${r.m.id} — ${r.m.file}: ${r.m.class}`);
process.exitCode = survivors.length || stale.length ? 1 : 0;
