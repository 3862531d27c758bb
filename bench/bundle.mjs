// Browser bundle sizes (esbuild --bundle --minify for the browser, then gzip level 9): each
// authwire client and entry beside openapi-fetch, ky and Redocly's client for the same Coco
// operations; and what the `coco` bundle is made of, per source module.
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { ROOT } from './paths.mjs';

/** The same seven operations authwire's `coco` client offers, on bare openapi-fetch with a token middleware. */
const OPENAPI_FETCH_COCO = `
import createClient from 'openapi-fetch';
export function cocoClient(baseUrl, getToken) {
  const api = createClient({ baseUrl });
  api.use({
    onRequest({ request }) {
      const token = getToken();
      if (token) request.headers.set('authorization', 'Bearer ' + token);
    },
  });
  return {
    login: (email, password) => api.POST('/account/login', { body: { email, login: email, password } }),
    profile: () => api.GET('/account/profile'),
    logout: () => api.POST('/account/logout'),
    createApiKey: (body) => api.POST('/auth/access_token', { body }),
    listApiKeys: (query) => api.GET('/auth/access_token/_search', { params: { query } }),
    renameApiKey: (id, name) => api.PUT('/auth/access_token/{token_id}', { params: { path: { token_id: id } }, body: { name } }),
    deleteApiKey: (id) => api.DELETE('/auth/access_token/{token_id}', { params: { path: { token_id: id } } }),
  };
}
`;

const REDOCLY_OPS = 'cocoLogin, cocoProfile, cocoLogout, cocoCreateApiToken, cocoSearchApiTokens, cocoUpdateApiToken, cocoDeleteApiToken, client';

/** `client: true` rows are the ones issue 12 budgets at 5.0 kB each. */
const ENTRIES = [
  { name: "authwire `import { lowcoder } from 'authwire'`", entry: "export { lowcoder } from './dist/index.js';", client: true },
  { name: "authwire `import { apostrophe } from 'authwire'`", entry: "export { apostrophe } from './dist/index.js';", client: true },
  { name: "authwire `import { coco } from 'authwire'`", entry: "export { coco } from './dist/index.js';", client: true },
  { name: "authwire `import { createApi } from 'authwire/api'` (alone)", entry: "export { createApi } from './dist/api.js';" },
  { name: "authwire `{ coco }` + `authwire/api` together", entry: "export { coco } from './dist/index.js';\nexport { createApi } from './dist/api.js';" },
  { name: 'openapi-fetch alone (createClient)', entry: "export { default } from 'openapi-fetch';" },
  { name: 'ky alone', entry: "export { default } from 'ky';" },
  { name: 'Redocly generate-client, Coco paths, the same 7 operations', entry: `export { ${REDOCLY_OPS} } from './bench/.work/redocly/coco.ts';` },
  { name: 'bare openapi-fetch, the same 7 operations + token middleware', entry: OPENAPI_FETCH_COCO },
];

const bundle = (entry, extra = {}) =>
  build({
    stdin: { contents: entry, resolveDir: ROOT.pathname, loader: 'ts', sourcefile: 'entry.ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'error',
    ...extra,
  });

const measure = (code) => ({ minBytes: code.byteLength, gzipBytes: gzipSync(code, { level: 9 }).byteLength });

export async function sizes() {
  const results = [];
  for (const { name, entry, client } of ENTRIES) {
    const out = await bundle(entry);
    results.push({ name, client: !!client, ...measure(out.outputFiles[0].contents) });
  }
  return results;
}

/**
 * What authwire's `coco` bundle is made of, per source module (built from src/, where each module
 * is its own input; dist/ shares one chunk between the entries).
 */
export async function composition() {
  const out = await bundle("export { coco } from './src/index.ts';", { metafile: true });
  const [output] = Object.values(out.metafile.outputs);
  const modules = Object.entries(output.inputs)
    .map(([file, { bytesInOutput }]) => ({ file, minBytes: bytesInOutput }))
    .filter((m) => m.minBytes > 0)
    .sort((a, b) => b.minBytes - a.minBytes);
  return { ...measure(out.outputFiles[0].contents), modules };
}
