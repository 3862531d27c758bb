// Issue 6 point 1, issue 12: Node-only code (the tough-cookie jar, the code driving it, Node builtins)
// never reaches a browser bundle of the built package. esbuild resolves `authwire` through the package's own `exports`
// (a package may import itself by name), with its default conditions for each platform.
import { build, type BuildOptions } from 'esbuild';
import { builtinModules } from 'node:module';
import { describe, expect, it } from 'vitest';
import { ROOT } from './run.js';

const NODE_ONLY = /node_modules\/(tough-cookie|tldts|tldts-core)\//;
/** Calls of a `CookieJar`'s methods: the code driving a jar (src/auth/jar-driver.ts), which the Node entry injects. */
const JAR_CALLS = /\.(header|store|export)\(/g;
const BUILTINS = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);

interface Bundle {
  /** Every file esbuild put into the bundle, relative to the repository. */
  inputs: string[];
  /** Imports left in the output (externals). */
  externals: string[];
  code: string;
}

async function bundle(platform: 'browser' | 'node', source: string, extra: BuildOptions = {}): Promise<Bundle> {
  const result = await build({
    ...extra,
    stdin: { contents: source, resolveDir: ROOT, sourcefile: 'app.js' },
    absWorkingDir: ROOT,
    bundle: true,
    platform,
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const outputs = Object.values(result.metafile.outputs);
  return {
    inputs: Object.keys(result.metafile.inputs),
    externals: outputs.flatMap((output) => output.imports.map((i) => i.path)),
    code: result.outputFiles.map((file) => file.text).join('\n'),
  };
}

/** The parts of a browser bundle that must not be there. */
function nodeOnlyParts({ inputs, externals, code }: Bundle) {
  return {
    nodeOnlyInputs: inputs.filter((input) => NODE_ONLY.test(input) || /^dist\/(node|cookie-jar)\.js$/.test(input)),
    builtinImports: externals.filter((path) => BUILTINS.has(path)),
    mentionsToughCookie: code.includes('tough-cookie'),
    jarCalls: code.match(JAR_CALLS) ?? [],
  };
}

const CLEAN = { nodeOnlyInputs: [], builtinImports: [], mentionsToughCookie: false, jarCalls: [] };

describe('browser bundle of the built package', () => {
  it.each([
    ['the whole entry', "import * as authwire from 'authwire'; console.log(authwire);"],
    ['lowcoder', "import { lowcoder } from 'authwire'; console.log(lowcoder);"],
    ['apostrophe', "import { apostrophe } from 'authwire'; console.log(apostrophe);"],
    ['coco', "import { coco } from 'authwire'; console.log(coco);"],
  ])('%s resolves to dist/index.js and carries no tough-cookie or Node builtins', async (_name, source) => {
    // No externals: a Node builtin reached from the browser entry fails this build outright.
    const result = await bundle('browser', source);
    expect(result.inputs).toContain('dist/index.js');
    expect(result.inputs).not.toContain('dist/node.js');
    // openapi-fetch comes only with `authwire/api`.
    expect(result.inputs.some((input) => input.startsWith('node_modules/openapi-fetch/'))).toBe(false);
    expect(result.externals).toEqual([]);
    expect(nodeOnlyParts(result)).toEqual(CLEAN);
  });

  it('authwire/api brings openapi-fetch, and still no tough-cookie or Node builtins', async () => {
    const result = await bundle('browser', "import { createApi } from 'authwire/api'; console.log(createApi);");
    expect(result.inputs).toContain('dist/api.js');
    expect(result.inputs.some((input) => input.startsWith('node_modules/openapi-fetch/'))).toBe(true);
    expect(nodeOnlyParts(result)).toEqual(CLEAN);
  });

  it('dist/index.js bundled as an entry point carries no tough-cookie either', async () => {
    const result = await build({
      entryPoints: ['dist/index.js'],
      absWorkingDir: ROOT,
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((input) => NODE_ONLY.test(input))).toEqual([]);
    expect(result.outputFiles.some((file) => file.text.includes('tough-cookie'))).toBe(false);
  });

  it('authwire/msw is browser-safe too (msw itself stays the app’s peer dependency)', async () => {
    const result = await bundle('browser', "import * as mocks from 'authwire/msw'; console.log(mocks);", {
      external: ['msw'],
    });
    expect(result.inputs).toContain('dist/msw.js');
    expect(new Set(result.externals)).toEqual(new Set(['msw']));
    expect(nodeOnlyParts(result)).toEqual(CLEAN);
  });

  it('the node condition resolves dist/node.js, which does bring tough-cookie (so the checks above can fail)', async () => {
    const result = await bundle('node', "import { lowcoder } from 'authwire'; console.log(lowcoder);");
    expect(result.inputs).toContain('dist/node.js');
    expect(result.inputs.some((input) => input.startsWith('node_modules/tough-cookie/'))).toBe(true);
    expect(nodeOnlyParts(result).nodeOnlyInputs.length).toBeGreaterThan(0);
    expect(nodeOnlyParts(result).jarCalls.length).toBeGreaterThan(0);
  });
});
