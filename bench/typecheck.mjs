// Type-check cost of a consumer file doing the same Coco calls through authwire, through bare
// openapi-fetch with the generated types, and through Redocly's generated client:
// `tsc --extendedDiagnostics` instantiations, types and check time, beside an empty file for the
// cost of the standard library alone.
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { ROOT, WORK } from './paths.mjs';
import { median } from './stats.mjs';

const run = promisify(execFile);
const tsc = new URL('node_modules/typescript/lib/tsc.js', ROOT).pathname;

const CONSUMERS = {
  empty: 'export {};\n',
  authwire: `import { coco } from 'authwire';
import { createApi } from 'authwire/api';

const client = coco({ baseUrl: 'https://coco.example.com', getCredentials: () => ({ email: 'a@example.com', password: 'pw' }) });

export async function main() {
  await client.login({ email: 'a@example.com', password: 'pw' });
  const me = await client.profile();
  const key = await client.createApiKey({ name: 'ci', permissions: ['coco#document/read'] });
  const { total, keys } = await client.listApiKeys({ query: 'ci', size: 10 });
  await client.renameApiKey(key.id ?? '', 'ci-2');
  await client.deleteApiKey(key.id ?? '');
  const { data } = await createApi(client).GET('/account/profile');
  await client.logout();
  return [me.email, total, keys[0]?.name, data?.permissions];
}
`,
  'openapi-fetch': `import createClient from 'openapi-fetch';
import type { paths } from '../../../../generated/coco.js';

let token: string | undefined;
const client = createClient<paths>({ baseUrl: 'https://coco.example.com' });
client.use({
  onRequest({ request }) {
    if (token) request.headers.set('authorization', \`Bearer \${token}\`);
  },
});

export async function main() {
  const login = await client.POST('/account/login', { body: { email: 'a@example.com', login: 'a@example.com', password: 'pw' } });
  token = login.data?.access_token;
  const me = await client.GET('/account/profile');
  const key = await client.POST('/auth/access_token', { body: { name: 'ci', permissions: ['coco#document/read'] } });
  const list = await client.GET('/auth/access_token/_search', { params: { query: { query: 'ci', size: 10 } } });
  const id = key.data?._id ?? '';
  await client.PUT('/auth/access_token/{token_id}', { params: { path: { token_id: id } }, body: { name: 'ci-2' } });
  await client.DELETE('/auth/access_token/{token_id}', { params: { path: { token_id: id } } });
  await client.POST('/account/logout');
  return [me.data?.email, list.data?.hits, me.data?.permissions];
}
`,
  redocly: `import { client, cocoLogin, cocoProfile, cocoCreateApiToken, cocoSearchApiTokens, cocoUpdateApiToken, cocoDeleteApiToken, cocoLogout } from '../../redocly/coco.js';

export async function main() {
  client.configure({ serverUrl: 'https://coco.example.com' });
  const login = await cocoLogin({ body: { email: 'a@example.com', login: 'a@example.com', password: 'pw' } });
  client.auth.bearer(login.access_token);
  const me = await cocoProfile();
  const key = await cocoCreateApiToken({ body: { name: 'ci', permissions: ['coco#document/read'] } });
  const list = await cocoSearchApiTokens({ query: { query: 'ci', size: 10 } });
  await cocoUpdateApiToken({ path: { token_id: key._id ?? '' }, body: { name: 'ci-2' } });
  await cocoDeleteApiToken({ path: { token_id: key._id ?? '' } });
  await cocoLogout();
  return [me.email, list.hits, me.permissions];
}
`,
};

/** A consumer's usual settings: strict, bundler resolution (so 'authwire' resolves through its exports). */
const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'ESNext',
    moduleResolution: 'Bundler',
    lib: ['ES2023', 'DOM', 'DOM.Iterable'],
    types: [],
    strict: true,
    skipLibCheck: true,
    noEmit: true,
  },
  files: ['consumer.ts'],
};

const FIELDS = { Files: 'files', 'Lines of TypeScript': 'lines', 'Lines of Definitions': 'dtsLines', Types: 'types', Instantiations: 'instantiations', 'Memory used': 'memoryK', 'Check time': 'checkS', 'Total time': 'totalS' };

async function diagnose(dir) {
  const { stdout } = await run(process.execPath, [tsc, '-p', dir, '--extendedDiagnostics'], { cwd: ROOT.pathname }).catch((error) => {
    throw new Error(`tsc failed for ${dir}:\n${error.stdout}`);
  });
  const out = {};
  for (const line of stdout.split('\n')) {
    const match = /^([A-Za-z ]+):\s+([\d.]+)/.exec(line);
    if (match && FIELDS[match[1]]) out[FIELDS[match[1]]] = Number(match[2]);
  }
  return out;
}

export async function typecheck({ runs = 1 } = {}) {
  const results = [];
  for (const [name, source] of Object.entries(CONSUMERS)) {
    const dir = new URL(`types/${name}/`, WORK);
    await mkdir(dir, { recursive: true });
    await writeFile(new URL('consumer.ts', dir), source);
    await writeFile(new URL('tsconfig.json', dir), JSON.stringify(TSCONFIG, null, 2));
    const samples = [];
    for (let i = 0; i < runs; i++) samples.push(await diagnose(dir.pathname));
    results.push({ name, ...samples[0], checkS: median(samples.map((s) => s.checkS)), totalS: median(samples.map((s) => s.totalS)), runs });
  }
  return results;
}
