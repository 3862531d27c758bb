// A pinned ApostropheCMS installed once into a git-ignored cache folder, for the real-server tier.
//
// Apostrophe 4.31+ runs on SQLite (no MongoDB). better-sqlite3 has no prebuilt binary for this
// network, so the install skips scripts and compiles only that one module. A marker file written
// last says the folder is complete; a lock directory keeps two processes from installing into it
// at once (the other waits, then reuses it).
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const APOSTROPHE_VERSION = '4.32.2';

/** Exact versions: the site's top-level packages. */
export const APOSTROPHE_PACKAGES: Record<string, string> = {
  apostrophe: APOSTROPHE_VERSION,
  '@apostrophecms/login-totp': '1.3.3',
};

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const APOSTROPHE_DIR = join(ROOT, '.cache', 'apostrophe', APOSTROPHE_VERSION);
const MARKER = join(APOSTROPHE_DIR, '.complete');
const LOCK = `${APOSTROPHE_DIR}.lock`;
const run = promisify(execFile);

export const INSTALL_HELP =
  `Install it by hand to see the error: mkdir -p ${APOSTROPHE_DIR} && cd ${APOSTROPHE_DIR} && ` +
  `echo '${JSON.stringify({ private: true, dependencies: APOSTROPHE_PACKAGES })}' > package.json && ` +
  'npm install --ignore-scripts --omit=optional --no-audit --no-fund && npm rebuild better-sqlite3 ' +
  '(needs the npm registry, python3, make, g++ and the Node headers: apt-get install -y python3 make g++). ' +
  `Then delete ${APOSTROPHE_DIR} and run npm test again.`;

const expected = JSON.stringify(APOSTROPHE_PACKAGES);
const complete = () => existsSync(MARKER) && readFileSync(MARKER, 'utf8') === expected;

function alive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Takes the lock directory, or waits while a live process holds it; a dead holder's lock is broken. */
async function lock(): Promise<() => void> {
  mkdirSync(join(ROOT, '.cache', 'apostrophe'), { recursive: true });
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, 'pid'), String(process.pid));
      return () => rmSync(LOCK, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let holder = NaN;
    try {
      holder = Number(readFileSync(join(LOCK, 'pid'), 'utf8'));
    } catch {
      // The holder has not written its pid yet, or just released the lock.
    }
    const age = (() => {
      try {
        return Date.now() - statSync(LOCK).mtimeMs;
      } catch {
        return 0;
      }
    })();
    if ((Number.isInteger(holder) && holder > 0 && !alive(holder)) || (Number.isNaN(holder) && age > 10_000))
      rmSync(LOCK, { recursive: true, force: true });
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

export interface Installed {
  dir: string;
  /** Seconds spent installing; 0 when the cached folder was reused. */
  seconds: number;
}

/** The installed site folder: reused when complete, installed (under the lock) otherwise. */
export async function installApostrophe(log: (line: string) => void = () => {}): Promise<Installed> {
  if (complete()) return { dir: APOSTROPHE_DIR, seconds: 0 };
  const release = await lock();
  try {
    if (complete()) return { dir: APOSTROPHE_DIR, seconds: 0 };
    const started = performance.now();
    rmSync(APOSTROPHE_DIR, { recursive: true, force: true });
    mkdirSync(APOSTROPHE_DIR, { recursive: true });
    writeFileSync(
      join(APOSTROPHE_DIR, 'package.json'),
      `${JSON.stringify({ name: 'authwire-real-apostrophe', private: true, dependencies: APOSTROPHE_PACKAGES }, null, 2)}\n`,
    );
    const env = { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
    const step = async (args: string[]) => {
      log(`[apostrophe] npm ${args.join(' ')}`);
      try {
        await run('npm', args, { cwd: APOSTROPHE_DIR, env, maxBuffer: 64 * 1024 * 1024 });
      } catch (error) {
        const { stderr = '', message } = error as { stderr?: string; message: string };
        throw new Error(`Installing ApostropheCMS ${APOSTROPHE_VERSION} failed at \`npm ${args.join(' ')}\`: ${message}\n${stderr.slice(-2000)}\n${INSTALL_HELP}`);
      }
    };
    // Optional dependencies are cloud storage SDKs and sharp, which a loopback test site never uses.
    await step(['install', '--ignore-scripts', '--omit=optional', '--no-audit', '--no-fund']);
    await step(['rebuild', 'better-sqlite3']);
    try {
      await run(process.execPath, ['-e', "new (require('better-sqlite3'))(':memory:').prepare('select 1').get()"], { cwd: APOSTROPHE_DIR });
    } catch (error) {
      throw new Error(`better-sqlite3 does not load after \`npm rebuild better-sqlite3\`: ${(error as Error).message}\n${INSTALL_HELP}`);
    }
    writeFileSync(MARKER, expected);
    const seconds = (performance.now() - started) / 1000;
    log(`[apostrophe] ApostropheCMS ${APOSTROPHE_VERSION} installed in ${seconds.toFixed(1)} s`);
    return { dir: APOSTROPHE_DIR, seconds };
  } finally {
    release();
  }
}
