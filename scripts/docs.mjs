// `npm run docs`: the docs site in docs/, from the contract, the built declarations and README.md.
//   docs/index.html, docs/guides.html  README.md sections (scripts/docs-pages.mjs)
//   docs/api.html                      the HTTP reference, Redoc (scripts/docs-api.mjs)
//   docs/sdk/                          the SDK reference, TypeDoc over dist/*.d.ts (typedoc.json)
// Needs dist/ (`npm run docs` builds it first). Every page works offline from file://.
import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { buildApi } from './docs-api.mjs';
import { buildPages } from './docs-pages.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));

async function buildSdk() {
  if (!existsSync(join(root, 'dist', 'index.d.ts'))) throw new Error('dist/ is missing: run `npm run build` first');
  await promisify(execFile)(process.execPath, [join(root, 'node_modules', 'typedoc', 'bin', 'typedoc'), '--options', join(root, 'typedoc.json')], {
    cwd: root,
    maxBuffer: 16 * 1024 * 1024,
  });
}

/** Bytes under a path. */
async function size(path) {
  if (!statSync(path).isDirectory()) return statSync(path).size;
  let total = 0;
  for (const entry of await readdir(path)) total += await size(join(path, entry));
  return total;
}

await Promise.all([buildPages(), buildApi(), buildSdk()]);
for (const page of ['index.html', 'guides.html', 'api.html', 'sdk']) {
  console.log(`docs/${page}`.padEnd(18), `${((await size(join(root, 'docs', page))) / 1024).toFixed(0).padStart(6)} KiB`);
}
