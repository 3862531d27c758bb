// The BUILT package (dist/) for the tests that run it as users get it: a clear error when it is
// missing, its entries imported by file URL, and page scripts bundled for the browser from it.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { expect } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Throws the how-to for the first of `entries` (files of dist/) that is missing. */
export function requireBuilt(...entries: string[]) {
  for (const entry of entries)
    if (!existsSync(`${ROOT}dist/${entry}`))
      throw new Error(`dist/${entry} is missing: build the package first (\`npx tsup\`; \`npm test\` builds before vitest runs).`);
}

/** Imports dist/`entry`; `T` is the type of its source module. */
export const importBuilt = async <T>(entry: string): Promise<T> => (await import(pathToFileURL(`${ROOT}dist/${entry}`).href)) as T;

/**
 * Bundles test/e2e/fixtures/`fixture` for the browser (one IIFE script) and checks it runs the built
 * browser entries `uses` (files of dist/), never the sources or the Node entry.
 */
export async function bundlePage(fixture: string, uses: string[]): Promise<string> {
  const built = await build({
    entryPoints: [`${ROOT}test/e2e/fixtures/${fixture}`],
    absWorkingDir: ROOT,
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const inputs = Object.keys(built.metafile.inputs);
  for (const entry of uses) expect(inputs).toContain(`dist/${entry}`);
  expect(inputs.filter((input) => input.startsWith('src/') || input === 'dist/node.js')).toEqual([]);
  return built.outputFiles[0]!.text;
}
