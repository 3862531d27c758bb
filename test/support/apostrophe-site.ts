// Real ApostropheCMS sites on 127.0.0.1 for the real-server tier: one folder per site (app.js, its
// SQLite database and uploads) under the git-ignored install folder, users added through
// Apostrophe's own CLI task, started in their own process group and stopped with it.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { APOSTROPHE_DIR, APOSTROPHE_PACKAGES, APOSTROPHE_VERSION, INSTALL_HELP } from './apostrophe-install.js';

export interface SiteConfig {
  /** Folder name under `sites/`, also the database name. */
  name: string;
  /** The global `prefix` option, e.g. `/cms`. */
  prefix?: string;
  /** Adds `@apostrophecms/login-totp` (requirement `AposTotp`). */
  totp?: boolean;
  /** `@apostrophecms/express` `apiKeys`. */
  apiKeys?: Record<string, { role: string }>;
  /** `@apostrophecms/login` `throttle`; `lockoutMinutes` may be a fraction. */
  throttle?: { allowedAttempts: number; perMinutes: number; lockoutMinutes: number };
  /** `@apostrophecms/login` `incompleteLifetime` in ms (default 1 h). */
  incompleteLifetime?: number;
  /** The first user, added with `node app @apostrophecms/user:add`. */
  admin: { username: string; password: string };
}

export interface RunningSite {
  name: string;
  /** `http://127.0.0.1:<port>` plus the prefix. */
  url: string;
  origin: string;
  dir: string;
  stop(): Promise<void>;
}

export const SHORT_NAME = 'apos';
export const TOTP_SECRET = 'authwire10';
const SITES = join(APOSTROPHE_DIR, 'sites');

const help = (dir: string) =>
  `Look at ${join(dir, 'site.log')}; start it by hand with \`cd ${dir} && APOS_DB_URI=sqlite://${join(dir, 'data', 'site.sqlite')} node app\`. ` +
  `If the install is broken: ${INSTALL_HELP}`;

function appJs(config: SiteConfig) {
  const modules: Record<string, unknown> = {
    '@apostrophecms/express': {
      options: { session: { secret: 'authwire-real-tier-only' }, apiKeys: config.apiKeys ?? {} },
    },
    '@apostrophecms/login': {
      options: {
        ...(config.throttle ? { throttle: config.throttle } : {}),
        ...(config.incompleteLifetime ? { incompleteLifetime: config.incompleteLifetime } : {}),
        ...(config.totp ? { totp: { secret: TOTP_SECRET } } : {}),
      },
    },
    ...(config.totp ? { '@apostrophecms/login-totp': {} } : {}),
  };
  const options = { shortName: SHORT_NAME, autoBuild: false, ...(config.prefix ? { prefix: config.prefix } : {}), modules };
  // uploadfs wants sharp or ImageMagick at start-up; the install leaves sharp out (optional, large)
  // and these sites never process images, so a backend that refuses images stands in.
  return `// Written by test/support/apostrophe-site.ts for authwire's real-server tier.
const options = ${JSON.stringify(options, null, 2)};
const refuse = (...args) => args.pop()(new Error('no image processing on this test site'));
options.modules['@apostrophecms/uploadfs'] = { options: { uploadfs: { image: { init: (o, callback) => callback(null), identify: refuse, convert: refuse } } } };
require('apostrophe')({ root: module, ...options });
`;
}

/** A free loopback port (the kernel's pick; released just before the site binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

const logTail = (dir: string) => {
  try {
    return readFileSync(join(dir, 'site.log'), 'utf8').slice(-3000);
  } catch {
    return '(no log)';
  }
};

/** Runs Apostrophe's CLI task in the site folder, the password on stdin as the task reads it. */
async function addUser(dir: string, env: NodeJS.ProcessEnv, user: { username: string; password: string }, role: string) {
  const child = spawn(process.execPath, ['app', '@apostrophecms/user:add', user.username, role], { cwd: dir, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk));
  child.stdin?.end(`${user.password}\n`);
  const code = await exited(child);
  if (code !== 0)
    throw new Error(`\`node app @apostrophecms/user:add ${user.username} ${role}\` failed (exit ${code}):\n${output.slice(-2000)}\n${help(dir)}`);
}

/** Kills the site's whole process group and waits for it to exit. */
async function stopProcess(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const done = exited(child);
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }, 5000);
  await done;
  clearTimeout(timer);
}

/** Polls the whoami route until the site answers it as Apostrophe does (JSON 404 when signed out). */
async function ready(url: string, child: ChildProcess, dir: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`ApostropheCMS site exited (code ${child.exitCode}) before answering:\n${logTail(dir)}\n${help(dir)}`);
    try {
      const answer = await fetch(`${url}/api/v1/@apostrophecms/login/whoami`, { signal: AbortSignal.timeout(5000) });
      await answer.arrayBuffer();
      if (answer.status === 404 && answer.headers.get('content-type')?.startsWith('application/json')) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`ApostropheCMS site at ${url} did not answer within ${timeoutMs / 1000} s:\n${logTail(dir)}\n${help(dir)}`);
}

/**
 * Writes a fresh site folder, adds its first user with the CLI task, starts it on a free port and
 * waits until it answers. Any failure stops what was started and throws with what to run.
 */
export async function startSite(config: SiteConfig, timeoutMs = 180_000): Promise<RunningSite> {
  const dir = join(SITES, config.name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'data'), { recursive: true });
  writeFileSync(join(dir, 'app.js'), appJs(config));
  // Apostrophe finds its modules through the site's package.json and node_modules: both point at the install.
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `authwire-${config.name}`, private: true, dependencies: APOSTROPHE_PACKAGES }));
  symlinkSync(join(APOSTROPHE_DIR, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    APOS_DB_URI: `sqlite://${join(dir, 'data', 'site.sqlite')}`,
    NODE_ENV: 'development',
    PORT: String(port),
    ADDRESS: '127.0.0.1',
  };
  delete env.APOS_BASE_URL;
  // npm's variables (npm_package_name…) would rename the site in its login context when tests run under npm.
  for (const name of Object.keys(env)) if (name.startsWith('npm_')) delete env[name];
  await addUser(dir, env, config.admin, 'admin');
  const log = openSync(join(dir, 'site.log'), 'a');
  const child = spawn(process.execPath, ['app'], { cwd: dir, env, detached: true, stdio: ['ignore', log, log] });
  closeSync(log);
  const origin = `http://127.0.0.1:${port}`;
  const url = `${origin}${config.prefix ?? ''}`;
  try {
    await ready(url, child, dir, timeoutMs);
  } catch (error) {
    await stopProcess(child);
    throw error;
  }
  return { name: config.name, url, origin, dir, stop: () => stopProcess(child) };
}

export { APOSTROPHE_VERSION };
