// Installs the pinned ApostropheCMS (once; cached under .cache/) and starts the three real sites
// for the real-server tier, once per vitest run and only when a test/real file runs. A failure
// fails the run with what to do; nothing is skipped.
import type { TestProject } from 'vitest/node';
import { installApostrophe } from '../support/apostrophe-install.js';
import { APOSTROPHE_VERSION, startSite, type RunningSite } from '../support/apostrophe-site.js';
import { ADMIN_KEY, SITES, USER_PASSWORD, USERS, type ProvidedApostrophe } from './sites.js';

async function addUsers(site: RunningSite, names: readonly string[]) {
  for (const username of names) {
    const answer = await fetch(`${site.url}/api/v1/@apostrophecms/user`, {
      method: 'POST',
      headers: { authorization: `ApiKey ${ADMIN_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ username, title: username, password: USER_PASSWORD, role: 'editor', email: `${username}@example.com` }),
    });
    if (answer.status !== 200) throw new Error(`Adding user ${username} to the ${site.name} site failed: ${answer.status} ${await answer.text()}`);
  }
}

/** Starts the sites; resolves with what the tests inject and the function that stops them. */
export async function startSites(log: (line: string) => void): Promise<{ provided: ProvidedApostrophe; stop: () => Promise<void> }> {
  const installed = await installApostrophe(log);
  const started = performance.now();
  const running: RunningSite[] = [];
  const sites = new Map<keyof typeof USERS, RunningSite>();
  const stop = async () => void (await Promise.all(running.map((site) => site.stop())));
  try {
    // In parallel: each site has its own folder, database and port.
    const keys = Object.keys(SITES) as (keyof typeof USERS)[];
    const results = await Promise.allSettled(
      keys.map(async (key) => {
        const site = await startSite(SITES[key]);
        running.push(site);
        await addUsers(site, USERS[key]);
        return [key, site] as const;
      }),
    );
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    for (const result of results) if (result.status === 'fulfilled') sites.set(result.value[0], result.value[1]);
  } catch (error) {
    await stop();
    throw error;
  }
  const startSeconds = (performance.now() - started) / 1000;
  log(`[apostrophe] ${running.length} sites of ApostropheCMS ${APOSTROPHE_VERSION} up in ${startSeconds.toFixed(1)} s (install ${installed.seconds ? `${installed.seconds.toFixed(1)} s` : 'cached'})`);
  const provided = (key: keyof typeof USERS) => ({ url: sites.get(key)!.url, origin: sites.get(key)!.origin });
  return {
    provided: {
      version: APOSTROPHE_VERSION,
      installSeconds: installed.seconds,
      startSeconds,
      sites: { plain: provided('plain'), prefix: provided('prefix'), totp: provided('totp') },
    },
    stop,
  };
}

export default async function setup(project: TestProject) {
  const { provided, stop } = await startSites((line) => process.stderr.write(`${line}\n`));
  project.provide('apostrophe', provided);
  return stop;
}
