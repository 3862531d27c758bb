// Runs README.md's quick starts (the blocks after `<!-- quickstart:<platform> -->`) against the
// loopback emulators, through the built package, exactly as written except for the base URLs and
// the passwords they read from the environment.
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { transform } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url);
const API_KEY = 'apos-quickstart-key-7f3e';

// Imported at run time: dist/ is built by `npm test` before vitest starts.
type Emulators = Awaited<ReturnType<typeof import('../../src/emulators/index.js').startEmulators>>;
let emulators: Emulators;

beforeAll(async () => {
  const { startEmulators } = (await import(new URL('dist/emulator.js', root).href)) as typeof import('../../src/emulators/index.js');
  emulators = await startEmulators({ apostrophe: { apiKeys: { [API_KEY]: { role: 'admin' } } } });
});
afterAll(() => emulators?.close());

async function quickStart(name: string): Promise<string> {
  const readme = await readFile(new URL('README.md', root), 'utf8');
  const found = new RegExp(`<!-- quickstart:${name} -->\\n\`\`\`ts\\n([\\s\\S]*?)\`\`\``).exec(readme);
  if (!found) throw new Error(`README.md has no quick start for ${name}`);
  return found[1]!;
}

async function runQuickStart(name: string, hosts: Record<string, string>, env: Record<string, string>) {
  let source = await quickStart(name);
  for (const [placeholder, url] of Object.entries(hosts)) source = source.replaceAll(placeholder, url);
  const { code } = await transform(source, { loader: 'ts', format: 'esm', target: 'node20' });
  const dir = new URL('.tmp/quickstarts/', root);
  await mkdir(dir, { recursive: true });
  const file = new URL(`${name}.mjs`, dir);
  await writeFile(file, code);
  const { stdout } = await run(process.execPath, [file.pathname], { env: { ...process.env, ...env }, timeout: 30_000 });
  return stdout;
}

describe('README quick starts run against the emulators', () => {
  it('Lowcoder: login, profile, API key from a second client, logout', async () => {
    const out = await runQuickStart(
      'lowcoder',
      { 'https://lowcoder.example.com': emulators.lowcoder.url },
      { LOWCODER_PASSWORD: 's3cret-Passw0rd' },
    );
    expect(out).toMatch(/^signed in as Ada until \d{4}-/m);
    expect(out).toContain('ada@example.com [ \'Developers\' ]');
    expect(out).toContain('the key works: Ada');
    expect([...emulators.lowcoder.mock.state.users.values()][0]!.keys.size).toBe(0);
    expect(emulators.lowcoder.mock.state.sessions.size).toBe(0);
  });

  it('ApostropheCMS: bearer login, whoami, cookie session, API key, logout', async () => {
    const out = await runQuickStart(
      'apostrophe',
      { 'https://cms.example.com': emulators.apostrophe.url },
      { APOS_PASSWORD: 's3cret-Passw0rd', APOS_API_KEY: API_KEY },
    );
    expect(out).toMatch(/^signed in as Admin, token valid until \d{4}-/m);
    expect(out).toContain("username: 'admin'");
    expect(out).toContain("{ title: 'System Task' }");
    expect(emulators.apostrophe.mock.state.tokens.size).toBe(0);
    expect(emulators.apostrophe.mock.state.sessions.size).toBe(0);
  });

  it('Coco Server: login, API token from a second client, list, rename, delete, logout', async () => {
    const out = await runQuickStart(
      'coco',
      { 'https://coco.example.com': emulators.coco.url },
      { COCO_PASSWORD: 's3cret-Passw0rd!' },
    );
    expect(out).toMatch(/^signed in as admin until \d{4}-/m);
    expect(out).toContain("[ 'coco#search/search' ]");
    expect(out).toMatch(/^1 \[ 'ci until \d{4}-/m);
    expect(emulators.coco.mock.state.tokens.size).toBe(0);
  });
});
