// Node e2e: fixtures/node-flows.mjs runs every flow of the BUILT package against the loopback
// emulators under Node 20 (this process's binary), 22 and 24 (from the npm registry via npx), in
// parallel. Each run must exit 0 and report every flow passed, on the Node major it was meant for.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const SCRIPT = 'test/e2e/fixtures/node-flows.mjs';

/** One pattern per flow the script must have run: every platform, every mode, expiry and CSRF. */
const FLOWS = [
  /^lowcoder cookie jar: /,
  /^lowcoder API key never carries a session cookie/,
  /^lowcoder sessionCookie: /,
  /^apostrophe bearer: /,
  /^apostrophe cookie session: .*CSRF/,
  /^apostrophe API key in the Authorization header/,
  /^apostrophe API key with apiKeyIn: 'query'/,
  /^coco bearer: .*API tokens/,
  /^coco cookie session: /,
  /^expiry: lowcoder /,
  /^expiry: apostrophe /,
  /^expiry: coco /,
  /^expiry without getCredentials/,
  /CSRF cookie is primed and replayed/,
];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

function run(command: string, args: string[]): Promise<Run> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: root,
      env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, seconds: (performance.now() - started) / 1000 }));
  });
}

const VERSIONS = ['20', '22', '24'] as const;
const runs = new Map<string, Promise<Run>>();

beforeAll(() => {
  for (const entry of ['node.js', 'emulator.js', 'cookie-jar.js'])
    if (!existsSync(`${root}dist/${entry}`))
      throw new Error(`dist/${entry} is missing: build the package first (\`npx tsup\`; \`npm test\` builds before vitest runs).`);
  // All three start at once; each test awaits its own.
  for (const version of VERSIONS) {
    const [command, args] =
      version === process.versions.node.split('.')[0]
        ? [process.execPath, [SCRIPT]]
        : ['npx', ['-y', `node@${version}`, SCRIPT]];
    runs.set(version, run(command, args));
  }
});

describe('Node e2e against the built package', () => {
  it.each(VERSIONS)('Node %s runs every flow over real sockets', async (version) => {
    const result = await runs.get(version)!;
    const report = `exit ${result.code} after ${result.seconds.toFixed(1)} s\n${result.stdout}\n${result.stderr}`;
    const line = result.stdout.split('\n').find((l) => l.startsWith('E2E-SUMMARY '));
    expect(line, report).toBeDefined();
    const summary = JSON.parse(line!.slice('E2E-SUMMARY '.length)) as { node: string; passed: string[]; failed: string[] };
    expect(summary.failed, report).toEqual([]);
    expect(summary.node, report).toMatch(new RegExp(`^v${version}\\.`));
    expect(summary.passed).toHaveLength(FLOWS.length);
    for (const flow of FLOWS) expect(summary.passed.filter((name) => flow.test(name)), `${flow}`).toHaveLength(1);
    expect(result.code, report).toBe(0);
    console.log(`Node ${summary.node}: ${summary.passed.length} flows passed in ${result.seconds.toFixed(1)} s`);
  }, 300_000);
});
