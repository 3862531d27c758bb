// Issue 6 point 7: the packed tarball, installed into a scratch project outside this repository
// (so nothing resolves from our node_modules), type-checks with TypeScript 5.9 and TypeScript 7
// (the native compiler) and runs with Node against the loopback emulators it ships.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, run, shown } from './run.js';

// What a Node user writes: the three clients, strict types, the Node entry's cookie jar, the
// emulators from `authwire/emulator`. The `@ts-expect-error` lines fail to compile if the package's
// types ever degrade to `any`. It prints one JSON object for the test to check.
const CONSUMER = `
import { readFile } from 'node:fs/promises';
import {
  apostrophe,
  coco,
  lowcoder,
  AuthwireError,
  InvalidCredentialsError,
  NotAuthenticatedError,
  type AuthEvent,
  type CocoOptions,
  type LowcoderClient,
  type LowcoderOptions,
  type LowcoderUser,
  type SessionInfo,
} from 'authwire';
import { createCookieJar } from 'authwire/cookie-jar';
import { startEmulators } from 'authwire/emulator';

// @ts-expect-error Lowcoder has no mode option
({ baseUrl: 'https://lowcoder.example.com', mode: 'bearer' }) satisfies LowcoderOptions;
// @ts-expect-error Coco's modes are bearer and cookie
({ baseUrl: 'https://coco.example.com', mode: 'session' }) satisfies CocoOptions;
// @ts-expect-error not an event
'loggedIn' satisfies AuthEvent;

/** The name of the authwire error a call fails with. */
async function failure(call: () => Promise<unknown>): Promise<string> {
  try {
    await call();
    return 'no error';
  } catch (error) {
    if (error instanceof InvalidCredentialsError || error instanceof NotAuthenticatedError) return error.name;
    if (error instanceof AuthwireError) return \`other AuthwireError \${error.name}\`;
    throw error;
  }
}

const describeSession = <U>(session: SessionInfo<U>) => ({
  platform: session.platform,
  mode: session.mode,
  signedIn: session.signedIn,
  expires: session.expiresAt instanceof Date && session.expiresAt.getTime() > Date.now(),
});

const emulators = await startEmulators();
const report: Record<string, unknown> = {};
try {
  const lc: LowcoderClient = lowcoder({ baseUrl: emulators.lowcoder.url });
  const events: string[] = [];
  lc.on('signedIn', (session) => events.push(\`signedIn \${session.mode}\`));
  lc.on('signedOut', (session) => events.push(\`signedOut \${String(session.signedIn)}\`));
  const lcSession = await lc.login({ email: 'ada@example.com', password: 's3cret-Passw0rd' });
  const me: LowcoderUser = await lc.profile();
  const key = await lc.createApiKey({ name: 'consumer' });
  const bot = lowcoder({ baseUrl: emulators.lowcoder.url, apiKey: key.token });
  const botName: string = (await bot.profile()).name;
  report.lowcoder = {
    session: describeSession(lcSession),
    email: me.email ?? null,
    viaKey: botName,
    listed: (await lc.listApiKeys()).map((k) => k.name),
    logout: await lc.logout(),
    afterLogout: await failure(() => lc.profile()),
    wrongPassword: await failure(() =>
      lowcoder({ baseUrl: emulators.lowcoder.url }).login({ email: 'ada@example.com', password: 'wrong' }),
    ),
    events,
  };

  const ap = apostrophe({ baseUrl: emulators.apostrophe.url });
  const apSession = await ap.login({ username: 'admin', password: 's3cret-Passw0rd' });
  const whoami = await ap.profile();
  const apLogout = await ap.logout();
  const jar = createCookieJar();
  const browserLike = apostrophe({ baseUrl: emulators.apostrophe.url, mode: 'cookie', cookies: jar });
  await browserLike.login({ username: 'admin', password: 's3cret-Passw0rd' });
  const cookieNames = (await jar.export()).map((line) => line.split('=', 1)[0]).sort();
  report.apostrophe = {
    session: describeSession(apSession),
    username: whoami.username ?? null,
    logout: apLogout,
    afterLogout: await failure(() => ap.profile()),
    cookieNames,
    cookieProfile: (await browserLike.profile()).username ?? null,
    cookieLogout: await browserLike.logout(),
  };

  const cc = coco({ baseUrl: emulators.coco.url });
  const ccSession = await cc.login({ email: 'admin@example.com', password: 's3cret-Passw0rd!' });
  const token = await cc.createApiKey({ name: 'consumer' });
  const tokenClient = coco({ baseUrl: emulators.coco.url, apiKey: token.token });
  const viaToken: string | undefined = (await tokenClient.profile()).email;
  const id: string = token.id ?? '';
  await cc.renameApiKey(id, 'consumer-renamed');
  const { total, keys } = await cc.listApiKeys();
  await cc.deleteApiKey(id);
  report.coco = {
    session: describeSession(ccSession),
    viaToken: viaToken ?? null,
    listed: { total, names: keys.map((k) => k.name ?? '') },
    deletedToken: await failure(() => tokenClient.profile()),
    logout: await cc.logout(),
  };

  const contract = await readFile(new URL(import.meta.resolve('authwire/openapi.yaml')), 'utf8');
  report.contract = contract.match(/^openapi: .*$/m)?.[0] ?? null;
} finally {
  await emulators.close();
}
console.log(JSON.stringify(report));
`;

// What a browser app writes (type-checked only): no @types/node, DOM lib, bundler resolution. The
// package's types must not lean on Node's.
const BROWSER = `
import { apostrophe, coco, lowcoder, NotAuthenticatedError, type SessionStore } from 'authwire';

const sessionStore: SessionStore = {
  get: (key) => sessionStorage.getItem(key),
  set: (key, value) => sessionStorage.setItem(key, value),
  delete: (key) => sessionStorage.removeItem(key),
};
const lc = lowcoder({ baseUrl: location.origin, cookies: 'include' });
const ap = apostrophe({ baseUrl: location.origin, mode: 'cookie', cookies: 'same-origin' });
const cc = coco({ baseUrl: 'https://coco.example.com', store: sessionStore });

document.querySelector('form')?.addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = new FormData(event.currentTarget as HTMLFormElement);
  const email = String(form.get('email'));
  const password = String(form.get('password'));
  const session = await lc.login({ email, password }, { signal: AbortSignal.timeout(10_000) });
  document.title = session.user?.name ?? '';
  await ap.login({ username: email, password });
  await cc.login({ email, password });
});
cc.on('expired', () => location.assign('/login'));
export async function whoAmI(): Promise<string> {
  try {
    return (await cc.profile()).email ?? '';
  } catch (error) {
    if (error instanceof NotAuthenticatedError) return '';
    throw error;
  }
}
`;

const BROWSER_TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'ESNext',
    moduleResolution: 'Bundler',
    lib: ['ES2023', 'DOM', 'DOM.Iterable'],
    types: [],
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    skipLibCheck: false,
    noEmit: true,
  },
  files: ['browser.ts'],
};

// Node consumer settings: no DOM lib, so the package's types must stand on @types/node alone, and
// skipLibCheck off, so the shipped declarations themselves are checked by each compiler.
const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    lib: ['ES2023'],
    types: ['node'],
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    skipLibCheck: false,
    outDir: 'out',
  },
  files: ['consumer.ts'],
};

let scratch: string;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'authwire-consumer-'));
  const packed = await run('npm', ['pack', '--json', '--pack-destination', scratch]);
  expect(packed.code, shown(packed)).toBe(0);
  const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
  writeFileSync(
    join(scratch, 'package.json'),
    JSON.stringify({ name: 'authwire-consumer', private: true, type: 'module' }, null, 2),
  );
  writeFileSync(join(scratch, 'tsconfig.json'), JSON.stringify(TSCONFIG, null, 2));
  writeFileSync(join(scratch, 'consumer.ts'), CONSUMER);
  writeFileSync(join(scratch, 'tsconfig.browser.json'), JSON.stringify(BROWSER_TSCONFIG, null, 2));
  writeFileSync(join(scratch, 'browser.ts'), BROWSER);
  const installed = await run(
    'npm',
    ['install', `./${filename}`, '@types/node@20', '--no-audit', '--no-fund', '--prefer-offline'],
    { cwd: scratch },
  );
  expect(installed.code, shown(installed)).toBe(0);
}, 180_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** Compiler diagnostics, one per line. */
const diagnostics = (output: string) => output.split('\n').filter((line) => /error TS\d+/.test(line));

describe('consumer of the packed package', () => {
  it('brings only openapi-fetch and tough-cookie at runtime; msw stays an optional peer', async () => {
    const listed = await run('npm', ['ls', '--omit=dev', '--all', '--json'], { cwd: scratch });
    const tree = JSON.parse(listed.stdout) as {
      dependencies: Record<string, { dependencies?: Record<string, { version?: string }> }>;
    };
    const installed = Object.entries(tree.dependencies.authwire?.dependencies ?? {}).filter(([, dep]) => dep.version);
    expect(installed.map(([name]) => name).sort()).toEqual(['openapi-fetch', 'tough-cookie']);
    expect(existsSync(join(scratch, 'node_modules', 'msw'))).toBe(false);
  });

  it('type-checks with TypeScript 5.9 for Node (emitting the JavaScript run below) and for browsers', async () => {
    expect((await run(bin('tsc'), ['--version'])).stdout).toMatch(/^Version 5\.9\./);
    for (const project of ['tsconfig.json', 'tsconfig.browser.json']) {
      const ran = await run(bin('tsc'), ['-p', join(scratch, project), '--pretty', 'false']);
      expect(diagnostics(ran.stdout + ran.stderr), `${project}\n${shown(ran)}`).toEqual([]);
      expect(ran.code, shown(ran)).toBe(0);
    }
  }, 90_000);

  it('type-checks with TypeScript 7 (npx -p typescript@7 tsc) for Node and for browsers', async () => {
    const tsc7 = (...args: string[]) => run('npx', ['-y', '-p', 'typescript@7', 'tsc', ...args], { cwd: scratch });
    expect((await tsc7('--version')).stdout).toMatch(/^Version 7\./);
    for (const project of ['tsconfig.json', 'tsconfig.browser.json']) {
      const ran = await tsc7('-p', project, '--noEmit', '--pretty', 'false');
      expect(diagnostics(ran.stdout + ran.stderr), `${project}\n${shown(ran)}`).toEqual([]);
      expect(ran.code, shown(ran)).toBe(0);
    }
  }, 120_000);

  it('runs with Node against the emulators of the installed package', async () => {
    const ran = await run(process.execPath, ['out/consumer.js'], { cwd: scratch, timeout: 60_000 });
    expect(ran.code, shown(ran)).toBe(0);
    const report = JSON.parse(ran.stdout) as Record<string, unknown>;
    expect(report).toEqual({
      lowcoder: {
        session: { platform: 'lowcoder', mode: 'cookie', signedIn: true, expires: true },
        email: 'ada@example.com',
        viaKey: 'Ada',
        listed: ['consumer'],
        logout: { serverRevoked: true },
        afterLogout: 'NotAuthenticatedError',
        wrongPassword: 'InvalidCredentialsError',
        events: ['signedIn cookie', 'signedOut false'],
      },
      apostrophe: {
        session: { platform: 'apostrophe', mode: 'bearer', signedIn: true, expires: true },
        username: 'admin',
        logout: { serverRevoked: true },
        afterLogout: 'NotAuthenticatedError',
        cookieNames: expect.arrayContaining([expect.stringMatching(/\.sid$/), expect.stringMatching(/\.csrf$/)]),
        cookieProfile: 'admin',
        cookieLogout: { serverRevoked: true },
      },
      coco: {
        session: { platform: 'coco', mode: 'bearer', signedIn: true, expires: true },
        viaToken: 'admin@example.com',
        listed: { total: 1, names: ['consumer-renamed'] },
        deletedToken: 'NotAuthenticatedError',
        logout: { serverRevoked: false },
      },
      contract: 'openapi: 3.1.0',
    });
  }, 60_000);
});
