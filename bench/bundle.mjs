// Browser bundle size of each client for Coco's operations: esbuild --bundle --minify for the
// browser, then gzip level 9.
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

const ENTRIES = [
  { name: 'authwire `coco` client', entry: "export { coco } from './dist/index.js';", compared: true },
  { name: 'bare openapi-fetch, same 7 operations + token middleware', entry: OPENAPI_FETCH_COCO, compared: true },
  { name: 'Redocly generate-client, Coco paths, same 7 operations', entry: `export { ${REDOCLY_OPS} } from './bench/.work/redocly/coco.ts';`, compared: true },
  { name: 'openapi-fetch alone (createClient)', entry: "export { default } from 'openapi-fetch';" },
  { name: 'authwire, all three clients', entry: "export { coco, lowcoder, apostrophe } from './dist/index.js';" },
  { name: 'Redocly generate-client, whole contract (all 30 operations)', entry: "export { client } from './bench/.work/redocly/client.ts';" },
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
  for (const { name, entry, compared } of ENTRIES) {
    const out = await bundle(entry);
    results.push({ name, compared: !!compared, ...measure(out.outputFiles[0].contents) });
  }
  const withoutFetch = await bundle(ENTRIES[0].entry, { external: ['openapi-fetch'] });
  results.push({ name: 'authwire `coco` client without openapi-fetch (marked external)', compared: false, ...measure(withoutFetch.outputFiles[0].contents) });
  return results;
}

/**
 * What authwire's `coco` bundle is made of, per source module (built from src/, where each module
 * is its own input; dist/ shares one chunk between the entries).
 */
export async function composition() {
  const out = await bundle("export { coco } from './src/index.ts';", { metafile: true });
  const [output] = Object.values(out.metafile.outputs);
  return Object.entries(output.inputs)
    .map(([file, { bytesInOutput }]) => ({ file, minBytes: bytesInOutput }))
    .filter((m) => m.minBytes > 0)
    .sort((a, b) => b.minBytes - a.minBytes);
}
